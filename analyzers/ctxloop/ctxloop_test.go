package ctxloop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// The fixture packages the tests of this binary analyze: the binary loads
// only them (with their dependencies), not the whole fixture module.
var _ = fixturetest.Uses("./ctxloop/...", "./patterns/fixoneline", "./patterns/loopboundedfor", "./patterns/loopconsume",
	"./patterns/loopdrain", "./patterns/loopexits/...", "./patterns/loopfanin", "./patterns/loopfinite", "./patterns/looponce", "./patterns/loopownbounds",
	"./patterns/looprecvswitch", "./patterns/loopscope", "./patterns/loopvaluesonly")

func TestCtxloop(t *testing.T) {
	t.Parallel()
	fixturetest.RunWithSuggestedFixes(t, ctxloop.Analyzer, "./ctxloop", "./ctxloop/helpers")
}

// TestPatterns runs ctxloop on correct real-world loop shapes (silent) and a
// few that must be reported; fixoneline must offer no fix (it has no golden file).
func TestPatterns(t *testing.T) {
	t.Parallel()
	fixturetest.RunWithSuggestedFixes(t, ctxloop.Analyzer,
		"./patterns/loopfanin", "./patterns/loopboundedfor", "./patterns/loopconsume", "./patterns/looponce",
		"./patterns/loopdrain", "./patterns/looprecvswitch", "./patterns/loopvaluesonly", "./patterns/fixoneline")
}

// TestFinite runs ctxloop with -ctxloop.finite on finite loops that call
// into another package per iteration, and checks that the default
// analyzer reports none of them.
func TestFinite(t *testing.T) {
	fixturetest.Run(t, ctxloop.New(ctxloop.Config{Finite: true}), "./patterns/loopfinite")

	rec := &recorder{}
	fixturetest.RunFunc(t, rec.Errorf, ctxloop.Analyzer, "./patterns/loopfinite")
	if len(rec.errs) != 3 {
		t.Errorf("default ctxloop: want the 3 expectations of loopfinite unmet, got %d errors:\n%s", len(rec.errs), strings.Join(rec.errs, "\n"))
	}
	for _, e := range rec.errs {
		if !strings.Contains(e, "was reported matching") {
			t.Errorf("default ctxloop: %s", e)
		}
	}
}

// recorder collects the errors of an analysistest run that are expected.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestLoopExits: an exit test that comes first makes a for {} loop read like
// its condition, and a poll with a wall-clock deadline of its own is
// bounded; a poll without one and a search over candidates are reported.
func TestLoopExits(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxloop.Analyzer, "./patterns/loopexits", "./patterns/loopexits/parse", "./patterns/loopexits/snap")
}

// TestOwnBounds: loops that end by a route of their own (a cursor method
// stepping the field the exit tests, a channel whose producers end with
// the RPC, directly or through a helper that passes it on) are silent;
// their twins (a field a call fills, a channel nothing ends, one given
// Background) are reported, and so is a poll bounded by its own timer.
func TestOwnBounds(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxloop.Analyzer, "./patterns/loopownbounds")
}

// TestScope: a function that takes a concrete fake of a stream or a
// *testing.T is not judged as a handler, and calls into blind helpers are
// not reported in _test.go files; a stream function that takes the RPC's
// stream is.
func TestScope(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxloop.Analyzer, "./patterns/loopscope")
}
