package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	grpccancelcheck "github.com/grpccancelcheck/grpccancelcheck/cmd/grpccancelcheck"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif/sariftest"
)

// toolEnv, set to 1, makes the test binary run as the command: the tests
// run the binary they are in (as x/tools' unitchecker tests do), so that
// nothing is built for them.
const toolEnv = "GRPCCANCELCHECK_TEST_AS_TOOL"

// tool is the test binary, the command when run with toolEnv set.
var tool string

func TestMain(m *testing.M) {
	if os.Getenv(toolEnv) == "1" {
		// It loads the fixture module from source as the tests that load it
		// in process do: the same collector settings.
		fixturetest.FewerCollections()
		grpccancelcheck.Main()
		os.Exit(0)
	}
	var err error
	if tool, err = os.Executable(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// long skips a test that runs the command on packages with -short:
// loading them with their dependencies from source takes a while.
func long(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the command on the fixture module: not with -short")
	}
	t.Parallel()
}

// integration skips a test that drives go vet, or runs the command on the
// fixture module many times over, unless the tests are built with -tags
// integration (fixturetest.Integration): TestJSONShape alone checks the
// command's interface in the first tier.
func integration(t *testing.T) {
	t.Helper()
	fixturetest.Integration(t)
	t.Parallel()
}

// A diagnostic as the x/tools checker JSON prints it (the shape go vet
// -json uses): {"pkg": {"analyzer": [diagnostic...]}}.
type diagnostic = sarif.JSONDiagnostic

type tree map[string]map[string]json.RawMessage

// A result is what a command did.
type result struct {
	stdout, stderr string
	code           int
}

// runs memoizes runOnce: tests that need the same run share it.
var runs sync.Map // dir, name and args -> *memo

type memo struct {
	once sync.Once
	res  result
	err  error
}

// run runs the command name (tool: the test binary as the command) in dir
// and returns stdout, stderr and the exit code. Runs with the same
// directory and arguments happen once per test binary, except in
// directories the test may change (mutable).
func run(t *testing.T, dir string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	key := strings.Join(append([]string{dir, name}, args...), "\x00")
	v, _ := runs.LoadOrStore(key, new(memo))
	m := v.(*memo)
	m.once.Do(func() { m.res, m.err = runOnce(dir, name, args...) })
	if m.err != nil {
		t.Fatalf("%s %v: %v", name, args, m.err)
	}
	return m.res.stdout, m.res.stderr, m.res.code
}

// runFresh is run without memoizing, for runs that change files.
func runFresh(t *testing.T, dir string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	r, err := runOnce(dir, name, args...)
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return r.stdout, r.stderr, r.code
}

func runOnce(dir, name string, args ...string) (result, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), toolEnv+"=1") // go vet passes it on to the vet tool
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	r := result{stdout: o.String(), stderr: e.String()}
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		return r, err
	}
	return r, nil
}

// parse decodes one or more checker JSON objects (go vet prints one per
// package) into "analyzer file:line:col message" lines, sorted, with paths
// made relative to dir.
func parse(t *testing.T, dir, out string) []string {
	t.Helper()
	var lines []string
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var tr tree
		if err := dec.Decode(&tr); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("output is not checker JSON: %v\n%s", err, out)
		}
		for _, byAnalyzer := range tr {
			for analyzer, raw := range byAnalyzer {
				var diags []diagnostic
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("%s: not a diagnostic list (an analysis error?): %s", analyzer, raw)
				}
				for _, d := range diags {
					line := fmt.Sprintf("%s %s %s", analyzer, rel(dir, d.Posn), d.Message)
					for _, r := range d.Related {
						line += fmt.Sprintf(" [related %s %s]", relLine(dir, r.Posn), r.Message)
					}
					lines = append(lines, line)
				}
			}
		}
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

func rel(dir, posn string) string {
	if r, err := filepath.Rel(dir, posn); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return posn
}

