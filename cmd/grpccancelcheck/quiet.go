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
// A package that imports such a package (directly or through others) is
// not analyzed either: the driver prints "NAME: failed prerequisites:
// NAME@DEP, ..." for it, per analyzer, and for each of its test variants.
// Those lines become one per package too:
//
//	grpccancelcheck: example.com/broken/uses not analyzed: it imports example.com/broken/bad, which does not type-check
//
// A package whose cgo code does not compile (a C header the machine
// lacks) is printed by the driver as the go command's "# PKG" header, the
// C compiler's output and "could not import C", for the package and again
// for its test variant. That becomes one line, with the compiler's error:
//
//	grpccancelcheck: example.com/broken/cgo not analyzed: its cgo code does not compile: cgo/cgo.go:6:11: fatal error: sdk.h: No such file or directory
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
	said := make(map[string]bool)   // packages announced as cgo failures (with their test variants)
	var cascades []cascade          // failures of importers, judged once every line is in
	cgo := make(map[string]string)  // package -> the C compiler's first error, for a package whose import "C" failed
	var block []string              // a "-: # PKG" block of the C compiler's output, not yet judged
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if block != nil {
			if isCgoImportError(line) {
				pkg, _ := strings.CutPrefix(block[0], cgoHeader)
				if _, ok := cgo[variantOf(pkg)]; !ok {
					cgo[variantOf(pkg)] = firstCompilerError(block[1:])
				}
				block = nil
				continue
			}
			if !strings.HasPrefix(line, cgoHeader) && len(block) < maxCgoBlock {
				block = append(block, line)
				continue
			}
			printLines(w, block) // not a failed import "C": as it came
			block = nil
		}
		if strings.HasPrefix(line, cgoHeader) {
			block = []string{line}
			continue
		}
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
				why, isCgo := cgo[variantOf(pkg)]
				switch {
				case isCgo && !said[variantOf(pkg)]:
					said[variantOf(pkg)] = true
					fmt.Fprintf(w, "grpccancelcheck: %s not analyzed: its cgo code does not compile: %s\n", variantOf(pkg), why)
				case isCgo:
					// said already, for the package or its test variant
				case isPattern(pkg):
					// the driver's own message named the pattern
				default:
					fmt.Fprintf(w, "grpccancelcheck: %s not analyzed: it does not type-check\n", pkg)
				}
			}
			continue
		}
		if c, ok := failedOnImport(line, need, skips); ok {
			cascades = append(cascades, c)
			continue
		}
		fmt.Fprintln(w, line)
	}
	printLines(w, block)
	_, _ = io.Copy(w, r) // a line too long for the scanner, and the rest
	for p, n := range reportCascades(w, cascades, named, cgo) {
		skipped[p] -= n
	}
	for _, p := range slices.Sorted(maps.Keys(skipped)) {
		for range skipped[p] { // skipped lines no announced package accounts for: keep them
			fmt.Fprintln(w, p+skippedSuffix)
		}
	}
}

// A cascade is a failure of one of our analyzers on a package because
// the same analyzer failed on packages it imports: "NAME: failed
// prerequisites: NAME@DEP, ..., P@PKG, ..." where the P@PKG parts (the
// analyzer's own prerequisites on the package) name the package, if any.
type cascade struct {
	line    string
	name    string   // the analyzer
	pkg     string   // "" when the line names only the imports
	prereqs []string // the prerequisites named on pkg
	deps    []string // the imports whose failure it reports
}

// failedOnImport parses a failed-prerequisites line of one of our
// analyzers (or of a prerequisite of theirs) that names the same analyzer
// on other packages, and nothing but our analyzers and their
// prerequisites.
func failedOnImport(line string, need map[string]map[string]bool, skips map[string]bool) (cascade, bool) {
	name, rest, ok := strings.Cut(line, ": failed prerequisites: ")
	if !ok || need[name] == nil && !skips[name] {
		return cascade{}, false
	}
	c := cascade{line: line, name: name}
	for _, part := range strings.Split(rest, ", ") {
		p, at, ok := strings.Cut(part, "@")
		switch {
		case !ok:
			return cascade{}, false
		case p == name:
			c.deps = append(c.deps, at)
		case need[name][p] && (c.pkg == "" || c.pkg == at):
			c.pkg = at
			c.prereqs = append(c.prereqs, p)
		default:
			return cascade{}, false
		}
	}
	return c, len(c.deps) > 0
}

