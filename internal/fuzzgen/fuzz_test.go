package fuzzgen_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fuzzgen"
)

var (
	loadOnce sync.Once
	logOnce  sync.Once
	uni      *fuzzgen.Universe
	uniDir   string
	uniErr   error
)

// universe loads and analyzes, once per process, what generated programs
// import.
func universe(t testing.TB) (*fuzzgen.Universe, string) {
	t.Helper()
	dir := fixturetest.Dir(t)
	loadOnce.Do(func() {
		uniDir = dir
		imports := append(slices.Clone(fuzzgen.Imports), fixtureImports(dir)...)
		uni, uniErr = fuzzgen.Load(dir, fuzzgen.EveryFlag(), imports...)
	})
	if uniErr != nil {
		t.Fatal(uniErr)
	}
	logOnce.Do(func() {
		t.Logf("dependencies: %d packages, loaded in %v, analyzed in %v", len(uni.Packages), uni.LoadTime, uni.AnalysisTime)
	})
	return uni, uniDir
}

// loadUnlessCoordinator loads the dependencies before f.Fuzz, since a fuzz
// worker gives each input 10 s and loading takes longer, except in the
// process that coordinates the workers under -fuzz: it runs no input.
func loadUnlessCoordinator(f *testing.F) {
	fuzz, worker := flag.Lookup("test.fuzz"), flag.Lookup("test.fuzzworker")
	if fuzz != nil && fuzz.Value.String() != "" && (worker == nil || worker.Value.String() != "true") {
		return
	}
	universe(f)
}

func randomTape(r *rand.Rand, n int) []byte {
	tape := make([]byte, n)
	for i := range tape {
		tape[i] = byte(r.UintN(256))
	}
	return tape
}

// seedTapes are the fuzzer's seeds: the empty tape, and tapes from a fixed
// random source, short to long.
func seedTapes() [][]byte {
	tapes := [][]byte{{}, {1}}
	r := rand.New(rand.NewPCG(16, 16))
	for _, n := range []int{8, 16, 32, 64, 64, 128, 128, 256, 256, 512, 512, 1024} {
		tapes = append(tapes, randomTape(r, n))
	}
	return tapes
}

// FuzzAnalyzers generates a program from each input and checks the
// invariants of checkProgram on it.
func FuzzAnalyzers(f *testing.F) {
	loadUnlessCoordinator(f)
	for _, tape := range seedTapes() {
		f.Add(tape)
	}
	f.Fuzz(func(t *testing.T, tape []byte) {
		u, dir := universe(t)
		if len(tape) > maxTape {
			tape = tape[:maxTape]
		}
		st := checkProgram(t, u, dir, fuzzgen.Generate(tape))
		checkGrowth(t, u, dir, tape, st)
	})
}

// Doubling every function body (Repeat) must at most about double the
// work: growthFactor times, plus growthSlack allocations. A path quadratic
// in a function's size shows as a factor near 4 once the function is
// large enough for it to dominate.
const (
	growthFactor = 2.6
	growthSlack  = 3_000
)

// checkGrowth checks the work of tape's program with every function body
// twice against st, the work of the program itself.
func checkGrowth(t *testing.T, u *fuzzgen.Universe, dir string, tape []byte, st stats) float64 {
	t.Helper()
	prog := fuzzgen.Repeat(tape, 2)
	c := u.Check(dir, prog)
	if c.TypeErr != nil {
		t.Fatalf("generated program (bodies twice) does not type-check: %v\n%s", c.TypeErr, dump(prog))
	}
	for _, r := range c.Results {
		if r.Err != nil {
			t.Fatalf("analysis failed (bodies twice): %v\n%s", r.Err, dump(prog))
		}
	}
	if limit := uint64(growthFactor*float64(st.allocs) + growthSlack); c.Analysis > limit {
		t.Errorf("with every function body twice the analysis made %d allocations, against %d once: more than %.1f times\n%s",
			c.Analysis, st.allocs, growthFactor, dump(prog))
	}
	return float64(c.Analysis) / float64(max(st.allocs, 1))
}

// maxTape bounds an input's length, so that one input stays a few tens of
// milliseconds.
const maxTape = 2048

