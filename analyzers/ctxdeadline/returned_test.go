package ctxdeadline_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestReturnedContexts checks calls on contexts that helpers of another
// package return (the model's returnedContext fact): the helper that
// returns the context it was given, without the timeout it made, is
// reported at its caller's RPC; the one that returns the bounded context
// is silent.
func TestReturnedContexts(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdeadline.Analyzer, "./ctxdeadline/returned/...")
}
