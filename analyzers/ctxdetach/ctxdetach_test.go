package ctxdetach_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

func TestCtxdetach(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.RunWithSuggestedFixes(t, dir, ctxdetach.Analyzer, "./ctxdetach", "./ctxdetach/helpers", "./ctxdetach/netcalls")
}

// TestDefaultScopeIsHandlers checks that functions outside handler scope
// stay silent by default, even when they have a context parameter: on the
// fixture written for -ctx-funcs, the only complaints are its unmet wants.
func TestDefaultScopeIsHandlers(t *testing.T) {
	dir := fixturetest.Dir(t)
	rec := &recorder{T: t}
	results := analysistest.Run(rec, dir, ctxdetach.Analyzer, "./ctxdetach/wide")
	if len(results) == 0 {
		t.Fatal("no package analyzed")
	}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			t.Errorf("unexpected finding without -ctx-funcs: %s: %s", r.Pass.Fset.Position(d.Pos), d.Message)
		}
	}
	if len(rec.unmet) == 0 {
		t.Error("the fixture has no expectations for -ctx-funcs; this test checks nothing")
	}
}

// TestCtxFuncs checks the -ctxdetach.ctx-funcs widening.
func TestCtxFuncs(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.Run(t, dir, ctxdetach.New(ctxdetach.Config{CtxFuncs: true}), "./ctxdetach/wide")
}

// recorder keeps analysistest's complaints about unmet "want"
// expectations (written for the widened run) and fails on anything else.
type recorder struct {
	*testing.T
	unmet []string
}

func (r *recorder) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if strings.Contains(msg, "no diagnostic was reported matching") {
		r.unmet = append(r.unmet, msg)
		return
	}
	r.T.Errorf("%s", msg)
}

// TestPatterns runs ctxdetach on real-world shapes: deliberate detachment
// (silent), hidden detachment in the standard library, a cgo package, and
// fixes that must not be offered (fix2 has no golden file).
func TestPatterns(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.RunWithSuggestedFixes(t, dir, ctxdetach.Analyzer,
		"./patterns/detach1", "./patterns/detach2", "./patterns/detach3", "./patterns/fix2", "./patterns/fix3", "./patterns/cgo")
}
