// Package golangci tests grpccancelcheck as a golangci-lint v2 module
// plugin, for real: it builds a golangci-lint that contains the plugin from
// .golangci-plugin.yml with scripts/build-golangci.sh (module proxy only,
// cached across runs), then lints the fixture module testdata/integration
// with it under several .golangci.yml settings.
//
// Needs: go, bash, flock and sha256sum; the first build takes minutes
// (later ones reuse the cached binary). Skipped with -short.
package golangci

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
	"github.com/grpccancelcheck/grpccancelcheck/plugin"
)

// golangciLint builds the custom golangci-lint with the build script,
// which caches it between runs, into the test's temporary directory.
func golangciLint(t *testing.T) string { return itest.GolangciLint(t) }

// An issue as golangci-lint's JSON output has it.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename     string
		Line, Column int
	}
	SuggestedFixes []json.RawMessage
}

// lint writes .golangci.yml with the plugin's settings (a JSON object) into
// the module, runs golangci-lint on it and returns the plugin's issues,
// leaving out golangci-lint's "(related information)" copies.
func lint(t *testing.T, bin, mod, settings string, args ...string) []issue {
	t.Helper()
	config := fmt.Sprintf(`version: "2"
linters:
  default: none
  enable:
    - %s
  settings:
    custom:
      %s:
        type: module
        description: gRPC cancellation hygiene
        settings: %s
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`, plugin.Name, plugin.Name, settings)
	if err := os.WriteFile(filepath.Join(mod, ".golangci.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	// TMPDIR: golangci-lint allows one run per machine through a lock in
	// the temporary directory, and other test binaries run it at the same time.
	r := itest.RunCode(t, mod, []string{"GOLANGCI_LINT_CACHE=" + t.TempDir(), "TMPDIR=" + t.TempDir()}, 5*time.Minute, bin,
		append([]string{"run", "--output.json.path=" + report, "--output.text.path=stderr", "--show-stats=false"}, append(args, "./...")...)...)
	if r.Code != 0 && r.Code != 1 { // 1: issues found
		t.Fatalf("golangci-lint run: exit %d\n%s", r.Code, r.Stderr)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Issues []issue }
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("golangci-lint JSON: %v\n%s", err, data)
	}
	var issues []issue
	for _, is := range out.Issues {
		if is.FromLinter != plugin.Name {
			t.Errorf("issue from linter %q: %s", is.FromLinter, is.Text)
			continue
		}
		if !strings.Contains(is.Text, "(related information)") {
			issues = append(issues, is)
		}
	}
	return issues
}

// keys returns "analyzer file:line" of each issue; golangci-lint prefixes
// the text of a multi-analyzer linter with the analyzer's name.
func keys(t *testing.T, issues []issue) []string {
	t.Helper()
	var out []string
	for _, is := range issues {
		name, _, ok := strings.Cut(is.Text, ": ")
		if !ok || !slices.Contains(analyzers.Names(), name) {
			t.Errorf("issue text does not start with an analyzer's name: %q", is.Text)
			continue
		}
		out = append(out, fmt.Sprintf("%s %s:%d", name, filepath.ToSlash(is.Pos.Filename), is.Pos.Line))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func registered(m itest.Marker) bool { return slices.Contains(analyzers.Names(), m.Analyzer) }

// defaults is what golangci-lint must report with default settings: the
// "lint:" markers of registered analyzers; the "standalone:" lines carry
// //nolint:grpccancelcheck.
func defaults(m itest.Marker) bool { return registered(m) && m.Flag == "" && !m.Standalone }

// TestEachAnalyzerReports checks that with default settings golangci-lint
// reports exactly the marked findings, and that every analyzer has one:
// the plugin builds them all, facts cross packages, //nolint and
// //grpccancelcheck:ignore silence their lines.
func TestEachAnalyzerReports(t *testing.T) {
	bin := golangciLint(t)
	mod := itest.FixtureModule(t)
	markers := itest.Markers(t, mod)
	for _, name := range analyzers.Names() {
		if !slices.ContainsFunc(markers, func(m itest.Marker) bool { return m.Analyzer == name && defaults(m) }) {
			t.Errorf("testdata/integration has no \"// lint: %s\" finding: add one for the new analyzer", name)
		}
	}
	got := keys(t, lint(t, bin, mod, "{}"))
	if want := itest.Keys(markers, defaults); !slices.Equal(got, want) {
		t.Errorf("golangci-lint reported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDisable checks that settings.disable switches each analyzer off, and
// that golangci-lint then reports what the command reports with the same
// analyzer switched off (-NAME=false): the analyzers that remain take over
// what the disabled one would have reported (ctxdeadline reports detached
// calls in handlers when ctxdetach is off). Lines that //nolint hides from
// golangci-lint only (those with "standalone:" markers) are left out.
func TestDisable(t *testing.T) {
	bin := golangciLint(t)
	cmd := itest.Command(t)
	mod := itest.FixtureModule(t)
	markers := itest.Markers(t, mod)
	// //nolint:grpccancelcheck hides every analyzer on its line.
	nolint := make(map[string]bool)
	for _, m := range markers {
		if m.Standalone {
			nolint[fmt.Sprintf("%s:%d", m.File, m.Line)] = true
		}
	}
	for _, name := range analyzers.Names() {
		got := keys(t, lint(t, bin, mod, fmt.Sprintf(`{"disable": [%q]}`, name)))
		var want []string
		for _, k := range commandKeys(t, cmd, mod, "-"+name+"=false") {
			if _, line, _ := strings.Cut(k, " "); !nolint[line] {
				want = append(want, k)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("disable %s: golangci-lint reported:\n%s\nwant (the command with -%s=false):\n%s", name, strings.Join(got, "\n"), name, strings.Join(want, "\n"))
		}
		if slices.ContainsFunc(got, func(k string) bool { return strings.HasPrefix(k, name+" ") }) {
			t.Errorf("disable %s: it still reports", name)
		}
	}
}

// commandKeys runs the command with -json and args on the module in dir
// and returns its findings as "analyzer file:line" keys.
func commandKeys(t *testing.T, cmd, dir string, args ...string) []string {
	t.Helper()
	r := itest.Run(t, dir, nil, 5*time.Minute, cmd, append(append([]string{"-json"}, args...), "./...")...)
	var out []string
	dec := json.NewDecoder(strings.NewReader(r.Stdout))
	for dec.More() {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			t.Fatalf("command -json: %v", err)
		}
		for _, byAnalyzer := range tree {
			for name, raw := range byAnalyzer {
				var diags []struct{ Posn string }
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("command -json: %s: %s", name, raw)
				}
				for _, d := range diags {
					file, line := posnFileLine(dir, d.Posn)
					out = append(out, fmt.Sprintf("%s %s:%s", name, file, line))
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// posnFileLine splits "file:line:col" into the file, relative to dir and
// slash-separated, and the line.
func posnFileLine(dir, posn string) (string, string) {
	i := strings.LastIndex(posn, ":")
	j := strings.LastIndex(posn[:i], ":")
	file := posn[:j]
	if r, err := filepath.Rel(dir, file); err == nil {
		file = r
	}
	return filepath.ToSlash(file), posn[j+1 : i]
}

// TestFlagSettings checks that each analyzer flag that a marker needs,
// set under the analyzer's settings, adds its findings.
func TestFlagSettings(t *testing.T) {
	bin := golangciLint(t)
	mod := itest.FixtureModule(t)
	markers := itest.Markers(t, mod)
	var flags []string
	for _, m := range markers {
		if m.Flag != "" && registered(m) && !slices.Contains(flags, m.Flag) {
			flags = append(flags, m.Flag)
		}
	}
	if len(flags) == 0 {
		t.Fatal("no marker needs a flag: this test checks nothing")
	}
	for _, flag := range flags {
		analyzer, name, _ := strings.Cut(flag, ".")
		got := keys(t, lint(t, bin, mod, fmt.Sprintf(`{%q: {%q: true}}`, analyzer, name)))
		want := itest.Keys(markers, func(m itest.Marker) bool { return defaults(m) || registered(m) && m.Flag == flag })
		if !slices.Equal(got, want) {
			t.Errorf("%s: true: golangci-lint reported:\n%s\nwant:\n%s", flag, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestNolint checks that the lines golangci-lint leaves out for
// //nolint:grpccancelcheck are findings of the analyzers: the standalone
// command reports them.
func TestNolint(t *testing.T) {
	bin := golangciLint(t)
	mod := itest.FixtureModule(t)
	markers := itest.Markers(t, mod)
	standalone := itest.Keys(markers, func(m itest.Marker) bool { return m.Standalone && registered(m) })
	if len(standalone) == 0 {
		t.Fatal("no \"standalone:\" marker: this test checks nothing")
	}
	r := itest.RunCode(t, mod, nil, 5*time.Minute, itest.Command(t), "-json", "./...")
	var tree map[string]map[string][]struct{ Posn string }
	if err := json.Unmarshal([]byte(r.Stdout), &tree); err != nil {
		t.Fatalf("grpccancelcheck -json: %v\n%s%s", err, r.Stdout, r.Stderr)
	}
	var found []string
	for _, byAnalyzer := range tree {
		for name, diags := range byAnalyzer {
			for _, d := range diags {
				file, line, _ := strings.Cut(strings.TrimPrefix(d.Posn, mod+string(filepath.Separator)), ":")
				line, _, _ = strings.Cut(line, ":")
				found = append(found, fmt.Sprintf("%s %s:%s", name, filepath.ToSlash(file), line))
			}
		}
	}
	for _, k := range standalone {
		if !slices.Contains(found, k) {
			t.Errorf("the command does not report %s, so //nolint there proves nothing; it reports:\n%s", k, strings.Join(found, "\n"))
		}
	}
	got := keys(t, lint(t, bin, mod, "{}"))
	for _, k := range standalone {
		if slices.Contains(got, k) {
			t.Errorf("golangci-lint reports %s despite //nolint:%s", k, plugin.Name)
		}
	}
}

// TestFix checks that golangci-lint run --fix applies ctxdetach's
// suggested fix: the fixed file equals server.go.golden. The other
// analyzers are disabled so that the golden file shows ctxdetach's fix
// alone; the //nolint line keeps its detached call.
func TestFix(t *testing.T) {
	bin := golangciLint(t)
	mod := itest.FixtureModule(t)
	var others []string
	for _, name := range analyzers.Names() {
		if name != "ctxdetach" {
			others = append(others, fmt.Sprintf("%q", name))
		}
	}
	lint(t, bin, mod, fmt.Sprintf(`{"disable": [%s]}`, strings.Join(others, ", ")), "--fix")
	got, err := os.ReadFile(filepath.Join(mod, "server", "server.go"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(mod, "server", "server.go.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := gofmt(t, got), gofmt(t, want); !bytes.Equal(g, w) {
		t.Errorf("server/server.go after --fix:\n%s\nwant (server.go.golden):\n%s", g, w)
	}
	// Still reported after the fix: the finding without one.
	if issues := keys(t, lint(t, bin, mod, fmt.Sprintf(`{"disable": [%s]}`, strings.Join(others, ", ")))); len(issues) != 1 {
		t.Errorf("after --fix, golangci-lint reports %v; want only the helper call, which has no fix", issues)
	}
}

// TestVersion checks that the binary is the custom build of the version in
// .golangci-plugin.yml, stamped as `golangci-lint custom` stamps it.
func TestVersion(t *testing.T) {
	bin := golangciLint(t)
	config, err := os.ReadFile(filepath.Join(itest.Root(), ".golangci-plugin.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var version string
	for line := range strings.Lines(string(config)) {
		if v, ok := strings.CutPrefix(line, "version: "); ok {
			version = strings.TrimSpace(v)
		}
	}
	r := itest.Run(t, t.TempDir(), nil, time.Minute, bin, "version")
	if !strings.Contains(r.Stdout+r.Stderr, strings.TrimPrefix(version, "v")+"-custom-gcl-") {
		t.Errorf("golangci-lint version: %s%s; want %s-custom-gcl-...", r.Stdout, r.Stderr, version)
	}
}

func gofmt(t *testing.T, src []byte) []byte {
	t.Helper()
	out, err := format.Source(src)
	if err != nil {
		t.Fatalf("format: %v", err)
	}
	return out
}
