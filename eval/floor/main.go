// Command floor is the benchmark floor of grpccancelcheck: the same driver
// (golang.org/x/tools' multichecker, as cmd/grpccancelcheck uses) loading,
// parsing and type-checking the same packages, with analyzers that do
// nothing. eval/run.sh measures grpccancelcheck against it.
//
// Two floors, one flag each:
//
//	floor -floorfacts ./...   # an analyzer with a fact type
//	floor -floor ./...        # an analyzer without facts
//
// With a fact type, the driver type-checks every dependency from source and
// runs the analyzer on each of them, as it must for grpccancelcheck, whose
// facts cross package boundaries: this is the floor grpccancelcheck cannot
// go below. Without facts, dependencies come from the compiler's export
// data and only the named packages are parsed: the floor of an analyzer
// that needs no facts, such as a tool of purely local checks.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
)

// noFact is a fact type that is never exported.
type noFact struct{}

func (*noFact) AFact() {}

func nothing(*analysis.Pass) (any, error) { return nil, nil }

var withFacts = &analysis.Analyzer{
	Name:      "floorfacts",
	Doc:       "do nothing, with a fact type: every dependency is loaded from source",
	FactTypes: []analysis.Fact{new(noFact)},
	Run:       nothing,
}

var withoutFacts = &analysis.Analyzer{
	Name: "floor",
	Doc:  "do nothing, without facts: dependencies come from export data",
	Run:  nothing,
}

func main() {
	multichecker.Main(withFacts, withoutFacts)
}
