package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
)

// The x/tools driver reports a package that does not type-check with its
// type errors, then "grpcctx: analysis skipped due to errors in package"
// and one "NAME: failed prerequisites: grpcctx@PKG" line per analyzer.
// runQuiet runs the command as a child whose standard error passes
// through quietFilter, which replaces those lines with one per package:
//
//	grpccancelcheck: example.com/broken/bad not analyzed: it does not type-check
//
// Every other line, and the exit status, pass unchanged. It is not used
// under go vet (which never analyzes such packages) nor for -flags/-V.

const quietEnv = "GRPCCANCELCHECK_QUIET_CHILD"

// runQuiet reports whether it ran the command as a filtered child, and
// the child's exit status.
func runQuiet(args []string) (int, bool) {
	if os.Getenv(quietEnv) != "" || len(args) == 0 {
		return 0, false
	}
	for _, a := range args {
		if strings.HasSuffix(a, ".cfg") || a == "-flags" || strings.HasPrefix(a, "-V") || a == "help" {
			return 0, false
		}
	}
	self, err := os.Executable()
	if err != nil {
		return 0, false
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), quietEnv+"=1")
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return 0, false
	}
	if err := cmd.Start(); err != nil {
		return 0, false
	}
	quietFilter(pipe, os.Stderr)
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, true
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode(), true
	}
	fmt.Fprintf(os.Stderr, "grpccancelcheck: %v\n", err)
	return 1, true
}

// quietFilter copies r to w line by line, collapsing the lines that say a
// package was skipped for its type errors into one per package.
func quietFilter(r io.Reader, w io.Writer) {
	ours := make(map[string]bool)
	for _, name := range analyzers.Names() {
		ours[name] = true
	}
	const skipped = "grpcctx: analysis skipped due to errors in package"
	pending := 0                   // skipped lines not yet matched to a package
	named := make(map[string]bool) // packages already announced
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == skipped {
			pending++
			continue
		}
		if pkg, ok := failedOnModel(line, ours); ok && (named[pkg] || pending > 0) {
			if !named[pkg] {
				named[pkg] = true
				pending--
				fmt.Fprintf(w, "grpccancelcheck: %s not analyzed: it does not type-check\n", pkg)
			}
			continue
		}
		fmt.Fprintln(w, line)
	}
	for range pending { // a skipped line no analyzer's line named: keep it
		fmt.Fprintln(w, skipped)
	}
	_, _ = io.Copy(w, r) // a line too long for the scanner, and the rest
}

// failedOnModel returns PKG from "NAME: failed prerequisites: grpcctx@PKG",
// when NAME is one of our analyzers and the model is its only failed
// prerequisite.
func failedOnModel(line string, ours map[string]bool) (string, bool) {
	name, rest, ok := strings.Cut(line, ": failed prerequisites: ")
	if !ok || !ours[name] {
		return "", false
	}
	pkg, ok := strings.CutPrefix(rest, "grpcctx@")
	if !ok || strings.Contains(pkg, ", ") {
		return "", false
	}
	return pkg, true
}
