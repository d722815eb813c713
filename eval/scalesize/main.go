// Command scalesize summarizes eval/scale.sh's runs.
//
//	scalesize -errors OUT.json       # "PACKAGES ERRORS": packages with output in the
//	                                 # driver's JSON output and analysis errors
//	                                 # not caused by the package's own type
//	                                 # errors (listed on standard error)
//	scalesize -slowest N TIMING      # the N slowest actions of our analyzers
//	                                 # in the driver's -debug=tp output, as a
//	                                 # Markdown table with each package's size
//
// -slowest runs go list in the current directory to find the packages'
// files.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

var ours = []string{"grpcctx", "ctxloop", "ctxdetach", "ctxdeadline"}

func main() {
	log.SetFlags(0)
	errorsFile := flag.String("errors", "", "driver JSON output to count errors in")
	slowest := flag.Int("slowest", 0, "print the `N` slowest actions of the timing file given as argument")
	flag.Parse()
	switch {
	case *errorsFile != "":
		countErrors(*errorsFile)
	case *slowest > 0 && flag.NArg() == 1:
		printSlowest(flag.Arg(0), *slowest)
	default:
		flag.Usage()
		os.Exit(2)
	}
}

// countErrors reads the x/tools JSON output: one object per package (the
// output may hold several top-level objects), analyzer name to a list of
// findings or {"error": message}.
func countErrors(name string) {
	f, err := os.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	pkgs, errs := make(map[string]bool), 0
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			break
		}
		for pkg, byAnalyzer := range tree {
			pkgs[pkg] = true
			for analyzer, raw := range byAnalyzer {
				var e struct{ Error string }
				if json.Unmarshal(raw, &e) != nil || e.Error == "" {
					continue
				}
				if e.Error == "analysis skipped due to errors in package" || strings.HasPrefix(e.Error, "failed prerequisites: grpcctx@") {
					continue // the package's own type errors
				}
				errs++
				fmt.Fprintf(os.Stderr, "%s: %s: %s\n", pkg, analyzer, e.Error)
			}
		}
	}
	fmt.Println(len(pkgs), errs)
}

type action struct {
	d        time.Duration
	analyzer string
	pkg      string // package ID, possibly "p [p.test]"
}

func printSlowest(name string, n int) {
	f, err := os.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var acts []action
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		dur, what, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		d, err := time.ParseDuration(dur)
		a, pkg, ok2 := strings.Cut(what, "@")
		if err != nil || !ok2 || !slices.Contains(ours, a) {
			continue
		}
		acts = append(acts, action{d, a, pkg})
	}
	slices.SortFunc(acts, func(x, y action) int { return int(y.d - x.d) })
	acts = acts[:min(n, len(acts))]
	fmt.Println("| action | time | lines | statements | ms per 1,000 statements | largest function (statements) |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, a := range acts {
		sz := size(a.pkg)
		per := 0.0
		if sz.stmts > 0 {
			per = float64(a.d.Microseconds()) / float64(sz.stmts)
		}
		fmt.Printf("| %s@%s | %v | %d | %d | %.1f | %s (%d) |\n", a.analyzer, a.pkg, a.d.Round(time.Millisecond), sz.lines, sz.stmts, per, sz.fn, sz.fnStmts)
	}
}

// A pkgSize is a package's size, and its largest function's.
type pkgSize struct {
	lines, stmts int
	fn           string // the function with the most statements
	fnStmts      int
}

// countStmts counts the statements under n, blocks apart.
func countStmts(n ast.Node) int {
	k := 0
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(ast.Stmt); ok {
			if _, block := n.(*ast.BlockStmt); !block {
				k++
			}
		}
		return true
	})
	return k
}

// size returns the lines and statements of a package's files, and its
// largest function (a declaration, its literals included): with its
// in-package test files for its test variant ("p [p.test]"), only the
// external test files for "p_test [p.test]".
func size(id string) (sz pkgSize) {
	path, variant, _ := strings.Cut(id, " ")
	xtest := strings.HasSuffix(path, "_test")
	path = strings.TrimSuffix(path, "_test")
	tmpl := "{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .CgoFiles}} {{.}}{{end}}"
	switch {
	case xtest:
		tmpl = "{{.Dir}}{{range .XTestGoFiles}} {{.}}{{end}}"
	case variant == "["+path+".test]":
		tmpl += "{{range .TestGoFiles}} {{.}}{{end}}"
	}
	out, err := exec.Command("go", "list", "-f", tmpl, path).Output()
	if err != nil {
		return sz
	}
	fields := strings.Fields(string(out))
	if len(fields) == 0 {
		return sz
	}
	fset := token.NewFileSet()
	for _, file := range fields[1:] {
		name := filepath.Join(fields[0], file)
		src, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		sz.lines += strings.Count(string(src), "\n")
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		sz.stmts += countStmts(f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if k := countStmts(fd); k > sz.fnStmts {
					sz.fn, sz.fnStmts = fd.Name.Name, k
				}
			}
		}
	}
	return sz
}
