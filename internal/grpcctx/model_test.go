package grpcctx_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// The fixture packages the tests of this binary analyze (TestModelFacts,
// TestIgnoreDirective): the binary loads only them, with their
// dependencies, not the whole fixture module.
var _ = fixturetest.Uses(modelFixtures...)

var modelFixtures = []string{"./ctxdetach/telemetry/store", "./ctxdeadline/conns/mw", "./ctxdeadline/callbacks/pool", "./ctxdeadline/callbacks/env", "./ctxdetach/guarded/meta"}

// TestModelFacts checks the model's own facts: which functions and
// interface methods reach outbound work (outboundParams, with the bool
// parameters that guard it) and which only
// read values from their contexts (readsValues).
func TestModelFacts(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, grpcctx.Analyzer, modelFixtures...)
}
