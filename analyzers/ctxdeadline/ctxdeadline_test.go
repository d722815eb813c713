package ctxdeadline_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

func TestCtxdeadline(t *testing.T) {
	dir := fixturetest.Dir(t)
	analysistest.Run(t, dir, ctxdeadline.Analyzer, "./ctxdeadline", "./ctxdeadline/rpcs")
}
