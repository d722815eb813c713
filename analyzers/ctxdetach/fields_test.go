package ctxdetach_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestFields checks handlers that reach upstream calls on contexts held in
// struct fields (the model's field origins) and through a context-less
// interface method whose implementations here all have the detachedCall
// fact: a field set from context.Background() is reported, a component's
// lifetime with its cancel function kept, a request context, an exported
// constructor's parameter and an interface with a quiet implementation are
// not.
func TestFields(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/fields")
}
