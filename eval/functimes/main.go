// Command functimes summarizes the per-function times the analyzers write
// with GRPCCANCELCHECK_FUNCTIMES=FILE (internal/lint's Enter and Leave):
//
//	functimes [-n 10] [-min 50] [-factor 10] [-floor 1ms] FILE
//
// It merges FILE's lines by function (package path, declaration, position),
// summing every analyzer's and site's time, and divides by the number of
// analyses of the function's package (a package of std is analyzed once
// for itself and again in every test variant that recompiles it: the most
// lines any one site wrote for the function), so each figure is the CPU
// time of one analysis of one function. It prints, as Markdown:
//
//   - the time measured: in functions, and set aside as package-wide
//     indexes (lint.Aside);
//   - the median CPU time per statement, and per AST node, of the
//     functions with at least -min statements;
//   - the -n slowest functions, with their statements and nodes, time per
//     statement, its ratio to that median, the ratio per node, and the
//     site that took most;
//   - the outliers: functions whose time is more than -factor times the
//     median both per statement and per node, and at least -floor (below
//     it, a fixed cost per function dominates and nothing matters to a
//     run), the -n slowest of them. Per node too: a table-driven test of
//     seven statements can span 1,800 lines of one composite literal,
//     whose walk is linear in its nodes.
//
// With -pkgs OUT it writes the outliers' packages to OUT, one import path
// per line, for a rerun of just those packages with the collector off
// (GOGC=off); with -recheck FILE2, the times of that rerun, it judges each
// outlier again by its time there, against FILE's medians, and prints the
// ones that remain. An outlier that goes away is the collector's work or
// a package-wide cost its step happened to trigger (an assist, memory
// faulted in), not its function's: a path super-linear in a function's
// size costs the same in every run.
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

type fn struct {
	pkg, name, pos string
	file           string // the declaration's file:line as written, the key with pkg
	stmts, nodes   int
	cpu, wall      int64            // summed over analyses
	lines          map[string]int   // analyzer and site -> lines written
	bySite         map[string]int64 // analyzer and site -> CPU
}

// analyses is the number of times the function's package was analyzed.
func (f *fn) analyses() int {
	n := 1
	for _, k := range f.lines {
		n = max(n, k)
	}
	return n
}

func (f *fn) perAnalysis() time.Duration { return time.Duration(f.cpu / int64(f.analyses())) }

// perStmt is the CPU time per statement of one analysis, in µs; a
// declaration without statements (a variable's initializer) counts one.
func (f *fn) perStmt() float64 {
	return float64(f.perAnalysis().Nanoseconds()) / 1e3 / float64(max(f.stmts, 1))
}

// perNode is the CPU time per AST node of one analysis, in ns.
func (f *fn) perNode() float64 {
	return float64(f.perAnalysis().Nanoseconds()) / float64(max(f.nodes, 1))
}

func (f *fn) topSite() (string, float64) {
	var best string
	var bt int64
	for s, t := range f.bySite {
		if t > bt || t == bt && s < best {
			best, bt = s, t
		}
	}
	return best, float64(bt) / float64(max(f.cpu, 1))
}

