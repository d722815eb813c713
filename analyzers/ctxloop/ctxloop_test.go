package ctxloop_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

func TestCtxloop(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.RunWithSuggestedFixes(t, dir, ctxloop.Analyzer, "./ctxloop", "./ctxloop/helpers")
}

// TestPatterns runs ctxloop on correct real-world loop shapes (silent) and a
// few that must be reported; fix1 must offer no fix (it has no golden file).
func TestPatterns(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.RunWithSuggestedFixes(t, dir, ctxloop.Analyzer,
		"./patterns/loop1", "./patterns/loop2", "./patterns/loop3", "./patterns/loop4",
		"./patterns/loop5", "./patterns/loop6", "./patterns/loop7", "./patterns/fix1")
}