// relLine drops the column: go vet knows imported packages' positions only
// to the line.
func relLine(dir, posn string) string {
	return regexp.MustCompile(`:\d+$`).ReplaceAllString(rel(dir, posn), "")
}

// agreePatterns are the fixture packages the drivers are compared on:
// every analyzer's findings, the ones that cross packages through facts,
// the fixes, and ctxdetach's detached calls in handlers, which ctxdeadline
// reports when ctxdetach is off.
var agreePatterns = []string{"./ctxdetach/...", "./ctxloop/...", "./ctxdeadline/...", "./patterns/loopownbounds"}

// switchOffs are the command lines TestDriversAgree compares the drivers
// under: all analyzers, then each one switched off in turn.
func switchOffs(t *testing.T) [][]string {
	configs := [][]string{nil}
	for _, name := range analyzerNames(t) {
		configs = append(configs, []string{"-" + name + "=false"})
	}
	return configs
}

// TestDriversAgree runs go vet -vettool and the command's -sarif mode on
// the fixture module, with all analyzers and with each one switched off,
// and requires the same findings from both, including the ones that cross
// packages through facts, and none in generated files. -sarif is the -json
// mode converted (it runs it); with all analyzers and with ctxdetach off
// (where ctxdeadline takes over detached calls in handlers), the -json and
// text modes are compared directly too. Each run loads the fixtures'
// dependencies from source, hence not every mode in every configuration.
// (integration/golangci compares golangci-lint's findings with -json under
// the same switches, integration/nogo the exported Analyzers under a
// nogo-like driver.)
func TestDriversAgree(t *testing.T) {
	integration(t)
	dir := fixturetest.Dir(t)
	for _, config := range switchOffs(t) {
		t.Run(strings.Join(append([]string{"all"}, config...), ""), func(t *testing.T) {
			t.Parallel()
			out, stderr, code := run(t, dir, "go", slices.Concat([]string{"vet", "-vettool=" + tool, "-json"}, config, agreePatterns)...)
			if code != 0 {
				t.Fatalf("go vet -json exited %d:\n%s", code, stderr)
			}
			vet := parse(t, dir, out+stderr)
			if len(vet) == 0 {
				t.Fatalf("go vet found nothing; stderr:\n%s", stderr)
			}
			out, stderr, code = run(t, dir, tool, slices.Concat([]string{"-sarif"}, config, agreePatterns)...)
			if code != 0 {
				t.Fatalf("-sarif exited %d:\n%s", code, stderr)
			}
			if sarif := parseSARIF(t, dir, out); !slices.Equal(vet, sarif) {
				t.Errorf("go vet and -sarif disagree\ngo vet:\n%s\n-sarif:\n%s", strings.Join(vet, "\n"), strings.Join(sarif, "\n"))
			}
			standalone := vet
			if len(config) == 0 || config[0] == "-ctxdetach=false" {
				out, stderr, _ = run(t, dir, tool, slices.Concat([]string{"-json"}, config, agreePatterns)...)
				if standalone = parse(t, dir, out); !slices.Equal(standalone, vet) {
					t.Errorf("-json and go vet disagree\n-json:\n%s\ngo vet:\n%s", strings.Join(standalone, "\n"), strings.Join(vet, "\n"))
				}
				_, stderr, code = run(t, dir, tool, slices.Concat(config, agreePatterns)...)
				if code != 3 {
					t.Errorf("text mode exited %d, want 3 (findings):\n%s", code, stderr)
				}
				if text, want := parseText(dir, stderr), withoutAnalyzers(vet); !slices.Equal(text, want) {
					t.Errorf("go vet and text disagree\ngo vet:\n%s\ntext:\n%s", strings.Join(want, "\n"), strings.Join(text, "\n"))
				}
			}
			for _, off := range config {
				name := strings.TrimSuffix(strings.TrimPrefix(off, "-"), "=false")
				if slices.ContainsFunc(standalone, func(l string) bool { return strings.HasPrefix(l, name+" ") }) {
					t.Errorf("%s still reports", off)
				}
			}
			if len(config) == 0 {
				checkAllFindings(t, standalone)
			}
		})
	}
}

