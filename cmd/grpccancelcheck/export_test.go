package main

import (
	"flag"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
)

// Main lets the tests run the test binary as the command.
var Main = main

// KnownFlags returns the flags parseCommandLine knows besides the
// analyzers' own: name, and whether it takes a value.
func KnownFlags() map[string]bool {
	known := map[string]bool{"sarif": false, "json": false, "fix": false, "diff": false}
	for name, value := range driverFlags {
		known[name] = value
	}
	for _, a := range analyzers.All() {
		known[a.Name] = false
		a.Flags.VisitAll(func(f *flag.Flag) {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			known[a.Name+"."+f.Name] = !ok || !b.IsBoolFlag()
		})
	}
	return known
}
