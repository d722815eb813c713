package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
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
// package was skipped for its type errors into one per package. The driver
// prints, for such a package, "P: analysis skipped due to errors in
// package" once per prerequisite P our analyzers require that does not run
// despite errors (the model, grpcctx; lint support, lintreport), then
// "NAME: failed prerequisites: P1@PKG, P2@PKG" once per analyzer, in any
// order. A failed line that names every such prerequisite of its analyzer
// is a type error's; one that names fewer is another failure (a panic in
// one of them) and passes. A PKG that is a pattern (./x/...) matched no
// package: the driver has said so already, and nothing more is printed.
func quietFilter(r io.Reader, w io.Writer) {
	need := make(map[string]map[string]bool) // analyzer -> its prerequisites skipped on type errors
	skips := make(map[string]bool)
	for _, a := range analyzers.All() {
		need[a.Name] = make(map[string]bool)
		for _, p := range a.Requires {
			if !p.RunDespiteErrors {
				need[a.Name][p.Name] = true
				skips[p.Name] = true
			}
		}
	}
	const skippedSuffix = ": analysis skipped due to errors in package"
	skipped := make(map[string]int) // per prerequisite: skipped lines seen, less those announced packages account for
	named := make(map[string]bool)  // packages already announced
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutSuffix(line, skippedSuffix); ok && skips[p] {
			skipped[p]++
			continue
		}
		if pkg, ok := failedOnModel(line, need); ok {
			if !named[pkg] {
				named[pkg] = true
				for p := range need[strings.SplitN(line, ":", 2)[0]] {
					skipped[p]--
				}
				if !isPattern(pkg) {
					fmt.Fprintf(w, "grpccancelcheck: %s not analyzed: it does not type-check\n", pkg)
				}
			}
			continue
		}
		fmt.Fprintln(w, line)
	}
	_, _ = io.Copy(w, r) // a line too long for the scanner, and the rest
	for _, p := range slices.Sorted(maps.Keys(skipped)) {
		for range skipped[p] { // skipped lines no announced package accounts for: keep them
			fmt.Fprintln(w, p+skippedSuffix)
		}
	}
}

// failedOnModel returns PKG from "NAME: failed prerequisites: P1@PKG,
// P2@PKG", when NAME is one of our analyzers and the prerequisites named
// are exactly those of its that type errors skip, on one package.
func failedOnModel(line string, need map[string]map[string]bool) (string, bool) {
	name, rest, ok := strings.Cut(line, ": failed prerequisites: ")
	if !ok || need[name] == nil {
		return "", false
	}
	pkg := ""
	parts := strings.Split(rest, ", ")
	for _, part := range parts {
		p, at, ok := strings.Cut(part, "@")
		if !ok || !need[name][p] || pkg != "" && at != pkg {
			return "", false
		}
		pkg = at
	}
	return pkg, len(parts) == len(need[name])
}

// isPattern reports whether pkg is a directory pattern rather than an
// import path: what the driver names when a pattern matched no package.
func isPattern(pkg string) bool {
	return strings.HasPrefix(pkg, ".") || strings.HasPrefix(pkg, "/")
}
