package grpcctx_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// factful makes the checker analyze every dependency from source, as our
// fact-exporting analyzers do, so that the model is built for the standard
// library, grpc and protobuf too.
var factful = &analysis.Analyzer{
	Name:      "factful",
	Doc:       "requires the model everywhere",
	Requires:  []*analysis.Analyzer{grpcctx.Analyzer},
	FactTypes: []analysis.Fact{new(noFact)},
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
}

type noFact struct{}

func (*noFact) AFact() {}

// BenchmarkModel measures building the Model for the fixture module and
// every package it depends on (about 300 packages, most of them outside
// gRPC), on packages loaded once.
func BenchmarkModel(b *testing.B) {
	dir := fixturetest.Dir(b)
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir}, "./...")
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		b.Fatalf("load: %v", err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := checker.Analyze([]*analysis.Analyzer{factful}, pkgs, &checker.Options{Sequential: true}); err != nil {
			b.Fatal(err)
		}
	}
}
