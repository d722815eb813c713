package ctxdetach_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestOutbound checks that only calls with positive evidence of outbound
// work count: loggers, telemetry and interfaces of unknown implementation
// are silent, an interface implemented over gRPC and database/sql is not.
func TestOutbound(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/telemetry")
}
