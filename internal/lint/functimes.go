package lint

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
)

// Per-function cost measurement, for eval/scale.sh (issue 16): with
// GRPCCANCELCHECK_FUNCTIMES=FILE in the environment, the analyzers'
// per-function work is timed and appended to FILE, one line per function,
// analysis pass and site, for eval/functimes to merge. Off by default, it
// costs a test of one boolean per call of Enter and Leave.
//
// The analyzers do not work function by function: each walks its package's
// calls or loops and asks the model about each (an origin, a CFG, a scan
// of a loop), and the model builds its indexes in walks over the
// package's declarations. A site is such a walk: Enter at the top of each
// step, with the node the step is about, says that from then on the pass's
// time goes to the top-level declaration around that node (a function with
// its literals, or a package-level variable's initializer); Leave after
// the walk stops the clock and writes what the walk measured. Steps on the
// same declaration follow each other in a walk in source order, so the
// clock is read when the walk moves to another declaration, not at every
// step. What the model computes on demand for a step (origins, CFGs, the
// indexes it builds on first use) counts for the declaration of the step
// that asked.
//
// Time is the thread's CPU time (Linux; wall time elsewhere): the pass's
// goroutine is locked to its thread from its first Enter to Leave, so the
// figure is its own work and the garbage collection its allocations
// assist, not the machine's load. Wall time is written beside it.
//
// Each line of FILE (tab-separated): CPU ns, wall ns, statements of the
// declaration (ast.Stmt nodes other than blocks, its literals' included),
// analyzer, site (file:line of the Leave), package path, declaration name,
// file:line of the declaration, its AST nodes. The time set aside with
// Aside is written as a declaration named PackageWide, at "-". One write per Leave, with O_APPEND, so that
// the passes of one process (the standalone driver runs packages in
// parallel) and the processes of go vet (one per package) can share FILE.
var (
	funcTimesFile = os.Getenv("GRPCCANCELCHECK_FUNCTIMES")
	funcTimesOn   = funcTimesFile != ""
	funcTimers    sync.Map   // *analysis.Pass -> *funcTimer
	funcTimersOf  sync.Map   // thread id -> *funcTimer, for Aside and Clock (the pass's goroutine is locked to its thread)
	funcTimesMu   sync.Mutex // one write at a time from this process
	funcStmts     sync.Map   // "file:line" -> [2]int{statements, nodes}, counted once per process
)

// Enter attributes pass's time from now on, until the next Enter or
// Leave, to the top-level declaration that contains n (none when n is nil
// or lies outside every declaration).
func Enter(pass *analysis.Pass, n ast.Node) {
	if funcTimesOn {
		enter(pass, n)
	}
}

// Leave stops pass's clock and writes what it measured since the first
// Enter (or the last Leave): call it after the walk whose steps Enter.
func Leave(pass *analysis.Pass) {
	if funcTimesOn {
		leave(pass, 2)
	}
}

// Aside sets the time until the function it returns is called apart from
// the declaration the calling goroutine's pass is timing, as the package's:
// an index of the whole package that the model builds when a step first
// needs it is not that step's function's work. Use it as
// defer lint.Aside()().
func Aside() func() {
	if !funcTimesOn {
		return noop
	}
	return aside()
}

func noop() {}

type funcTimer struct {
	pass      *analysis.Pass
	clock     *FuncClock
	tid       uint64
	files     []*ast.File // by position
	cur       ast.Decl    // the declaration the clock runs for, or nil
	cpu, wall int64       // the clocks when cur was entered
	spent     map[ast.Decl]*[2]int64
	aside     [2]int64 // the package's (Aside)
}

// packageWide stands for the time set aside as the package's.
var packageWide = &ast.BadDecl{}

// A FuncClock is the clock of the pass the calling goroutine is timing,
// for work on demand that knows which function it is about while the step
// that asked for it is another function's: the model's origin solver,
// which follows a value into the functions it comes from.
type FuncClock struct{ t *funcTimer }

// Clock returns the calling goroutine's FuncClock, nil when the hook is
// off or the goroutine is not timing a walk. A nil FuncClock's methods do
// nothing.
func Clock() *FuncClock {
	if !funcTimesOn {
		return nil
	}
	v, ok := funcTimersOf.Load(threadID())
	if !ok {
		return nil
	}
	return v.(*funcTimer).clock
}

// For moves the clock to the top-level declaration around n, and returns
// what Restore needs to move it back. It does not move it out of the time
// set aside (Aside), nor for a node outside every declaration.
func (c *FuncClock) For(n ast.Node) ast.Decl {
	if c == nil || n == nil {
		return nil
	}
	t := c.t
	prev := t.cur
	if prev == nil || prev == packageWide || prev.Pos() <= n.Pos() && n.Pos() < prev.End() {
		return prev
	}
	if d := t.declOf(n.Pos()); d != nil {
		t.stop()
		t.cur, t.cpu, t.wall = d, threadCPU(), time.Now().UnixNano()
	}
	return prev
}

// Restore moves the clock back to prev, which For returned.
func (c *FuncClock) Restore(prev ast.Decl) {
	if c == nil || c.t.cur == prev || prev == nil {
		return
	}
	t := c.t
	t.stop()
	t.cur, t.cpu, t.wall = prev, threadCPU(), time.Now().UnixNano()
}

func aside() func() {
	v, ok := funcTimersOf.Load(threadID())
	if !ok {
		return noop
	}
	t := v.(*funcTimer)
	d := t.cur
	if d == nil || d == packageWide {
		return noop
	}
	t.stop()
	t.cur, t.cpu, t.wall = packageWide, threadCPU(), time.Now().UnixNano()
	return func() {
		if t.cur != packageWide {
			return // Left, or entered elsewhere meanwhile
		}
		t.stop()
		t.cur, t.cpu, t.wall = d, threadCPU(), time.Now().UnixNano()
	}
}

