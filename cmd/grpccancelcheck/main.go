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
//
// For code scanning, -sarif writes one SARIF 2.1.0 log to standard output
// (exit status 0 whatever it finds, as with -json; 1 if packages fail to
// load):
//
//	grpccancelcheck -sarif [-ANALYZER=false] [-ANALYZER.FLAG=...] ./... > grpccancelcheck.sarif
//
// A finding is suppressed, in every mode, by a directive comment that gives
// a reason, on its line or alone on the line above:
//
//	//grpccancelcheck:ignore ctxdetach -- the audit write must outlive the RPC
package main

import (
	"os"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif"
)

func main() {
	if code, ok := runQuiet(os.Args[1:]); ok {
		os.Exit(code)
	}
	if sarif.Requested(os.Args[1:]) {
		cmd := &sarif.Command{
			Name:           "grpccancelcheck",
			InformationURI: "https://github.com/grpccancelcheck/grpccancelcheck",
			Analyzers:      analyzers.All(),
			Stdout:         os.Stdout,
			Stderr:         os.Stderr,
		}
		os.Exit(cmd.Run(os.Args[1:]))
	}
	multichecker.Main(analyzers.All()...)
}