// checkAllFindings checks, on the findings of all analyzers, each
// analyzer's cross-package finding, with its related position in the
// helper package, and that nothing is reported in generated files.
func checkAllFindings(t *testing.T, findings []string) {
	cross := map[string]string{
		"ctxdetach":   "[related ctxdetach/helpers/helpers.go",
		"ctxloop":     "[related ctxloop/helpers/helpers.go",
		"ctxdeadline": "[related ctxdeadline/rpcs/rpcs.go",
	}
	for _, l := range findings {
		if posn := strings.Fields(l)[1]; strings.Contains(posn, "generated.go") {
			t.Errorf("finding in a generated file: %s", l)
		}
		for a, rel := range cross {
			if strings.HasPrefix(l, a+" ") && strings.Contains(l, rel) {
				delete(cross, a)
			}
		}
	}
	for a := range cross {
		t.Errorf("%s: no cross-package finding with a related position in its helpers package:\n%s", a, strings.Join(findings, "\n"))
	}
}

// TestDetachedCallsSurviveCtxdetachOff checks the division between
// ctxdetach and ctxdeadline through the command: with ctxdetach off,
// ctxdeadline reports the handler's deadline-less context.Background()
// call that is ctxdetach's finding otherwise, once, in every mode.
func TestDetachedCallsSurviveCtxdetachOff(t *testing.T) {
	integration(t)
	dir := fixturetest.Dir(t)
	at := func(lines []string, prefix string) int {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		return n
	}
	out, _, _ := run(t, dir, tool, slices.Concat([]string{"-json"}, agreePatterns)...)
	if n := at(parse(t, dir, out), "ctxdetach ctxdetach/ctxdetach.go:31:"); n != 1 {
		t.Errorf("with all analyzers, %d ctxdetach findings at ctxdetach.go:31, want 1", n)
	}
	if n := at(parse(t, dir, out), "ctxdeadline ctxdetach/ctxdetach.go:31:"); n != 0 {
		t.Errorf("with all analyzers, ctxdeadline reports ctxdetach.go:31 too")
	}
	out, _, _ = run(t, dir, tool, slices.Concat([]string{"-sarif", "-ctxdetach=false"}, agreePatterns)...)
	if n := at(parseSARIF(t, dir, out), "ctxdeadline ctxdetach/ctxdetach.go:31:"); n != 1 {
		t.Errorf("-sarif -ctxdetach=false: %d ctxdeadline findings at ctxdetach.go:31, want 1", n)
	}
}