// goid returns the calling goroutine's id, from the header of its stack
// trace ("goroutine 18 [running]:"): threadID where threads have no id of
// their own here.
func goid() uint64 {
	var buf [64]byte
	s := strings.TrimPrefix(string(buf[:runtime.Stack(buf[:], false)]), "goroutine ")
	var id uint64
	for i := 0; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		id = id*10 + uint64(s[i]-'0')
	}
	return id
}

func enter(pass *analysis.Pass, n ast.Node) {
	var t *funcTimer
	if v, ok := funcTimers.Load(pass); ok {
		t = v.(*funcTimer)
	} else {
		files := slices.Clone(pass.Files)
		slices.SortFunc(files, func(a, b *ast.File) int { return cmp.Compare(a.FileStart, b.FileStart) })
		runtime.LockOSThread() // until Leave: the thread's CPU clock is the pass's
		t = &funcTimer{pass: pass, tid: threadID(), files: files, spent: make(map[ast.Decl]*[2]int64)}
		t.clock = &FuncClock{t}
		funcTimers.Store(pass, t)
		funcTimersOf.Store(t.tid, t)
	}
	if n != nil && t.cur != nil && t.cur.Pos() <= n.Pos() && n.Pos() < t.cur.End() {
		return // the same declaration: its clock runs on
	}
	t.stop()
	if n != nil {
		t.cur = t.declOf(n.Pos())
	}
	if t.cur != nil {
		t.cpu, t.wall = threadCPU(), time.Now().UnixNano()
	}
}

// stop adds the time since the current declaration was entered to it.
func (t *funcTimer) stop() {
	if t.cur == nil {
		return
	}
	cpu, wall := threadCPU(), time.Now().UnixNano()
	if t.cur == packageWide {
		t.aside[0] += cpu - t.cpu
		t.aside[1] += wall - t.wall
		t.cur = nil
		return
	}
	s := t.spent[t.cur]
	if s == nil {
		s = new([2]int64)
		t.spent[t.cur] = s
	}
	s[0] += cpu - t.cpu
	s[1] += wall - t.wall
	t.cur = nil
}

// declOf returns the top-level declaration around pos, or nil.
func (t *funcTimer) declOf(pos token.Pos) ast.Decl {
	i, found := slices.BinarySearchFunc(t.files, pos, func(f *ast.File, p token.Pos) int { return cmp.Compare(f.FileStart, p) })
	if !found {
		i--
	}
	if i < 0 || pos >= t.files[i].FileEnd {
		return nil
	}
	decls := t.files[i].Decls
	j, _ := slices.BinarySearchFunc(decls, pos, func(d ast.Decl, p token.Pos) int { return cmp.Compare(d.End(), p+1) })
	if j < len(decls) && decls[j].Pos() <= pos {
		return decls[j]
	}
	return nil
}

func leave(pass *analysis.Pass, skip int) {
	v, ok := funcTimers.LoadAndDelete(pass)
	if !ok {
		return
	}
	t := v.(*funcTimer)
	funcTimersOf.Delete(t.tid)
	t.stop()
	runtime.UnlockOSThread()
	if len(t.spent) == 0 && t.aside == [2]int64{} {
		return
	}
	site := "?"
	if _, file, line, ok := runtime.Caller(skip); ok {
		site = fmt.Sprintf("%s:%d", filepath.Base(file), line)
	}
	var b strings.Builder
	for d, s := range t.spent {
		p := pass.Fset.PositionFor(d.Pos(), false) // the file as parsed: cgo's //line directives map several to one
		at := fmt.Sprintf("%s:%d", p.Filename, p.Line)
		v, ok := funcStmts.Load(at)
		if !ok {
			v, _ = funcStmts.LoadOrStore(at, sizeOf(d))
		}
		sz := v.([2]int)
		fmt.Fprintf(&b, "%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d\n", s[0], s[1], sz[0], pass.Analyzer.Name, site, pass.Pkg.Path(), declName(d), at, sz[1])
	}
	if t.aside != [2]int64{} {
		fmt.Fprintf(&b, "%d\t%d\t0\t%s\t%s\t%s\t%s\t-\t0\n", t.aside[0], t.aside[1], pass.Analyzer.Name, site, pass.Pkg.Path(), PackageWide)
	}
	funcTimesMu.Lock()
	defer funcTimesMu.Unlock()
	f, err := os.OpenFile(funcTimesFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = f.WriteString(b.String())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "GRPCCANCELCHECK_FUNCTIMES: %v\n", err)
	}
}

// PackageWide is the name under which FILE holds the time set aside with
// Aside.
const PackageWide = "(package-wide)"

// sizeOf counts the statements under n, blocks apart (a function's size,
// as eval/scalesize counts it), and all its nodes: a table-driven test of
// a few statements can hold thousands of nodes in one composite literal.
func sizeOf(n ast.Node) [2]int {
	var k [2]int
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		k[1]++
		if _, ok := n.(ast.Stmt); ok {
			if _, block := n.(*ast.BlockStmt); !block {
				k[0]++
			}
		}
		return true
	})
	return k
}

// declName names a top-level declaration: F, T.M, (*T).M, or "var x" for
// a package-level variable.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil || len(d.Recv.List) == 0 {
			return d.Name.Name
		}
		recv := types.ExprString(d.Recv.List[0].Type)
		if strings.HasPrefix(recv, "*") {
			recv = "(" + recv + ")"
		}
		return recv + "." + d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			if vs, ok := s.(*ast.ValueSpec); ok && len(vs.Names) > 0 {
				return d.Tok.String() + " " + vs.Names[0].Name
			}
		}
		return d.Tok.String()
	}
	return "?"
}
