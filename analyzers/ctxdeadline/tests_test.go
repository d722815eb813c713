package ctxdeadline_test

import (
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// testFixtures have findings in _test.go files.
var testFixtures = []string{"./patterns/dltestctx", "./ctxdeadline/mocks", "./ctxdeadline/ownserver/..."}

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
	for _, msg := range rec.unexpected {
		t.Error(msg)
	}
}

// TestTestsDefault checks that by default nothing is reported in _test.go
// files: the only complaints on the same fixtures are the unmet wants in
// them.
func TestTestsDefault(t *testing.T) {
	t.Parallel()
	rec := &recorder{T: t}
	results := fixturetest.RunFunc(t, rec.Errorf, deadline(ctxdeadline.Config{}), testFixtures...)
	for _, d := range diagnostics(results) {
		if strings.Contains(d, "_test.go:") {
			t.Errorf("unexpected finding without -tests: %s", d)
		}
	}
	if len(rec.unmet) == 0 {
		t.Error("the fixtures have no expectations in test files; this test checks nothing")
	}
	for _, msg := range rec.unmet {
		if !strings.Contains(msg, "_test.go:") {
			t.Errorf("unmet expectation outside a test file: %s", msg)
		}
	}
	for _, msg := range rec.unexpected {
		t.Error(msg)
	}
}
