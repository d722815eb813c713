package ctxdetach_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestReturnedContexts checks handlers that call upstream on contexts
// returned by helpers of another package (the model's returnedContext
// fact): one made by context.Background() there is detached; the request
// context handed through and returned is not.
func TestReturnedContexts(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/returned")
}
