package ctxloop_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestReturnedContexts checks loops that hand on contexts returned by
// helpers of another package (the model's returnedContext fact): one made
// by context.Background() there observes nothing; the request context
// handed through and returned does.
func TestReturnedContexts(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxloop.Analyzer, "./ctxloop/returned")
}