// parseSARIF returns a SARIF log's results in parse's form.
func parseSARIF(t *testing.T, dir, out string) []string {
	t.Helper()
	var log sarif.Log
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("-sarif output is not JSON: %v\n%s", err, out)
	}
	path := func(l sarif.Location) string {
		a := l.PhysicalLocation.ArtifactLocation
		if a.URIBaseID == sarif.SrcRoot {
			u, _ := url.Parse(a.URI)
			return u.Path
		}
		u, _ := url.Parse(a.URI)
		return rel(dir, filepath.FromSlash(u.Path))
	}
	var lines []string
	for _, r := range log.Runs[0].Results {
		reg := r.Locations[0].PhysicalLocation.Region
		// The fixtures are ASCII: UTF-16 columns are byte columns.
		line := fmt.Sprintf("%s %s:%d:%d %s", r.RuleID, path(r.Locations[0]), reg.StartLine, reg.StartColumn, r.Message.Text)
		for _, l := range r.RelatedLocations {
			line += fmt.Sprintf(" [related %s:%d %s]", path(l), l.PhysicalLocation.Region.StartLine, l.Message.Text)
		}
		lines = append(lines, line)
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

var textLine = regexp.MustCompile(`^(.+:\d+:\d+): (.*)$`)

// parseText returns the findings of the text mode (on standard error) as
// "file:line:col message", sorted: the lines of related positions, whose
// message starts with a tab, are left out.
func parseText(dir, out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		m := textLine.FindStringSubmatch(l)
		if m == nil || strings.HasPrefix(m[2], "\t") {
			continue
		}
		lines = append(lines, rel(dir, m[1])+" "+m[2])
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

// withoutAnalyzers turns parse's lines into parseText's form.
func withoutAnalyzers(lines []string) []string {
	var out []string
	for _, l := range lines {
		_, rest, _ := strings.Cut(l, " ")
		if i := strings.Index(rest, " [related "); i >= 0 {
			rest = rest[:i]
		}
		out = append(out, rest)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestJSONShape checks the fields users and CI parsers rely on.
func TestJSONShape(t *testing.T) {
	long(t)
	dir := fixturetest.Dir(t)
	out, _, code := run(t, dir, tool, slices.Concat([]string{"-json"}, agreePatterns)...)
	if code != 0 {
		t.Errorf("-json exit code = %d, want 0 (the checker's convention)", code)
	}
	var tr tree
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("not checker JSON: %v", err)
	}
	var diags []diagnostic
	if err := json.Unmarshal(tr["example.com/fixtures/ctxdetach"]["ctxdetach"], &diags); err != nil || len(diags) == 0 {
		t.Fatalf("no ctxdetach diagnostics for example.com/fixtures/ctxdetach: %v", err)
	}
	var fixes, related int
	for _, d := range diags {
		if d.Category == "" || d.Posn == "" || d.End == "" || d.Message == "" {
			t.Errorf("incomplete diagnostic: %+v", d)
		}
		fixes += len(d.Fixes)
		related += len(d.Related)
	}
	if fixes == 0 || related == 0 {
		t.Errorf("want suggested fixes and related positions in the JSON, got %d and %d", fixes, related)
	}
}

// copyFixtures copies the fixture module to a temporary directory and
// points its replace directives (../runtime) back at this repository.
func copyFixtures(t *testing.T) string {
	t.Helper()
	src := fixturetest.Dir(t)
	root, err := filepath.Abs(filepath.Join(src, ".."))
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, r), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if r == "go.mod" {
			data = bytes.ReplaceAll(data, []byte("=> ../"), []byte("=> "+root+string(filepath.Separator)))
		}
		return os.WriteFile(filepath.Join(dst, r), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// snapshot returns the contents of every file below dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			files[path] = string(data)
		}
		return nil
	})
	return files
}

