package grpcctx_test

import (
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

var _ = fixturetest.Uses("./suppress") // this binary loads only the fixtures it analyzes

// TestIgnoreDirective runs ctxdetach, which reports through lint.Report,
// on the directive fixtures: every finding a directive with a reason covers
// is gone, and every malformed directive that covers a finding is reported
// once. It runs on the binary's one load of the fixture module
// (fixturetest), not a load of its own.
func TestIgnoreDirective(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./suppress")
}
