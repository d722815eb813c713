package ctxloop_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

func TestCtxloop(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.RunWithSuggestedFixes(t, dir, ctxloop.Analyzer, "./ctxloop", "./ctxloop/helpers")
}
