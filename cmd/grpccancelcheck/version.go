package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/grpccancelcheck/grpccancelcheck/internal/version"
)

// printVersion handles -V=full, the flag go vet calls a -vettool with to
// key its cache, ahead of the x/tools drivers (whose -V=full knows no
// release): it prints the stamped release, commit and date, and exits.
func printVersion(args []string) {
	if !versionRequested(args) {
		return
	}
	line, err := version.Full(strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "grpccancelcheck: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(line)
	os.Exit(0)
}

// versionRequested reports whether args hold -V=full (or --V=full) before
// any "--" or package argument.
func versionRequested(args []string) bool {
	for _, arg := range args {
		if arg == "--" || !strings.HasPrefix(arg, "-") {
			return false
		}
		if arg == "-V=full" || arg == "--V=full" {
			return true
		}
	}
	return false
}
