// Package editors tests the editor recipes of docs/editors.md the way each
// editor runs the tool: the same program, arguments and working directory,
// and the output parsed as the editor parses it (the parsers are ported
// from the editors' sources, named at each test). The lint target is a
// copy of the fixture module testdata/integration.
//
//   - VS Code (vscode-go's go.lintTool "golangci-lint-v2", with
//     go.alternateTools pointing at the custom golangci-lint): TestVSCode.
//   - Neovim, Helix (golangci-lint-langserver with the custom
//     golangci-lint as its command): TestLangserver. The language server
//     itself is not on the module proxy this project can reach, so the test
//     runs the command it runs and decodes its output with its types.
//   - GoLand (an External Tool or File Watcher running grpccancelcheck,
//     with an output filter): TestGoLand.
//
// Needs: go, and for the golangci-lint tests what scripts/build-golangci.sh
// needs; those build golangci-lint (cached) and are skipped with -short.
package editors

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
)

// golangciConfig is the .golangci.yml of the recipes: grpccancelcheck
// enabled with its default settings.
const golangciConfig = `version: "2"
linters:
  default: none
  enable:
    - grpccancelcheck
  settings:
    custom:
      grpccancelcheck:
        type: module
        description: gRPC cancellation hygiene (ctxloop, ctxdetach, ctxdeadline)
        original-url: https://github.com/grpccancelcheck/grpccancelcheck
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
`