// reportCascades prints one line per package that was not analyzed
// because a package it imports was not, naming that import (one that does
// not type-check first, else the first by path); a test variant ("P
// [P.test]") counts as P, and a test main ("P.test") is not named. A
// cascade whose imports never failed on their own account (no announced
// package, no other cascade) is not a type error's: its line passes as it
// came.
//
// It returns, per prerequisite, how many of the driver's "analysis
// skipped" lines the packages it collapsed account for: go/packages counts
// a package whose imports have errors as ill-typed, so a prerequisite
// without facts of its own is skipped there, while one with facts fails on
// its imports' failure instead (a cascade line of its own, without a
// package).
func reportCascades(w io.Writer, cascades []cascade, named map[string]bool, cgo map[string]string) map[string]int {
	failed := make(map[string]bool) // packages known not analyzed, as the driver names them
	for p := range named {
		failed[p] = true
	}
	for _, c := range cascades {
		if c.pkg != "" {
			failed[c.pkg] = true
		}
	}
	because := make(map[string]map[string]bool) // package to announce -> imports not analyzed
	at := make(map[string]map[string]bool)      // prerequisite -> packages it did not run on
	skips := make(map[string]int)
	for _, c := range cascades {
		deps := slices.DeleteFunc(slices.Clone(c.deps), func(d string) bool { return !failed[d] })
		if len(deps) == 0 {
			fmt.Fprintln(w, c.line)
			continue
		}
		if c.pkg == "" {
			skips[c.name]-- // it failed rather than being skipped
		}
		for _, p := range c.prereqs {
			if at[p] == nil {
				at[p] = make(map[string]bool)
			}
			at[p][c.pkg] = true
		}
		pkg := variantOf(c.pkg)
		if pkg == "" || named[pkg] || strings.HasSuffix(pkg, ".test") {
			continue
		}
		if because[pkg] == nil {
			because[pkg] = make(map[string]bool)
		}
		for _, d := range deps {
			if d = variantOf(d); d != pkg {
				because[pkg][d] = true
			}
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(because)) {
		deps := slices.Sorted(maps.Keys(because[pkg]))
		if i := slices.IndexFunc(deps, func(d string) bool { return named[d] }); i > 0 {
			deps[0] = deps[i]
		}
		if len(deps) == 0 {
			fmt.Fprintf(w, "grpccancelcheck: %s not analyzed: a package it imports was not analyzed\n", pkg)
			continue
		}
		why := "was not analyzed"
		if _, ok := cgo[deps[0]]; ok {
			why = "does not compile (cgo)"
		} else if named[deps[0]] {
			why = "does not type-check"
		}
		fmt.Fprintf(w, "grpccancelcheck: %s not analyzed: it imports %s, which %s\n", pkg, deps[0], why)
	}
	for p, pkgs := range at {
		skips[p] += len(pkgs)
	}
	return skips
}

// variantOf returns the package a test variant "P [P.test]" is of.
func variantOf(pkg string) string {
	p, _, _ := strings.Cut(pkg, " [")
	return p
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

// A package whose cgo code does not compile (a C header this machine
// lacks, say) reaches the driver as a list error whose message is the
// go command's: "# PKG", the C compiler's output, one line at a time,
// then the type error "FILE: could not import C (no metadata for C)"; and
// the same again for its test variant. quietFilter keeps the compiler's
// first error for the package's one line.
const (
	cgoHeader   = "-: # "
	maxCgoBlock = 200 // compiler lines kept waiting for the import error; more pass as they came
)

// isCgoImportError reports whether line is the type error of a package
// whose import "C" failed.
func isCgoImportError(line string) bool {
	return strings.HasSuffix(line, ": could not import C (no metadata for C)")
}

// firstCompilerError returns the C compiler's first error line in its
// output, or its first line.
func firstCompilerError(lines []string) string {
	for _, l := range lines {
		if strings.Contains(l, ": error: ") || strings.Contains(l, ": fatal error: ") {
			return strings.TrimSpace(l)
		}
	}
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "# ") {
			return l
		}
	}
	return "the go command printed no error"
}

func printLines(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}
