package ctxloop_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/checker"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestFacts checks that ctxloop's facts (blindLoop, blocks) are small and
// deterministic: two runs export the same bytes, each fact is at most a few
// hundred bytes, and both kinds occur on the fixtures.
func TestFacts(t *testing.T) {
	t.Parallel()
	// A kind, two names, a description capped at 80 bytes and a location
	// whose file path is the longest part.
	kinds := fixturetest.CheckFactsStable(t, func() []*checker.Action {
		return fixturetest.Run(t, ctxloop.Analyzer, "./ctxloop", "./ctxloop/helpers")
	}, 600)
	for _, k := range []string{"*ctxloop.blindLoop", "*ctxloop.blocks"} {
		if kinds[k] < 3 {
			t.Errorf("%d facts of type %s on the fixtures, want at least 3", kinds[k], k)
		}
	}
}