// golangciModule returns the custom golangci-lint and a fixture module
// with the recipes' .golangci.yml.
func golangciModule(t *testing.T) (bin, mod string) {
	t.Helper()
	bin = itest.GolangciLint(t)
	mod = itest.FixtureModule(t)
	if err := os.WriteFile(filepath.Join(mod, ".golangci.yml"), []byte(golangciConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	return bin, mod
}

// golangciWant returns the findings golangci-lint reports with default
// settings in the files that keep accepts, as "analyzer file:line".
func golangciWant(t *testing.T, mod string, keep func(file string) bool) []string {
	t.Helper()
	want := itest.Keys(itest.Markers(t, mod), func(m itest.Marker) bool {
		return slices.Contains(analyzers.Names(), m.Analyzer) && m.Flag == "" && !m.Standalone && keep(m.File)
	})
	if len(want) == 0 {
		t.Fatal("no expected findings: this test checks nothing")
	}
	return want
}

// vscodeLine is the pattern of vscode-go's runTool
// (extension/src/diagnostics/diagnostics.ts), which reads every linter's
// standard output line by line.
var vscodeLine = regexp.MustCompile(`^([^:]*: )?((.:)?[^:]*):(\d+)(:(\d+)?)?:(?:\w+:)? (.*)$`)

// TestVSCode runs the custom golangci-lint as vscode-go's goLint
// (extension/src/diagnostics/goLint.ts) does for go.lintTool
// "golangci-lint-v2" when a file is saved (go.lintOnSave "package", the
// default): in the file's directory, with no package argument and the
// flags it appends, and parses standard output as runTool does: a failed
// run with anything on standard error shows nothing.
func TestVSCode(t *testing.T) {
	bin, mod := golangciModule(t)
	dir := filepath.Join(mod, "server")
	args := []string{"run", "--issues-exit-code=0", "--output.text.print-issued-lines=false", "--show-stats=false",
		"--output.text.path=stdout", "--path-mode=abs"}
	// TMPDIR: golangci-lint allows one run per machine through a lock in
	// the temporary directory, and other test binaries run it at the same time.
	r := itest.RunCode(t, dir, []string{"GOLANGCI_LINT_CACHE=" + t.TempDir(), "TMPDIR=" + t.TempDir()}, 5*time.Minute, bin, args...)
	if r.Code != 0 && r.Stderr != "" {
		t.Fatalf("exit %d with standard error output: VS Code would show nothing\n%s", r.Code, r.Stderr)
	}
	var got []string
	for line := range strings.Lines(r.Stdout) {
		line = strings.TrimRight(line, "\n")
		if strings.HasPrefix(line, "\t") {
			continue // runTool appends it to the previous message
		}
		m := vscodeLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		file, lineNo, msg := m[2], m[4], m[7]
		if !filepath.IsAbs(file) { // path.resolve(cwd, file)
			t.Errorf("relative path %q: vscode-go asked for --path-mode=abs", file)
			file = filepath.Join(dir, file)
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("diagnostic on a file that does not exist: %s", line)
		}
		if strings.Contains(msg, "(related information)") {
			continue
		}
		got = append(got, key(t, mod, file, lineNo, strings.TrimSuffix(msg, " (grpccancelcheck)")))
	}
	slices.Sort(got)
	want := golangciWant(t, mod, func(f string) bool { return strings.HasPrefix(f, "server/") })
	if !slices.Equal(got, want) {
		t.Errorf("VS Code diagnostics:\n%s\nwant:\n%s\nstdout:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), r.Stdout)
	}
}

// langserverResult is the part of golangci-lint's JSON output that
// golangci-lint-langserver decodes (its golangci-lint.go, v0.0.12).
type langserverResult struct {
	Issues []struct {
		FromLinter string
		Text       string
		Severity   string
		Pos        struct {
			Filename     string
			Line, Column int
		}
	}
}

// TestLangserver runs the custom golangci-lint as golangci-lint-langserver
// (handler.go, v0.0.12) does when a file is opened or saved, with the
// command its README gives for golangci-lint v2 (our recipe only swaps the
// program): the file's directory as the argument, in the module's root; it
// shows nothing when the command succeeds, decodes standard output
// otherwise, and keeps the issues whose Pos.Filename is the file's path
// relative to the module root.
func TestLangserver(t *testing.T) {
	bin, mod := golangciModule(t)
	command := []string{bin, "run", "--output.json.path", "stdout", "--show-stats=false", "--issues-exit-code=1"}
	for _, file := range []string{"server/server.go", "upstream/upstream.go"} {
		path := filepath.Join(mod, filepath.FromSlash(file))
		dir, _ := filepath.Split(path)
		cmd := exec.Command(command[0], append(slices.Clone(command[1:]), dir)...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir(), "TMPDIR="+t.TempDir()) // TMPDIR: as in TestVSCode
		start := time.Now()
		out, err := cmd.Output()
		t.Logf("%s: %v in %v", file, err, time.Since(start).Round(time.Millisecond))
		want := golangciWant(t, mod, func(f string) bool { return true })
		want = slices.DeleteFunc(want, func(k string) bool { return !strings.HasSuffix(strings.SplitN(k, ":", 2)[0], " "+file) })
		if err == nil {
			if len(want) > 0 {
				t.Errorf("%s: the command succeeded, so the language server shows nothing; want %v", file, want)
			}
			continue
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || len(out) == 0 {
			t.Fatalf("%s: %v with no output: the language server shows the error\n%s", file, err, exitStderr(err))
		}
		var res langserverResult
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("%s: the language server cannot decode the output: %v\n%s", file, err, out)
		}
		var got []string
		for _, is := range res.Issues {
			if is.Pos.Filename != file || strings.Contains(is.Text, "(related information)") {
				continue
			}
			if is.FromLinter != "grpccancelcheck" || is.Pos.Line < 1 || is.Pos.Column < 1 {
				t.Errorf("%s: issue %+v", file, is)
			}
			got = append(got, key(t, mod, filepath.Join(mod, is.Pos.Filename), fmt.Sprint(is.Pos.Line), is.Text))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: language server diagnostics:\n%s\nwant:\n%s", file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// golandFilter is IntelliJ's RegexpFilter (the output filters of External
// Tools and File Watchers) for the expression "$FILE_PATH$:$LINE$:$COLUMN$",
// with its macros' patterns written in Go's syntax; it is found anywhere in
// a line, and makes a link when the path names an existing file.
var golandFilter = regexp.MustCompile(`((?:[A-Za-z]:)?[0-9 a-z_A-Z\-\\./]+):([0-9]+):([0-9]+)`)

// TestGoLand runs grpccancelcheck as a GoLand External Tool of the recipe
// (program grpccancelcheck, arguments ./..., working directory
// $ProjectFileDir$) and applies the output filter to the console, which
// shows standard output and standard error: every finding and related
// position becomes a link to its file, line and column, and nothing else.
func TestGoLand(t *testing.T) {
	itest.Long(t)
	mod := itest.FixtureModule(t)
	cmd := itest.Command(t)
	r := itest.RunCode(t, mod, nil, 5*time.Minute, cmd, "./...")
	if r.Code != 3 {
		t.Fatalf("exit %d, want 3 (findings)\n%s", r.Code, r.Stderr)
	}
	var got []string
	for line := range strings.Lines(r.Stdout + r.Stderr) {
		m := golandFilter.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if !filepath.IsAbs(m[1]) {
			t.Errorf("link %q is not absolute: GoLand's filter finds no file", m[1])
		}
		if _, err := os.Stat(m[1]); err != nil {
			t.Errorf("link to a file that does not exist: %q in %q", m[1], line)
		}
		got = append(got, m[1]+":"+m[2]+":"+m[3])
	}
	slices.Sort(got)

	js := itest.RunCode(t, mod, nil, 5*time.Minute, cmd, "-json", "./...")
	var tree map[string]map[string][]struct {
		Posn    string
		Related []struct{ Posn string }
	}
	if err := json.Unmarshal([]byte(js.Stdout), &tree); err != nil {
		t.Fatalf("-json: %v\n%s", err, js.Stdout)
	}
	var want []string
	for _, byAnalyzer := range tree {
		for _, diags := range byAnalyzer {
			for _, d := range diags {
				want = append(want, d.Posn)
				for _, rel := range d.Related {
					want = append(want, rel.Posn)
				}
			}
		}
	}
	slices.Sort(want)
	if len(want) == 0 {
		t.Fatal("no findings: this test checks nothing")
	}
	if !slices.Equal(got, want) {
		t.Errorf("GoLand links:\n%s\nwant (findings and related positions):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// key returns "analyzer file:line" for a golangci-lint issue whose text
// starts with the analyzer's name.
func key(t *testing.T, mod, file, line, text string) string {
	t.Helper()
	name, _, ok := strings.Cut(text, ": ")
	if !ok || !slices.Contains(analyzers.Names(), name) {
		t.Errorf("issue text does not start with an analyzer's name: %q", text)
	}
	rel, err := filepath.Rel(mod, file)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %s:%s", name, filepath.ToSlash(rel), line)
}

func exitStderr(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(exit.Stderr)
	}
	return ""
}
