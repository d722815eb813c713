// Package ghactions tests what a GitHub Actions job reads from
// grpccancelcheck: the SARIF log it uploads to code scanning, and the
// problem matcher .github/grpccancelcheck-matcher.json, which must turn
// every finding the command prints, standalone or under go vet, into an
// annotation on the right file, line and column, and nothing else; and the
// composite Action (action.yml) through its run script (TestAction).
//
// The matcher exists because the "go" matcher that actions/setup-go
// registers wants a path that starts with "/", "./" or "../": go vet prints
// findings in other packages as "server/server.go:24:20: ...", which that
// pattern would read as the file "/server.go", and findings in the current
// directory as "server.go:24:20: ...", which it does not read at all.
//
// Needs: go, and bash for TestAction.
package ghactions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
)

type matcherFile struct {
	ProblemMatcher []struct {
		Owner    string
		Severity string
		Pattern  []struct {
			Regexp                      string
			File, Line, Column, Message int
		}
	}
}

// matcher loads the problem matcher and compiles its pattern. GitHub runs
// it as a JavaScript regular expression; the pattern keeps to the syntax
// that Go's regexp reads the same way.
func matcher(t *testing.T) (*regexp.Regexp, [4]int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(itest.Root(), ".github", "grpccancelcheck-matcher.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m matcherFile
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.ProblemMatcher) != 1 || len(m.ProblemMatcher[0].Pattern) != 1 || m.ProblemMatcher[0].Owner != "grpccancelcheck" {
		t.Fatalf("want one matcher, owner grpccancelcheck, with one pattern: %+v", m)
	}
	p := m.ProblemMatcher[0].Pattern[0]
	rx, err := regexp.Compile(p.Regexp)
	if err != nil {
		t.Fatal(err)
	}
	return rx, [4]int{p.File, p.Line, p.Column, p.Message}
}

// annotations applies the matcher to output as the runner does, line by
// line, resolving relative paths against dir (the workspace).
func annotations(t *testing.T, rx *regexp.Regexp, groups [4]int, dir, output string) []string {
	t.Helper()
	var out []string
	for line := range strings.Lines(output) {
		m := rx.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil {
			continue
		}
		file := m[groups[0]]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("annotation on a file that does not exist: %q from %q", file, line)
		}
		out = append(out, fmt.Sprintf("%s:%s:%s: %s", file, m[groups[1]], m[groups[2]], m[groups[3]]))
	}
	slices.Sort(out)
	return out
}

// findings returns the command's findings from its -json output, in the
// form annotations returns.
func findings(t *testing.T, jsonOut string) []string {
	t.Helper()
	var tree map[string]map[string][]struct{ Posn, Message string }
	if err := json.Unmarshal([]byte(jsonOut), &tree); err != nil {
		t.Fatalf("-json: %v\n%s", err, jsonOut)
	}
	var out []string
	for _, byAnalyzer := range tree {
		for _, diags := range byAnalyzer {
			for _, d := range diags {
				out = append(out, d.Posn+": "+d.Message)
			}
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		t.Fatal("no findings: this test checks nothing")
	}
	return out
}

func TestMatcherReadsStandaloneOutput(t *testing.T) {
	itest.Long(t)
	rx, groups := matcher(t)
	mod := itest.FixtureModule(t)
	cmd := itest.Command(t)
	// -ctxdetach.ctx-funcs adds a finding with a related position, which the
	// text output prints on a line of its own that is no annotation.
	text := itest.RunCode(t, mod, nil, 5*time.Minute, cmd, "-ctxdetach.ctx-funcs", "./...")
	if text.Code != 3 {
		t.Fatalf("exit %d, want 3 (findings)\n%s", text.Code, text.Stderr)
	}
	if !strings.Contains(text.Stderr, ": \t") {
		t.Fatalf("no related-position line in the output: this test checks less than it should\n%s", text.Stderr)
	}
	js := itest.RunCode(t, mod, nil, 5*time.Minute, cmd, "-json", "-ctxdetach.ctx-funcs", "./...")
	got, want := annotations(t, rx, groups, mod, text.Stderr), findings(t, js.Stdout)
	if !slices.Equal(got, want) {
		t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMatcherReadsGoVetOutput(t *testing.T) {
	itest.Long(t)
	rx, groups := matcher(t)
	mod := itest.FixtureModule(t)
	cmd := itest.Command(t)
	vet := itest.RunCode(t, mod, nil, 5*time.Minute, "go", "vet", "-vettool="+cmd, "./...")
	if vet.Code == 0 {
		t.Fatalf("go vet found nothing\n%s", vet.Stderr)
	}
	if !regexp.MustCompile(`(?m)^server/server\.go:\d+:\d+: `).MatchString(vet.Stderr) {
		t.Fatalf("go vet no longer prints paths relative to the module (server/server.go:...): the premise of this matcher changed\n%s", vet.Stderr)
	}
	js := itest.RunCode(t, mod, nil, 5*time.Minute, cmd, "-json", "./...")
	got, want := annotations(t, rx, groups, mod, vet.Stderr), findings(t, js.Stdout)
	if !slices.Equal(got, want) {
		t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMatcherIgnoresOtherLines checks lines a job prints around findings.
func TestMatcherIgnoresOtherLines(t *testing.T) {
	rx, _ := matcher(t)
	for _, line := range []string{
		"# example.com/integration/server",
		"/src/x.go:12:5: \toutbound call c.Unary on context.Background()",
		"grpccancelcheck: analysis skipped due to errors in package",
		"ok  \texample.com/integration/server\t0.01s",
		"go: downloading google.golang.org/grpc v1.85.0",
	} {
		if rx.MatchString(line) {
			t.Errorf("matches %q", line)
		}
	}
	for _, line := range []string{
		"./x.go:1:2: m",
		"x.go:1:2: m",
		`C:\src\x.go:1:2: m`,
		"/a b/x.go:" + strconv.Itoa(10) + ":2: m",
	} {
		if !rx.MatchString(line) {
			t.Errorf("does not match %q", line)
		}
	}
}
