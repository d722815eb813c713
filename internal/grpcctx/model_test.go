package grpcctx_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// TestModelFacts checks the model's own facts: which functions and
// interface methods reach outbound work (outboundParams, with the bool
// parameters that guard it) and which only
// read values from their contexts (readsValues).
func TestModelFacts(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, grpcctx.Analyzer, "./ctxdetach/telemetry/store", "./ctxdeadline/conns/mw", "./ctxdeadline/callbacks/pool", "./ctxdeadline/callbacks/env", "./ctxdetach/guarded/meta")
}
