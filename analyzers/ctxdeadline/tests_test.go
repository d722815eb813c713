package ctxdeadline_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// testFixtures have findings in _test.go files.
var testFixtures = []string{"./patterns/dltestctx", "./ctxdeadline/mocks"}

// TestTests checks -ctxdeadline.tests: _test.go files are checked, and a
// mock passed for a client parameter stays silent there too.
func TestTests(t *testing.T) {
	t.Parallel()
	a := deadline(ctxdeadline.Config{})
	if err := a.Flags.Set("tests", "true"); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{T: t}
	fixturetest.RunFunc(t, rec.Errorf, a, testFixtures...)
	for _, msg := range rec.unmet {
		t.Error(msg)
	}
	checkVariantFacts(t, rec.unexpected)
}

// checkVariantFacts fails on every complaint but the unexpected facts on
// lines marked "// variant:": a package and its test variant export
// different facts there, which one want cannot say.
func checkVariantFacts(t *testing.T, unexpected []string) {
	t.Helper()
	dir := fixturetest.Dir(t)
	n := 0
	for _, msg := range unexpected {
		file, line, ok := complaintLine(msg)
		if ok && strings.Contains(msg, ": unexpected fact: ") && strings.Contains(lineOf(t, filepath.Join(dir, file), line), "// variant:") {
			n++
			continue
		}
		t.Error(msg)
	}
	if n == 0 {
		t.Error("no fact differs between a package and its test variant; the variant marks check nothing")
	}
}

// complaintLine returns the file (relative to testdata) and line that an
// analysistest complaint is about.
func complaintLine(msg string) (string, int, bool) {
	m := regexp.MustCompile(`testdata/([^:]+):(\d+):`).FindStringSubmatch(msg)
	if m == nil {
		return "", 0, false
	}
	n, _ := strconv.Atoi(m[2])
	return m[1], n, true
}

func lineOf(t *testing.T, file string, line int) string {
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(content), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	return lines[line-1]
}

// TestTestsDefault checks that by default nothing is reported in _test.go
// files: the only complaints on the same fixtures are the unmet wants in
// them.
func TestTestsDefault(t *testing.T) {
	t.Parallel()
	rec := &recorder{T: t}
	results := fixturetest.RunFunc(t, rec.Errorf, deadline(ctxdeadline.Config{}), testFixtures...)
	for _, d := range diagnostics(results) {
		t.Errorf("unexpected finding without -tests: %s", d)
	}
	if len(rec.unmet) == 0 {
		t.Error("the fixtures have no expectations in test files; this test checks nothing")
	}
	for _, msg := range rec.unmet {
		if !strings.Contains(msg, "_test.go:") {
			t.Errorf("unmet expectation outside a test file: %s", msg)
		}
	}
	checkVariantFacts(t, rec.unexpected)
}
