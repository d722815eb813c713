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

// TestGuarded checks outbound work behind a bool parameter: a call that
// passes the constant that skips it is silent, the other constant, a
// variable, and an unguarded path are reported (validation class V2).
func TestGuarded(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/guarded")
}
