package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// tool is the grpccancelcheck binary built for these tests.
var tool string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "grpccancelcheck-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tool = filepath.Join(dir, "grpccancelcheck")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building grpccancelcheck: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// A diagnostic as the x/tools checker JSON prints it (the shape go vet
// -json uses): {"pkg": {"analyzer": [diagnostic...]}}.
type diagnostic struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	End      string `json:"end"`
	Message  string `json:"message"`
	Fixes    []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename   string `json:"filename"`
			Start, End int
			New        string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	Related []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

type tree map[string]map[string]json.RawMessage

// run runs cmd in dir and returns stdout, stderr and the exit code.
func run(t *testing.T, dir string, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return o.String(), e.String(), code
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

// TestDriversAgree runs the standalone checker and go vet -vettool on the
// fixture module and requires the same findings, including the ones that
// cross packages through facts, and none in generated files.
func TestDriversAgree(t *testing.T) {
	dir := fixturetest.Dir(t)
	patterns := []string{"./ctxdetach/...", "./ctxloop/...", "./ctxdeadline/..."}
	out, stderr, _ := run(t, dir, tool, append([]string{"-json"}, patterns...)...)
	standalone := parse(t, dir, out)
	if len(standalone) == 0 {
		t.Fatalf("standalone run found nothing; stderr:\n%s", stderr)
	}
	out, stderr, code := run(t, dir, "go", append([]string{"vet", "-vettool=" + tool, "-json"}, patterns...)...)
	if code != 0 {
		t.Fatalf("go vet -json exited %d:\n%s", code, stderr)
	}
	vet := parse(t, dir, out+stderr)
	if !slices.Equal(standalone, vet) {
		t.Errorf("drivers disagree\nstandalone:\n%s\ngo vet:\n%s", strings.Join(standalone, "\n"), strings.Join(vet, "\n"))
	}

	// Each analyzer's cross-package finding, with its related position in
	// the helper package, in both drivers (equal above).
	cross := map[string]string{
		"ctxdetach":   "[related ctxdetach/helpers/helpers.go",
		"ctxloop":     "[related ctxloop/helpers/helpers.go",
		"ctxdeadline": "[related ctxdeadline/rpcs/rpcs.go",
	}
	for _, l := range standalone {
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
		t.Errorf("%s: no cross-package finding with a related position in its helpers package:\n%s", a, strings.Join(standalone, "\n"))
	}
}

// TestJSONShape checks the fields users and CI parsers rely on.
func TestJSONShape(t *testing.T) {
	dir := fixturetest.Dir(t)
	out, _, code := run(t, dir, tool, "-json", "./ctxdetach")
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
// points its replace directive back at this module.
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
			data = bytes.ReplaceAll(data, []byte("=> ../"), []byte("=> "+root))
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
	dir := copyFixtures(t)
	before := snapshot(t, dir)

	// Neither a plain run nor -fix -diff may touch the user's files.
	run(t, dir, tool, "./...")
	run(t, dir, tool, "-fix", "-diff", "./...")
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
		if _, stderr, code := run(t, dir, tool, append(args, "./"+a+"/...")...); code != 0 {
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
	if _, stderr, code := run(t, dir, "go", "build", "./..."); code != 0 {
		t.Fatalf("the fixed fixtures do not build:\n%s", stderr)
	}
	if _, stderr, code := run(t, dir, "go", "vet", "./ctxdetach/...", "./ctxloop/..."); code != 0 {
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
// clear error and the run goes on with the others, in both drivers.
func TestTypeErrors(t *testing.T) {
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
		if !strings.Contains(all, "good.go:12:36: call to http.NewRequestWithContext in function Fetch") {
			t.Errorf("%v: the well-typed package was not analyzed:\n%s", args, all)
		}
		if strings.Contains(all, "panic") {
			t.Errorf("%v: panicked:\n%s", args, all)
		}
	}
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
