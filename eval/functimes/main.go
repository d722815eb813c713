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
//   - the median CPU time per statement of the functions with at least
//     -min statements;
//   - the -n slowest functions, with their statements, time per
//     statement, its ratio to that median and the site that took most;
//   - the outliers: functions whose time per statement is more than
//     -factor times the median and whose time is at least -floor (below
//     it, a fixed cost per function dominates and nothing matters to a
//     run), the -n slowest of them.
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
	stmts          int
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
	var per []float64
	for _, f := range all {
		if f.stmts >= *minStmts {
			per = append(per, f.perStmt())
		}
	}
	slices.Sort(per)
	median := 0.0
	if len(per) > 0 {
		median = per[len(per)/2]
	}
	slices.SortFunc(all, func(a, b *fn) int {
		return cmp.Or(cmp.Compare(b.perAnalysis(), a.perAnalysis()), cmp.Compare(a.pkg+a.pos, b.pkg+b.pos))
	})
	fmt.Printf("%d functions, %v CPU in them (summed over every analysis of their packages), %v set aside as package-wide indexes; "+
		"median %.2f µs per statement over the %d functions of %d or more statements\n\n",
		len(all), time.Duration(total).Round(time.Millisecond), time.Duration(aside).Round(time.Millisecond), median, len(per), *minStmts)
	table(all[:min(*n, len(all))], median)
	var outliers []*fn
	for _, f := range all {
		if median > 0 && f.perStmt() > *factor*median && f.perAnalysis() >= *floor {
			outliers = append(outliers, f)
		}
	}
	fmt.Printf("\n%d outliers (more than %g times the median per statement, at least %v per analysis)\n", len(outliers), *factor, *floor)
	if len(outliers) > 0 {
		fmt.Println()
		table(outliers[:min(*n, len(outliers))], median)
	}
}

func table(fns []*fn, median float64) {
	fmt.Println("| function | statements | analyses | CPU per analysis | µs per statement | × median | most in (share) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, f := range fns {
		site, share := f.topSite()
		ratio := 0.0
		if median > 0 {
			ratio = f.perStmt() / median
		}
		fmt.Printf("| %s.%s (%s) | %d | %d | %v | %.2f | %.1f | %s (%.0f%%) |\n", f.pkg, f.name, f.pos, f.stmts, f.analyses(),
			f.perAnalysis().Round(10*time.Microsecond), f.perStmt(), ratio, site, 100*share)
	}
}

// read merges FILE's lines: CPU ns, wall ns, statements, analyzer, site,
// package path, declaration, file:line.
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
		if len(fs) != 8 {
			return nil, 0, fmt.Errorf("%s:%d: %d fields, want 8", name, ln, len(fs))
		}
		cpu, err1 := strconv.ParseInt(fs[0], 10, 64)
		wall, err2 := strconv.ParseInt(fs[1], 10, 64)
		stmts, err3 := strconv.Atoi(fs[2])
		if err := cmp.Or(err1, err2, err3); err != nil {
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
			f = &fn{pkg: fs[5], name: fs[6], pos: pos, stmts: stmts, lines: make(map[string]int), bySite: make(map[string]int64)}
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