// TestFix applies every fix to a copy of the ctxdetach fixtures, compares
// the result with the .golden files and builds it.
func TestFix(t *testing.T) {
	integration(t)
	dir := copyFixtures(t)
	before := snapshot(t, dir)

	// Neither a plain run nor -fix -diff may touch the user's files.
	runFresh(t, dir, tool, "./...")
	runFresh(t, dir, tool, "-fix", "-diff", "./...")
	if after := snapshot(t, dir); !mapsEqual(before, after) {
		t.Fatal("a run without -fix (or with -diff) modified files")
	}

	// Each analyzer on its own fixtures: the goldens hold one analyzer's
	// fixes each.
	var goldens []string
	for _, a := range []string{"ctxdetach", "ctxloop"} {
		args := []string{"-fix"}
		for _, other := range []string{"ctxdetach", "ctxloop", "ctxdeadline"} {
			if other != a && slices.Contains(analyzerNames(t), other) {
				args = append(args, "-"+other+"=false")
			}
		}
		if _, stderr, code := runFresh(t, dir, tool, append(args, "./"+a+"/...")...); code != 0 {
			t.Fatalf("-fix on %s exited %d:\n%s", a, code, stderr)
		}
		g, _ := filepath.Glob(filepath.Join(dir, a, "*.go.golden"))
		if len(g) == 0 {
			t.Fatalf("no golden files for %s", a)
		}
		goldens = append(goldens, g...)
	}
	for _, golden := range goldens {
		want, _ := os.ReadFile(golden)
		got, _ := os.ReadFile(strings.TrimSuffix(golden, ".golden"))
		if !bytes.Equal(got, want) {
			t.Errorf("%s after -fix differs from its golden file", filepath.Base(strings.TrimSuffix(golden, ".golden")))
		}
	}
	if _, stderr, code := runFresh(t, dir, "go", "build", "./..."); code != 0 {
		t.Fatalf("the fixed fixtures do not build:\n%s", stderr)
	}
	if _, stderr, code := runFresh(t, dir, "go", "vet", "./ctxdetach/...", "./ctxloop/..."); code != 0 {
		t.Fatalf("go vet fails on the fixed fixtures:\n%s", stderr)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestTypeErrors checks that a package that does not type-check gets a
// clear error, and so does a package that imports it, and the run goes on
// with the others, in both drivers.
func TestTypeErrors(t *testing.T) {
	integration(t)
	dir := filepath.Join(fixturetest.Dir(t), "broken")
	for _, args := range [][]string{
		{tool, "-ctxdetach.ctx-funcs", "./..."},
		{"go", "vet", "-vettool=" + tool, "-ctxdetach.ctx-funcs", "./..."},
	} {
		stdout, stderr, code := run(t, dir, args[0], args[1:]...)
		all := stdout + stderr
		if code == 0 {
			t.Errorf("%v: exit code 0 despite a type error", args)
		}
		if !strings.Contains(all, "bad.go:7:9: undefined: undefinedCall") {
			t.Errorf("%v: the type error is not reported clearly:\n%s", args, all)
		}
		if !strings.Contains(all, "good.go:12:41: call to http.NewRequestWithContext in function Fetch") {
			t.Errorf("%v: the well-typed package was not analyzed:\n%s", args, all)
		}
		if strings.Contains(all, "panic") {
			t.Errorf("%v: panicked:\n%s", args, all)
		}
		if args[0] == tool {
			// One line per broken package, none of the driver's
			// per-analyzer prerequisite lines (quietFilter).
			if n := strings.Count(all, "not analyzed: it does not type-check"); n != 1 {
				t.Errorf("%v: %d \"not analyzed\" lines, want 1:\n%s", args, n, all)
			}
			// Its importer (and the importer's test variant) in one line.
			const importer = "grpccancelcheck: example.com/broken/uses not analyzed: it imports example.com/broken/bad, which does not type-check\n"
			if n := strings.Count(all, importer); n != 1 {
				t.Errorf("%v: %d lines %q, want 1:\n%s", args, n, importer, all)
			}
			if strings.Contains(all, "failed prerequisites") || strings.Contains(all, "analysis skipped") {
				t.Errorf("%v: the driver's prerequisite noise is not collapsed:\n%s", args, all)
			}
			// The package whose cgo code does not compile, and its test
			// variant: one line with the C compiler's error, and none of
			// the compiler's context lines nor the type error it causes.
			if cgoEnabled(t) {
				const cgo = "grpccancelcheck: example.com/broken/cgo not analyzed: its cgo code does not compile: cgo/cgo.go:6:11: fatal error: grpccancelcheck_no_such_header.h: No such file or directory\n"
				if n := strings.Count(all, cgo); n != 1 {
					t.Errorf("%v: %d lines %q, want 1:\n%s", args, n, cgo, all)
				}
				const user = "grpccancelcheck: example.com/broken/cgouser not analyzed: it imports example.com/broken/cgo, which does not compile (cgo)\n"
				if n := strings.Count(all, user); n != 1 {
					t.Errorf("%v: %d lines %q, want 1:\n%s", args, n, user, all)
				}
				for _, noise := range []string{"could not import C", "compilation terminated", "-: # "} {
					if strings.Contains(all, noise) {
						t.Errorf("%v: the cgo failure's noise (%q) is not collapsed:\n%s", args, noise, all)
					}
				}
			}
		}
	}
}

// cgoEnabled reports whether the go command builds cgo here (it does not
// without a C compiler, and then a cgo file is left out, not an error).
func cgoEnabled(t *testing.T) bool {
	out, _, _ := run(t, ".", "go", "env", "CGO_ENABLED")
	return strings.TrimSpace(out) == "1"
}

// analyzerNames asks the tool which analyzers it has (go vet's -flags
// protocol), so tests follow the registry.
func analyzerNames(t *testing.T) []string {
	t.Helper()
	out, _, _ := run(t, ".", tool, "-flags")
	var flags []struct{ Name string }
	if err := json.Unmarshal([]byte(out), &flags); err != nil {
		t.Fatalf("-flags: %v", err)
	}
	var names []string
	for _, f := range flags {
		if !strings.Contains(f.Name, ".") && strings.HasPrefix(f.Name, "ctx") {
			names = append(names, f.Name)
		}
	}
	return names
}

// TestDriverFlags checks that the command line parser that decides the
// analyzer selection before the analyzers are built knows every flag of
// x/tools' driver, and whether it takes a value: a flag it did not know
// would make it misread the rest of the command line.
func TestDriverFlags(t *testing.T) {
	t.Parallel() // one run of -flags, which loads nothing: with -short too
	out, _, _ := run(t, ".", tool, "-flags")
	var flags []struct {
		Name string
		Bool bool
	}
	if err := json.Unmarshal([]byte(out), &flags); err != nil {
		t.Fatalf("-flags: %v", err)
	}
	got := map[string]bool{
		// -flags leaves out the driver's flags that go vet cannot use.
		"debug": true, "cpuprofile": true, "memprofile": true, "trace": true, "fix": false,
	}
	for _, f := range flags {
		if !strings.HasPrefix(f.Name, "test.") { // the testing package's, in this binary only
			got[f.Name] = !f.Bool
		}
	}
	want := grpccancelcheck.KnownFlags()
	delete(want, "sarif") // the command's own: it runs the driver with -json instead
	for name, takesValue := range got {
		if w, ok := want[name]; !ok {
			t.Errorf("the driver has flag -%s, which the command line parser does not know", name)
		} else if w != takesValue {
			t.Errorf("-%s: the parser thinks it takes a value: %v; the driver: %v", name, w, takesValue)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("the parser knows -%s, which the driver does not have", name)
		}
	}
}

// TestSARIFAnalyzerFlags checks that -sarif takes the analyzer flags of the
// other modes: -NAME=false leaves an analyzer out, -NAME runs only it,
// -NAME.FLAG configures it.
func TestSARIFAnalyzerFlags(t *testing.T) {
	integration(t)
	dir := fixturetest.Dir(t)
	sarifRun := func(args ...string) (*sarif.Log, string) {
		out, stderr, code := run(t, dir, tool, append([]string{"-sarif"}, args...)...)
		if code != 0 {
			t.Fatalf("-sarif %v: exit %d\n%s", args, code, stderr)
		}
		if err := sariftest.Validate([]byte(out)); err != nil {
			t.Errorf("-sarif %v: %v", args, err)
		}
		var log sarif.Log
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		return &log, out
	}
	ruleIDs := func(log *sarif.Log) (rules, results []string) {
		for _, r := range log.Runs[0].Tool.Driver.Rules {
			rules = append(rules, r.ID)
		}
		for _, r := range log.Runs[0].Results {
			if !slices.Contains(results, r.RuleID) {
				results = append(results, r.RuleID)
			}
		}
		return rules, results
	}
	log, _ := sarifRun(slices.Concat([]string{"-ctxdetach=false"}, agreePatterns)...)
	if rules, results := ruleIDs(log); slices.Contains(rules, "ctxdetach") || slices.Contains(results, "ctxdetach") {
		t.Errorf("-ctxdetach=false: rules %v, results of %v", rules, results)
	}
	log, _ = sarifRun("-ctxdetach", "./ctxdetach")
	if rules, results := ruleIDs(log); !slices.Equal(rules, []string{"ctxdetach"}) || !slices.Equal(results, []string{"ctxdetach"}) {
		t.Errorf("-ctxdetach: rules %v, results of %v; want ctxdetach only", rules, results)
	}

	// The wide fixture has ctxdetach findings only with -ctxdetach.ctx-funcs.
	count := func(log *sarif.Log) int {
		n := 0
		for _, r := range log.Runs[0].Results {
			if r.RuleID == "ctxdetach" && strings.HasPrefix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "ctxdetach/wide/") {
				n++
			}
		}
		return n
	}
	log, _ = sarifRun(agreePatterns...)
	if n := count(log); n != 0 {
		t.Errorf("default: %d ctxdetach results in ctxdetach/wide, want 0", n)
	}
	log, _ = sarifRun("-ctxdetach.ctx-funcs", "./ctxdetach/wide")
	if n := count(log); n == 0 {
		t.Errorf("-ctxdetach.ctx-funcs: no ctxdetach results in ctxdetach/wide, want some")
	}
}

// TestSARIFLoadErrors checks that a package that does not load makes exit
// status 1 and an error notification in a log that is still valid.
func TestSARIFLoadErrors(t *testing.T) {
	t.Parallel() // go list fails at once on the missing package: with -short too
	out, stderr, code := run(t, fixturetest.Dir(t), tool, "-sarif", "./nosuchpackage")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if err := sariftest.Validate([]byte(out)); err != nil {
		t.Error(err)
	}
	var log sarif.Log
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) == 0 || inv.ToolExecutionNotifications[0].Level != "error" {
		t.Errorf("invocation %+v, want a failed execution with an error notification", inv)
	}
	if !strings.Contains(stderr, "nosuchpackage") {
		t.Errorf("stderr does not name the package:\n%s", stderr)
	}
}

