// Command grpccancelcheck runs grpccancelcheck's analyzers: ctxloop,
// ctxdetach and ctxdeadline.
//
// Standalone:
//
//	grpccancelcheck [-json] [-fix [-diff]] [-ANALYZER=false] [-ANALYZER.FLAG=...] ./...
//
// Under go vet, which runs it once per package and carries facts between
// packages:
//
//	go vet -vettool=$(which grpccancelcheck) ./...
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
)

func main() {
	multichecker.Main(analyzers.All()...)
}
