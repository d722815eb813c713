package ctxdetach_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// The fixture packages the tests of this binary analyze: the binary loads
// only them (with their dependencies), not the whole fixture module.
var _ = fixturetest.Uses("./ctxdetach/...", "./patterns/cgo", "./patterns/detachdeliberate", "./patterns/detachhttpget",
	"./patterns/detachvaluereader", "./patterns/fixsharedroot", "./patterns/fixstream")

func TestCtxdetach(t *testing.T) {
	t.Parallel()
	fixturetest.RunWithSuggestedFixes(t, ctxdetach.Analyzer, "./ctxdetach", "./ctxdetach/helpers", "./ctxdetach/netcalls", "./ctxdetach/lastuse", "./ctxdetach/deferred", "./ctxdetach/adapter", "./ctxdetach/dials", "./ctxdetach/probes")
}

// TestDefaultScopeIsHandlers checks that functions outside handler scope
// stay silent by default, even when they have a context parameter: on the
// fixture written for -ctx-funcs, the only complaints are its unmet wants.
func TestDefaultScopeIsHandlers(t *testing.T) {
	t.Parallel()
	acts := fixturetest.Analyze(t, []*analysis.Analyzer{ctxdetach.Analyzer}, "./ctxdetach/wide")
	if len(acts) == 0 {
		t.Fatal("no package analyzed")
	}
	unmet := 0
	for _, act := range acts {
		for _, d := range act.Diagnostics {
			t.Errorf("unexpected finding without -ctx-funcs: %s: %s", act.Package.Fset.Position(d.Pos), d.Message)
		}
		// The wants are written for the widened run: only unmet ones
		// may remain (an unexpected fact would be a failure too).
		for _, p := range fixturetest.Check(act) {
			switch {
			case p.Kind == fixturetest.Unmet && !p.Fact:
				unmet++
			case p.Kind == fixturetest.Unexpected && !p.Fact:
				// reported above
			default:
				t.Errorf("%s", p)
			}
		}
	}
	if unmet == 0 {
		t.Error("the fixture has no expectations for -ctx-funcs; this test checks nothing")
	}
}

// TestCtxFuncs checks the -ctxdetach.ctx-funcs widening.
func TestCtxFuncs(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.New(ctxdetach.Config{CtxFuncs: true}), "./ctxdetach/wide")
}

// TestPatterns runs ctxdetach on real-world shapes: deliberate detachment
// (silent), hidden detachment in the standard library, a cgo package, and
// fixes that must not be offered (fixsharedroot has no golden file).
func TestPatterns(t *testing.T) {
	t.Parallel()
	fixturetest.RunWithSuggestedFixes(t, ctxdetach.Analyzer,
		"./patterns/detachdeliberate", "./patterns/detachhttpget", "./patterns/detachvaluereader", "./patterns/fixsharedroot", "./patterns/fixstream", "./patterns/cgo")
}
