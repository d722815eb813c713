// Package cli is the hashfinder command: "serve" runs a HashFinder server,
// "find" and "findrange" call one. The program's main only wires signals to
// the context of [Run].
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// Exit codes of Run.
const (
	// ExitOK: the command did what was asked.
	ExitOK = 0
	// ExitFailed: the call failed (cancelled, timed out, budget spent, …)
	// or the server could not run.
	ExitFailed = 1
	// ExitUsage: the command line is wrong.
	ExitUsage = 2
)

const usage = `usage:
  hashfinder serve     [-addr 127.0.0.1:50051] [-max-hashes N] [-naive] [-grace 1s]
  hashfinder find      [-addr 127.0.0.1:50051] -target T [-max-distance D] [-timeout 10s]
  hashfinder findrange [-addr 127.0.0.1:50051] -target T [-max-distance D] [-timeout 10s]
Run "hashfinder COMMAND -h" for the flags of a command.
`

// Run runs the hashfinder command line args (without the program name),
// writing results to stdout and diagnostics to stderr, and returns the exit
// code. The end of ctx stops a server and cancels a call.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "find":
		return runFind(ctx, args[1:], stdout, stderr, false)
	case "findrange":
		return runFind(ctx, args[1:], stdout, stderr, true)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	default:
		fmt.Fprintf(stderr, "hashfinder: unknown command %q\n%s", args[0], usage)
		return ExitUsage
	}
}

// parseFlags parses args into fs, returning the exit code to stop with (and
// false) on -h or an error.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	switch err := fs.Parse(args); {
	case err == flag.ErrHelp:
		return ExitOK, false
	case err != nil:
		return ExitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected arguments %q\n", fs.Name(), fs.Args())
		return ExitUsage, false
	}
	return 0, true
}

// defaultAddr is where serve listens and the clients call by default.
const defaultAddr = "127.0.0.1:50051"