// Work is measured in heap allocations during analysis, which, unlike
// time, do not depend on the machine's load: at most allocsPerNode for
// each AST node of the program plus allocsBase. The seeds use less than a
// fifth of it; an engine exponential in a function's branches exceeds it
// at a few dozen.
const (
	allocsPerNode = 40
	allocsBase    = 50_000
)

// checkProgram checks, on one generated program: that it type-checks (the
// generator's promise), that no analyzer fails or panics, that the work is
// within the linear bound, that a second run gives the same findings and
// facts (facts also encode identically twice: the driver checks it), that
// facts handed on as objects (the standalone driver) give the findings
// that facts as bytes give (go vet), and that every suggested fix applies
// cleanly, type-checks and removes its finding.
func checkProgram(t *testing.T, u *fuzzgen.Universe, dir string, prog []fuzzgen.Package) stats {
	t.Helper()
	c := u.Check(dir, prog)
	if c.TypeErr != nil {
		t.Fatalf("generated program does not type-check: %v\n%s", c.TypeErr, dump(prog))
	}
	for _, r := range c.Results {
		if r.Err != nil {
			t.Fatalf("analysis failed: %v\n%s", r.Err, dump(prog))
		}
	}
	if limit := uint64(allocsPerNode*c.Nodes + allocsBase); c.Analysis > limit {
		t.Errorf("analysis made %d allocations for %d AST nodes, more than the linear bound %d\n%s", c.Analysis, c.Nodes, limit, dump(prog))
	}
	again := u.Check(dir, prog)
	if got, want := findings(again), findings(c); !slices.Equal(got, want) {
		t.Errorf("two runs differ:\nfirst:\n%s\nsecond:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	for i := range c.Results {
		if !equalFacts(c.Results[i].Facts, again.Results[i].Facts) {
			t.Errorf("%s: two runs export different facts", prog[i].Path)
		}
	}
	// The standalone command's way of handing facts on (as objects) must
	// give what go vet's (as bytes) gives.
	live := u.CheckLive(dir, prog)
	if got, want := findings(live), findings(c); !slices.Equal(got, want) {
		t.Errorf("facts as objects and facts as bytes differ:\nbytes:\n%s\nobjects:\n%s\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"), dump(prog))
	}
	st := stats{nodes: c.Nodes, allocs: c.Analysis, findings: make(map[string]int)}
	for _, d := range c.Diagnostics() {
		st.findings[d.Analyzer]++
	}
	st.fixes = checkFixes(t, u, dir, prog, c)
	return st
}

// stats describes one checked program, for the log.
type stats struct {
	nodes    int
	allocs   uint64
	findings map[string]int // by analyzer
	fixes    int
}

func findings(c *fuzzgen.Check) []string {
	var out []string
	for _, d := range c.Diagnostics() {
		out = append(out, d.String())
	}
	return out
}

func equalFacts(a, b map[string][]fuzzgen.EncodedFact) bool {
	if len(a) != len(b) {
		return false
	}
	for name, fa := range a {
		if !slices.EqualFunc(fa, b[name], func(x, y fuzzgen.EncodedFact) bool {
			return x.Object == y.Object && x.Type == y.Type && bytes.Equal(x.Data, y.Data)
		}) {
			return false
		}
	}
	return true
}

// maxFixes bounds the fixes checked per program (each one is a new
// type-check and analysis).
const maxFixes = 3

func checkFixes(t *testing.T, u *fuzzgen.Universe, dir string, prog []fuzzgen.Package, c *fuzzgen.Check) (checked int) {
	t.Helper()
	for _, d := range c.Diagnostics() {
		for _, fix := range d.SuggestedFixes {
			if checked == maxFixes {
				return checked
			}
			checked++
			fixed, err := fuzzgen.Apply(c.Fset, prog, fix.TextEdits)
			if err != nil {
				t.Errorf("%s: fix %q does not apply: %v", d, fix.Message, err)
				continue
			}
			after := u.Check(dir, fixed)
			if after.TypeErr != nil {
				t.Errorf("%s: after fix %q the program does not type-check: %v\n%s", d, fix.Message, after.TypeErr, dump(fixed))
				continue
			}
			for _, r := range after.Results {
				if r.Err != nil {
					t.Errorf("%s: after fix %q analysis failed: %v", d, fix.Message, r.Err)
				}
			}
			key := func(x fuzzgen.Diagnostic) bool {
				return x.Analyzer == d.Analyzer && x.Category == d.Category && x.Message == d.Message
			}
			if n, m := countFunc(c.Diagnostics(), key), countFunc(after.Diagnostics(), key); m >= n {
				t.Errorf("%s: fix %q leaves the finding (%d such findings before, %d after)\n%s", d, fix.Message, n, m, dump(fixed))
			}
		}
	}
	return checked
}

