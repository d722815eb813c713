package grpcctx_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestIgnoreDirective runs ctxdetach, which reports through Model.Report,
// on the directive fixtures: every finding a directive with a reason covers
// is gone, and every malformed directive that covers a finding is reported
// once.
func TestIgnoreDirective(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.Run(t, dir, ctxdetach.Analyzer, "./suppress")
}
