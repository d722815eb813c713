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
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif"
)

const name = "grpccancelcheck"

func main() {
	args := os.Args[1:]
	printVersion(args)
	if code, ok := runQuiet(args); ok {
		os.Exit(code)
	}
	cl, err := parseCommandLine(args)
	if cl.sarif || err != nil && sarif.Requested(args) {
		os.Exit(runSARIF(cl, args, err))
	}
	// A command line that does not parse is the driver's to report.
	multichecker.Main(analyzers.AllFor(cl.settings)...)
}

// runSARIF is the -sarif mode: it runs this command in -json mode, on the
// same command line without -sarif, so that flags, loading and analyzer
// selection are those of every other mode, and converts what it prints.
func runSARIF(cl commandLine, args []string, parseErr error) int {
	usage := func(msg string) int {
		fmt.Fprintf(os.Stderr, "%s: %s\nusage: %s -sarif [-ANALYZER] [-ANALYZER.FLAG=value] [-test=false] packages...\n", name, msg, name)
		return 2
	}
	switch {
	case parseErr != nil:
		return usage(parseErr.Error())
	case cl.json || cl.fix || cl.diff:
		return usage("-json, -fix and -diff cannot be combined with -sarif")
	case len(cl.args) == 0 || cl.args[0] == "help" || strings.HasSuffix(cl.args[0], ".cfg"):
		return usage("-sarif needs packages")
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	child := []string{"-json"}
	flags := args[:len(args)-len(cl.args)]
	for _, a := range flags {
		// -sarif is a boolean flag: it takes no separate value.
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); !strings.HasPrefix(a, "-") || n != "sarif" {
			child = append(child, a)
		}
	}
	child = append(child, cl.args...)
	cmd := exec.Command(self, child...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	run := sarif.Checked{}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			return 1
		}
		run.Failed = true
	}
	run.JSON, run.Stderr = stdout.Bytes(), stderr.Bytes()
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	return sarif.Write(os.Stdout, os.Stderr, name, analyzers.New(cl.settings), sarif.Options{
		BaseDir:        dir,
		ToolName:       name,
		InformationURI: "https://github.com/grpccancelcheck/grpccancelcheck",
		ToolVersion:    sarif.ModuleVersion(),
		Categories:     analyzers.Categories(),
	}, run)
}
