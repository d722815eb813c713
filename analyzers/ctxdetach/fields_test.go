package ctxdetach_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/checker"

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

// TestFieldsFactsDeterministic checks that the detachedCall facts of the
// field fixture, an interface method's among them, are the same bytes on
// two runs, and small (gob writes each fact's type description with it:
// the Guards field's adds about 40 bytes to every fact, guards or not).
func TestFieldsFactsDeterministic(t *testing.T) {
	t.Parallel()
	kinds := fixturetest.CheckFactsStable(t, func() []*checker.Action {
		return fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/fields")
	}, 480)
	if n := kinds["*ctxdetach.detachedCall"]; n < 3 {
		t.Fatalf("only %d detachedCall facts on the fixture", n)
	}
}

// TestDropped checks handlers that never use their request context: a
// context a helper makes detached, or a fallible call without evidence
// of outbound work, is reported there; a logger, a kept lifetime, a
// goroutine, and a handler that uses its context elsewhere are not.
func TestDropped(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/dropped")
}