func countFunc[T any](s []T, f func(T) bool) int {
	n := 0
	for _, x := range s {
		if f(x) {
			n++
		}
	}
	return n
}

func dump(prog []fuzzgen.Package) string {
	var b strings.Builder
	for _, p := range prog {
		for _, f := range p.Files {
			fmt.Fprintf(&b, "--- %s/%s\n%s", p.Path, f.Name, addLineNumbers(f.Src))
		}
	}
	return b.String()
}

func addLineNumbers(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%4d %s\n", i+1, line)
	}
	return b.String()
}

// programs is the number of programs TestGenerated checks. With 0, a
// coverage profile (-covermode=count) counts the analysis of the
// dependencies alone: subtracted from a profile of a run with programs, it
// shows what the generated programs reach (scripts/fuzzcover.sh).
var programs = flag.Int("fuzzgen.programs", -1, "TestGenerated: the number of programs (default 300, 30 with -short)")

// TestGenerated checks the invariants on programs from many random tapes
// (the seeds of a fuzzing run, without the fuzzing).
func TestGenerated(t *testing.T) {
	u, dir := universe(t)
	n := 300
	if testing.Short() {
		n = 30
	}
	if *programs >= 0 {
		n = *programs
	}
	r := rand.New(rand.NewPCG(7, 7))
	total := stats{findings: make(map[string]int)}
	var worst, worstGrowth float64
	defer func() {
		t.Logf("%d programs, %d AST nodes, %d allocations in analysis (worst %.1f per node, worst growth with bodies twice %.2f), findings %v, %d fixes checked",
			n, total.nodes, total.allocs, worst, worstGrowth, total.findings, total.fixes)
	}()
	for i := range n {
		tape := randomTape(r, 16+r.IntN(1024))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			st := checkProgram(t, u, dir, fuzzgen.Generate(tape))
			if st.allocs > 1_500 { // large enough for the ratio to mean something
				worstGrowth = max(worstGrowth, checkGrowth(t, u, dir, tape, st))
			}
			total.nodes += st.nodes
			total.allocs += st.allocs
			total.fixes += st.fixes
			for k, v := range st.findings {
				total.findings[k] += v
			}
			worst = max(worst, float64(st.allocs)/float64(st.nodes))
		})
	}
}

// fixtureDirs hold the analyzers' fixtures, FuzzFixture's seeds.
var fixtureDirs = []string{"ctxloop", "ctxdetach", "ctxdeadline", "patterns", "suppress"}

// fixtureFiles returns the fixture files under dir, by name.
func fixtureFiles(dir string) map[string][]byte {
	files := make(map[string][]byte)
	for _, d := range fixtureDirs {
		_ = filepath.WalkDir(filepath.Join(dir, d), func(path string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(path, ".go") {
				if src, err := os.ReadFile(path); err == nil {
					files[path] = src
				}
			}
			return nil
		})
	}
	return files
}

// fixtureImports returns what the fixture files import, but cgo.
func fixtureImports(dir string) []string {
	seen := make(map[string]bool)
	for name, src := range fixtureFiles(dir) {
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil && p != "C" {
				seen[p] = true
			}
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// FuzzFixture mutates the fixtures' files: each input is the source of one
// file, checked as a package of its own when it type-checks (most
// mutations of Go source do not), with the invariants of checkProgram.
func FuzzFixture(f *testing.F) {
	loadUnlessCoordinator(f)
	for _, src := range fixtureFiles(fixturetest.Dir(f)) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		u, dir := universe(t)
		if len(src) > 1<<16 {
			return
		}
		prog := []fuzzgen.Package{{Path: fuzzgen.SvcPath, Files: []fuzzgen.File{{Name: "fixture.go", Src: src}}}}
		if c := u.Check(dir, prog); c.TypeErr != nil {
			return // not a program: nothing to check
		}
		checkProgram(t, u, dir, prog)
	})
}
