package ctxloop_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

func TestCtxloop(t *testing.T) {
	t.Parallel()
	fixturetest.RunWithSuggestedFixes(t, ctxloop.Analyzer, "./ctxloop", "./ctxloop/helpers")
}

// TestPatterns runs ctxloop on correct real-world loop shapes (silent) and a
// few that must be reported; fix1 must offer no fix (it has no golden file).
func TestPatterns(t *testing.T) {
	t.Parallel()
	fixturetest.RunWithSuggestedFixes(t, ctxloop.Analyzer,
		"./patterns/loop1", "./patterns/loop2", "./patterns/loop3", "./patterns/loop4",
		"./patterns/loop5", "./patterns/loop6", "./patterns/loop7", "./patterns/fix1")
}