func main() {
	log.SetFlags(0)
	n := flag.Int("n", 10, "how many functions to list")
	minStmts := flag.Int("min", 50, "the median is of functions with at least this many statements")
	factor := flag.Float64("factor", 10, "an outlier's time per statement is more than this times the median")
	floor := flag.Duration("floor", time.Millisecond, "an outlier takes at least this CPU time per analysis")
	pkgsOut := flag.String("pkgs", "", "write the outliers' packages to this file")
	recheck := flag.String("recheck", "", "judge the outliers again by their times in this file (a rerun of their packages)")
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	fns, aside, err := read(flag.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	var all []*fn
	var total int64
	for _, f := range fns {
		all = append(all, f)
		total += f.cpu
	}
	var per, perNode []float64
	for _, f := range all {
		if f.stmts >= *minStmts {
			per = append(per, f.perStmt())
			perNode = append(perNode, f.perNode())
		}
	}
	median, medianNode := middle(per), middle(perNode)
	slices.SortFunc(all, func(a, b *fn) int {
		return cmp.Or(cmp.Compare(b.perAnalysis(), a.perAnalysis()), cmp.Compare(a.pkg+a.pos, b.pkg+b.pos))
	})
	fmt.Printf("%d functions, %v CPU in them (summed over every analysis of their packages), %v set aside as package-wide indexes; "+
		"median %.2f µs per statement and %.0f ns per node over the %d functions of %d or more statements\n\n",
		len(all), time.Duration(total).Round(time.Millisecond), time.Duration(aside).Round(time.Millisecond), median, medianNode, len(per), *minStmts)
	table(all[:min(*n, len(all))], median, medianNode)
	var outliers, perStmtOnly []*fn
	for _, f := range all {
		if median == 0 || f.perStmt() <= *factor*median || f.perAnalysis() < *floor {
			continue
		}
		if f.perNode() > *factor*medianNode {
			outliers = append(outliers, f)
		} else {
			perStmtOnly = append(perStmtOnly, f)
		}
	}
	fmt.Printf("\n%d outliers (more than %g times the median per statement and per node, at least %v per analysis)\n", len(outliers), *factor, *floor)
	if len(outliers) > 0 {
		fmt.Println()
		table(outliers[:min(*n, len(outliers))], median, medianNode)
	}
	if len(perStmtOnly) > 0 {
		fmt.Printf("\n%d more above %g times the median per statement only (large expressions: not per node)\n\n", len(perStmtOnly), *factor)
		table(perStmtOnly[:min(*n, len(perStmtOnly))], median, medianNode)
	}
	if *pkgsOut != "" {
		var pkgs []string
		for _, f := range outliers {
			pkgs = append(pkgs, strings.TrimSuffix(f.pkg, "_test")+"\n") // an external test's package: rerun with its package
		}
		slices.Sort(pkgs)
		if err := os.WriteFile(*pkgsOut, []byte(strings.Join(slices.Compact(pkgs), "")), 0o666); err != nil {
			log.Fatal(err)
		}
	}
	if *recheck != "" {
		again, _, err := read(*recheck)
		if err != nil {
			log.Fatal(err)
		}
		var remain []*fn
		missing := 0
		for _, f := range outliers {
			g, ok := again[f.pkg+"\t"+f.file]
			switch {
			case !ok:
				missing++
			case g.perStmt() > *factor*median && g.perNode() > *factor*medianNode && g.perAnalysis() >= *floor:
				remain = append(remain, g)
			}
		}
		fmt.Printf("\n%d of the %d outliers remain in the rerun of their packages (%s), judged against the medians above", len(remain), len(outliers), filepath.Base(*recheck))
		if missing > 0 {
			fmt.Printf("; %d not in the rerun", missing)
		}
		fmt.Println()
		if len(remain) > 0 {
			fmt.Println()
			table(remain[:min(*n, len(remain))], median, medianNode)
		}
	}
}

func middle(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func table(fns []*fn, median, medianNode float64) {
	fmt.Println("| function | statements | nodes | analyses | CPU per analysis | µs per statement | × median | × median per node | most in (share) |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, f := range fns {
		site, share := f.topSite()
		ratio, ratioNode := 0.0, 0.0
		if median > 0 && medianNode > 0 {
			ratio, ratioNode = f.perStmt()/median, f.perNode()/medianNode
		}
		fmt.Printf("| %s.%s (%s) | %d | %d | %d | %v | %.2f | %.1f | %.1f | %s (%.0f%%) |\n", f.pkg, f.name, f.pos, f.stmts, f.nodes, f.analyses(),
			f.perAnalysis().Round(10*time.Microsecond), f.perStmt(), ratio, ratioNode, site, 100*share)
	}
}

// read merges FILE's lines: CPU ns, wall ns, statements, analyzer, site,
// package path, declaration, file:line, nodes.
func read(name string) (map[string]*fn, int64, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	defer file.Close()
	fns := make(map[string]*fn)
	var aside int64
	sc := bufio.NewScanner(file)
	sc.Buffer(nil, 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 9 {
			return nil, 0, fmt.Errorf("%s:%d: %d fields, want 9", name, ln, len(fs))
		}
		cpu, err1 := strconv.ParseInt(fs[0], 10, 64)
		wall, err2 := strconv.ParseInt(fs[1], 10, 64)
		stmts, err3 := strconv.Atoi(fs[2])
		nodes, err4 := strconv.Atoi(fs[8])
		if err := cmp.Or(err1, err2, err3, err4); err != nil {
			return nil, 0, fmt.Errorf("%s:%d: %v", name, ln, err)
		}
		if fs[6] == "(package-wide)" {
			aside += cpu
			continue
		}
		pos := fs[7]
		if file, line, ok := strings.Cut(pos, ":"); ok {
			pos = filepath.Base(file) + ":" + line
		}
		key := fs[5] + "\t" + fs[7]
		f := fns[key]
		if f == nil {
			f = &fn{pkg: fs[5], name: fs[6], pos: pos, file: fs[7], stmts: stmts, nodes: nodes, lines: make(map[string]int), bySite: make(map[string]int64)}
			fns[key] = f
		}
		site := fs[3] + " " + fs[4]
		f.cpu += cpu
		f.wall += wall
		f.lines[site]++
		f.bySite[site] += cpu
	}
	return fns, aside, sc.Err()
}
