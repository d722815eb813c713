package lint

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

const timedSrc = `package p

var x = f(1)

func f(n int) int { return n }

type T struct{}

func (*T) Heavy(n int) int {
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			n = f(n)
		}
	}
	g := func() { f(2); f(3) }
	g()
	return n
}

func Light() { f(4) }

func Never() {}
`

// TestFuncTimes walks a small package's calls as an analyzer's site does,
// burning CPU in the steps of one declaration, and checks what the hook
// writes: one line per declaration entered, with its statements (its
// literal's included), the analyzer, the site, and the time where it was
// spent.
func TestFuncTimes(t *testing.T) {
	out, pass := timedPass(t, true)
	f := pass.Files[1]
	sink := 0
	for _, file := range pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			Enter(pass, call)
			switch enclosingDecl(file, call) {
			case "Heavy":
				for i := range 20_000_000 {
					sink += i % 7
				}
			case "Q":
				// Work on demand about another function (the origin
				// solver following a value into it): Never's.
				c := Clock()
				prev := c.For(f.Decls[len(f.Decls)-1])
				for i := range 20_000_000 {
					sink += i % 7
				}
				c.Restore(prev)
			case "Light":
				// An index of the package, built when Light's step first
				// needs it: the package's time, not Light's.
				done := Aside()
				for i := range 20_000_000 {
					sink += i % 7
				}
				done()
			}
			return true
		})
	}
	_, file, line, _ := runtime.Caller(0)
	Leave(pass)
	site := fmt.Sprintf("%s:%d", filepath.Base(file), line+1)
	_ = sink
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		cpu, wall int64
		stmts     int
		nodes     int
		analyzer  string
		site      string
	}
	got := make(map[string]entry)
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		fs := strings.Split(line, "\t")
		if len(fs) != 9 {
			t.Fatalf("line %q: %d fields, want 9", line, len(fs))
		}
		cpu, _ := strconv.ParseInt(fs[0], 10, 64)
		wall, _ := strconv.ParseInt(fs[1], 10, 64)
		stmts, _ := strconv.Atoi(fs[2])
		nodes, _ := strconv.Atoi(fs[8])
		if fs[5] != "example.com/p" {
			t.Errorf("line %q: package %s", line, fs[5])
		}
		k := fs[6] + " " + filepath.Base(fs[7])
		if _, dup := got[k]; dup {
			t.Errorf("%s written twice", k)
		}
		got[k] = entry{cpu, wall, stmts, nodes, fs[3], fs[4]}
	}
	want := map[string][2]int{ // declaration and position -> statements, nodes
		"var x p.go:3":      {0, 6},   // GenDecl, ValueSpec, x, f(1): CallExpr, f, 1
		"(*T).Heavy p.go:9": {10, 56}, // for, its i := 0 and i++, if, n = f(n), g := ..., the literal's two, g(), return; 56 nodes counted by hand
		"Light p.go:20":     {1, 9},   // FuncDecl, Light, FuncType, FieldList, BlockStmt, ExprStmt, CallExpr, f, 4
		"Q q.go:3":          {1, 9},
		"Never p.go:22":     {0, 5}, // FuncDecl, Never, FuncType, FieldList, BlockStmt
	}
	for k, size := range want {
		stmts, nodes := size[0], size[1]
		e, ok := got[k]
		if !ok {
			t.Errorf("no entry for %s; got %v", k, got)
			continue
		}
		if e.stmts != stmts || e.nodes != nodes {
			t.Errorf("%s: %d statements and %d nodes, want %d and %d", k, e.stmts, e.nodes, stmts, nodes)
		}
		if e.analyzer != "probe" || e.site != site {
			t.Errorf("%s: analyzer %s, site %s; want probe, %s", k, e.analyzer, e.site, site)
		}
	}
	if len(got) != len(want)+1 {
		t.Errorf("%d entries, want %d (f's call is the initializer's; and the package's): %v", len(got), len(want)+1, got)
	}
	heavy, light, pkg := got["(*T).Heavy p.go:9"], got["Light p.go:20"], got[PackageWide+" -"]
	if heavy.cpu < 10*light.cpu || heavy.cpu <= 0 || heavy.wall < heavy.cpu/2 {
		t.Errorf("Heavy %d ns CPU (%d wall), Light %d: the spin is not Heavy's", heavy.cpu, heavy.wall, light.cpu)
	}
	if never, q := got["Never p.go:22"], got["Q q.go:3"]; never.cpu < 10*q.cpu {
		t.Errorf("Never %d ns CPU, Q %d: the spin after Clock().For(Never) is not Never's", never.cpu, q.cpu)
	}
	if pkg.cpu < 10*light.cpu || pkg.stmts != 0 || pkg.site != site {
		t.Errorf("set aside: %+v, Light %d ns: the spin in Aside is not the package's", pkg, light.cpu)
	}
}

// TestFuncTimesOff checks that the hook writes nothing when it is off.
func TestFuncTimesOff(t *testing.T) {
	out, pass := timedPass(t, false)
	Enter(pass, pass.Files[1].Decls[1])
	Leave(pass)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the hook is off, yet %s exists (%v)", out, err)
	}
	if _, ok := funcTimers.Load(pass); ok {
		t.Error("the hook is off, yet the pass has a timer")
	}
}

// BenchmarkEnterOff is the cost of a site's step with the hook off.
func BenchmarkEnterOff(b *testing.B) {
	defer func(on bool) { funcTimesOn = on }(funcTimesOn)
	funcTimesOn = false
	pass := &analysis.Pass{}
	n := ast.NewIdent("x")
	for b.Loop() {
		Enter(pass, n)
	}
	Leave(pass)
}

func enclosingDecl(f *ast.File, n ast.Node) string {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= n.Pos() && n.End() <= fd.End() {
			return fd.Name.Name
		}
	}
	return ""
}

// timedPass sets the hook on or off, writing to a file of the test's, for
// the test's duration, and returns the file and a pass over q.go (Q, which
// calls f) and p.go (timedSrc).
func timedPass(t *testing.T, on bool) (string, *analysis.Pass) {
	out := filepath.Join(t.TempDir(), "times")
	file, was := funcTimesFile, funcTimesOn
	t.Cleanup(func() { funcTimesFile, funcTimesOn = file, was })
	funcTimesFile, funcTimesOn = out, on
	fset := token.NewFileSet()
	var files []*ast.File
	for _, src := range [][2]string{{"q.go", "package p\n\nfunc Q() { f(5) }\n"}, {"p.go", timedSrc}} {
		f, err := parser.ParseFile(fset, src[0], src[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return out, &analysis.Pass{Analyzer: &analysis.Analyzer{Name: "probe"}, Fset: fset, Files: files, Pkg: types.NewPackage("example.com/p", "p")}
}
