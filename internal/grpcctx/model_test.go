package grpcctx_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// TestModelFacts checks the model's own facts: which functions and
// interface methods reach outbound work (outboundParams) and which only
// read values from their contexts (readsValues).
func TestModelFacts(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, fixturetest.Dir(t), grpcctx.Analyzer, "./ctxdetach/telemetry/store", "./ctxdeadline/conns/mw", "./ctxdeadline/callbacks/pool")
}