func TestSARIFBadCommandLines(t *testing.T) {
	t.Parallel() // the command stops before it loads a package: with -short too
	for _, args := range [][]string{
		{"-json", "./ctxdetach"},
		{"-fix", "./ctxdetach"},
		{"-nosuchflag", "./ctxdetach"},
		{},
	} {
		if out, stderr, code := run(t, fixturetest.Dir(t), tool, append([]string{"-sarif"}, args...)...); code != 2 || stderr == "" || out != "" {
			t.Errorf("-sarif %v: exit %d, stderr %q, %d bytes of output; want 2, a message and no log", args, code, stderr, len(out))
		}
	}
}

// TestOwnServerUnderVet checks -ctxdeadline.tests on calls to a service the
// test's program registers itself in both drivers: the registration is a
// package fact that go vet passes between its separate processes, so the
// calls to the test's own servers stay silent there too, and the twins (a
// service the program does not register) are reported by both.
func TestOwnServerUnderVet(t *testing.T) {
	integration(t)
	dir := fixturetest.Dir(t)
	pattern := "./ctxdeadline/ownserver/..."
	out, stderr, code := run(t, dir, "go", "vet", "-vettool="+tool, "-json", "-ctxdeadline.tests", pattern)
	if code != 0 {
		t.Fatalf("go vet -json exited %d:\n%s", code, stderr)
	}
	vet := parse(t, dir, out+stderr)
	out, _, _ = run(t, dir, tool, "-json", "-ctxdeadline.tests", pattern)
	standalone := parse(t, dir, out)
	want := []string{
		"ctxdeadline ctxdeadline/ownserver/bydesc/bydesc_test.go:31:46 gRPC call echo.EchoClient.Unary uses context.Background()",
		"ctxdeadline ctxdeadline/ownserver/ownserver_test.go:55:49 gRPC call echov13.EchoClient.Unary uses context.Background()",
	}
	for name, got := range map[string][]string{"go vet": vet, "-json": standalone} {
		if len(got) != len(want) {
			t.Errorf("%s: %d findings, want %d:\n%s", name, len(got), len(want), strings.Join(got, "\n"))
			continue
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("%s: finding %d is\n%s\nwant one starting\n%s", name, i, got[i], want[i])
			}
		}
	}
}
