package fuzzgen_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fuzzgen"
)

// TestDriversAgree checks that the standalone command's driver (the x/tools
// checker, analyzing every dependency in the same process, facts as
// objects) and the separate-analysis driver of the fuzzer (one package at
// a time, facts as gob-encoded bytes, as go vet's unitchecker) report the
// same findings on generated programs. The checker is too slow to run on
// every fuzzing input (it analyzes the dependencies again each time), so
// the fuzzer compares two runs of the second driver and this test compares
// the drivers on many programs in one checker run.
func TestDriversAgree(t *testing.T) {
	u, dir := universe(t)
	n := 40
	if testing.Short() {
		n = 8
	}
	r := rand.New(rand.NewPCG(3, 3))
	var roots []*packages.Package
	var want []string
	for i := range n {
		tape := randomTape(r, 32+r.IntN(768))
		prog := renamed(fuzzgen.Generate(tape), fmt.Sprintf("p%d", i))
		c := u.Check(dir, prog)
		if c.TypeErr != nil {
			t.Fatalf("program %d does not type-check: %v", i, c.TypeErr)
		}
		for _, d := range c.Diagnostics() {
			want = append(want, fmt.Sprintf("%s: %s: %s", d.Posn, d.Analyzer, d.Message))
		}
		local := make(map[string]*packages.Package)
		for k, unit := range c.Units {
			p := &packages.Package{
				ID: prog[k].Path, Name: unit.Pkg.Name(), PkgPath: prog[k].Path,
				Fset: c.Fset, Syntax: unit.Files, Types: unit.Pkg, TypesInfo: unit.Info, TypesSizes: unit.Sizes,
				Module:  &packages.Module{Path: fuzzgen.Module, Main: true, GoVersion: "1.26.0"},
				Imports: make(map[string]*packages.Package),
			}
			for _, f := range unit.Files {
				p.GoFiles = append(p.GoFiles, c.Fset.File(f.FileStart).Name())
			}
			p.CompiledGoFiles = p.GoFiles
			for _, imp := range unit.Pkg.Imports() {
				if dep, ok := local[imp.Path()]; ok {
					p.Imports[imp.Path()] = dep
				} else {
					p.Imports[imp.Path()] = u.Packages[imp.Path()]
				}
			}
			local[p.PkgPath] = p
			roots = append(roots, p)
		}
	}
	g, err := checker.Analyze(u.Analyzers, roots, &checker.Options{Sequential: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Errorf("checker: %s: %v", act, act.Err)
		}
		for _, d := range act.Diagnostics {
			got = append(got, fmt.Sprintf("%s: %s: %s", act.Package.Fset.Position(d.Pos), act.Analyzer.Name, d.Message))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) == 0 {
		t.Fatal("no findings: the test compares nothing")
	}
	for _, s := range want {
		if !slices.Contains(got, s) {
			t.Errorf("only in the separate-analysis driver: %s", s)
		}
	}
	for _, s := range got {
		if !slices.Contains(want, s) {
			t.Errorf("only in the checker: %s", s)
		}
	}
	t.Logf("%d programs, %d findings in both drivers", n, len(want))
}

// renamed moves a program's packages under fuzz/NAME, so that many
// programs can be analyzed together.
func renamed(prog []fuzzgen.Package, name string) []fuzzgen.Package {
	move := func(path string) string {
		return strings.Replace(path, fuzzgen.Module+"/fuzz/", fuzzgen.Module+"/fuzz/"+name+"/", 1)
	}
	var out []fuzzgen.Package
	for _, p := range prog {
		q := fuzzgen.Package{Path: move(p.Path)}
		for _, f := range p.Files {
			src := strings.ReplaceAll(string(f.Src), `"`+fuzzgen.HelperPath+`"`, `"`+move(fuzzgen.HelperPath)+`"`)
			q.Files = append(q.Files, fuzzgen.File{Name: f.Name, Src: []byte(src)})
		}
		out = append(out, q)
	}
	return out
}
