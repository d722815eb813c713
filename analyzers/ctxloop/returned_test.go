package ctxloop_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestReturnedContexts checks loops that hand on contexts returned by
// helpers of another package (the model's returnedContext fact): one made
// by context.Background() there observes nothing; the request context
// handed through and returned does.
func TestReturnedContexts(t *testing.T) {
	t.Parallel()
	dir := fixturetest.Dir(t)
	analysistest.Run(t, dir, ctxloop.Analyzer, "./ctxloop/returned")
}
