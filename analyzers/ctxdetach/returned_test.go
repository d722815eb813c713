package ctxdetach_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestReturnedContexts checks handlers that call upstream on contexts
// returned by helpers of another package (the model's returnedContext
// fact): one made by context.Background() there is detached; the request
// context handed through and returned is not.
func TestReturnedContexts(t *testing.T) {
	t.Parallel()
	dir := fixturetest.Dir(t)
	analysistest.Run(t, dir, ctxdetach.Analyzer, "./ctxdetach/returned")
}
