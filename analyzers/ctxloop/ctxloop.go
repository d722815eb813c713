package ctxloop

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

//go:embed doc.go
var doc []byte

// Analyzer reports loops in gRPC handler scope that never observe
// cancellation.
var Analyzer = New(Config{})

// Config holds ctxloop's settings; it has none yet, and exists so that every
// analyzer is built the same way by the command and the golangci-lint plugin.
type Config struct{}

// New returns a ctxloop analyzer.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{cfg: cfg}
	return &analysis.Analyzer{
		Name:      "ctxloop",
		Doc:       analyzerdoc.Extract(doc, "ctxloop"),
		URL:       "https://pkg.go.dev/github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop",
		Requires:  []*analysis.Analyzer{inspect.Analyzer, grpcctx.Analyzer},
		FactTypes: []analysis.Fact{new(blindLoop)},
		Run:       c.run,
	}
}

// blindLoop is the fact of a function that takes no context and contains a
// loop worth reporting that never observes cancellation, directly or in a
// function it calls.
type blindLoop struct {
	Kind string           // "loop", "polling loop", ...
	Func string           // the function holding the loop
	At   grpcctx.Location // the loop
}

func (*blindLoop) AFact() {}

func (f *blindLoop) String() string {
	return fmt.Sprintf("blindLoop(%s in %s at %s)", f.Kind, f.Func, f.At)
}

type checker struct {
	cfg Config
}

// A blind loop found in this package.
type loopFinding struct {
	cur  inspector.Cursor
	loop ast.Stmt
	fn   ast.Node // enclosing FuncDecl or FuncLit
	kind string
	scan loopScan
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[grpcctx.Analyzer].(*grpcctx.Model)
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	s := &scanner{info: pass.TypesInfo, m: m}

	// Facts are computed for the packages of the module under analysis
	// only: loops in the standard library and in versioned dependencies end
	// on their data (a mutex's spin, a decoder's scan) far more often than
	// not, and facts about them would flag every handler that takes a lock.
	withFacts := grpcctx.InMainModule(pass)

	// Loops: cheap shape test first, the scan only for candidates in
	// handler scope or directly in a function that takes no context.
	var loops []loopFinding
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		fn := grpcctx.EnclosingFuncOf(cur)
		if fn == nil || m.HandlerOf(fn) == nil && !(withFacts && helperDecl(pass, fn) != nil) {
			continue
		}
		loop := cur.Node().(ast.Stmt)
		if !mayBeUnbounded(pass.TypesInfo, loop) {
			continue
		}
		r := s.scan(cur)
		if r.observes {
			continue
		}
		if kind, ok := worth(pass.TypesInfo, m, loop, r, fn); ok {
			loops = append(loops, loopFinding{cur: cur, loop: loop, fn: fn, kind: kind, scan: r})
		}
	}

	// Facts: functions that take no context and hold a blind loop, directly
	// or through calls made directly in their bodies.
	facts := make(map[*types.Func]*blindLoop)
	var order []*types.Func
	add := func(fn *types.Func, f *blindLoop) {
		if facts[fn] == nil {
			facts[fn] = f
			order = append(order, fn)
		}
	}
	for _, l := range loops {
		if fn := helperDecl(pass, l.fn); fn != nil && withFacts {
			add(fn, &blindLoop{Kind: l.kind, Func: fn.Name(), At: grpcctx.LocationOf(pass.Fset, l.loop.Pos())})
		}
	}
	type callSite struct {
		call   *ast.CallExpr
		fn     ast.Node
		callee *types.Func
	}
	var calls []callSite
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		callee := typeutil.StaticCallee(pass.TypesInfo, call)
		if callee == nil || grpcctx.TakesContext(callee.Signature()) {
			continue
		}
		if fn := grpcctx.EnclosingFuncOf(cur); fn != nil {
			calls = append(calls, callSite{call, fn, callee.Origin()})
		}
	}
	lookup := func(callee *types.Func) *blindLoop {
		if callee.Pkg() == pass.Pkg {
			return facts[callee]
		}
		f := new(blindLoop)
		if pass.ImportObjectFact(callee, f) {
			return f
		}
		return nil
	}
	for changed := true; changed; {
		changed = false
		for _, cs := range calls {
			if fn := helperDecl(pass, cs.fn); fn != nil && facts[fn] == nil {
				if f := lookup(cs.callee); f != nil {
					add(fn, f)
					changed = true
				}
			}
		}
	}
	for _, fn := range order {
		pass.ExportObjectFact(fn, facts[fn])
	}

	// Reports, in source order: blind loops and calls to blind helpers in
	// handler scope.
	for _, l := range loops {
		if h := m.HandlerOf(l.fn); h != nil {
			c.reportLoop(pass, m, h, l)
		}
	}
	for _, cs := range calls {
		h := m.HandlerOf(cs.fn)
		if h == nil {
			continue
		}
		if f := lookup(cs.callee); f != nil {
			ctx, ok := m.RequestContextExpr(h, cs.call)
			if !ok {
				ctx = "the request context"
			}
			name := types.ExprString(cs.call.Fun)
			m.Report(pass, analysis.Diagnostic{
				Pos:      cs.call.Fun.Pos(),
				End:      cs.call.Fun.End(),
				Category: "blind-helper",
				Message: fmt.Sprintf("call to %s in %s runs a %s in %s that never checks for cancellation (%s), so the handler keeps running after the RPC is cancelled; pass %s to %s and check it in the loop",
					name, h.Describe(), f.Kind, f.Func, f.At, ctx, cs.callee.Name()),
				Related: []analysis.RelatedInformation{{
					Pos:     f.At.Pos(pass.Fset, cs.callee.Pos()),
					Message: fmt.Sprintf("%s without a cancellation check", f.Kind),
				}},
			})
		}
	}
	return nil, nil
}

// helperDecl returns the function of fn when fn is a declaration that takes
// no context: its blind loops become facts.
func helperDecl(pass *analysis.Pass, fn ast.Node) *types.Func {
	d, ok := fn.(*ast.FuncDecl)
	if !ok {
		return nil
	}
	obj, ok := pass.TypesInfo.Defs[d.Name].(*types.Func)
	if !ok || grpcctx.TakesContext(obj.Signature()) {
		return nil
	}
	return obj
}

// mayBeUnbounded is the cheap shape test: range over finite data and
// counted loops are never worth reporting.
func mayBeUnbounded(info *types.Info, loop ast.Stmt) bool {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		return isChan(info.TypeOf(l.X))
	case *ast.ForStmt:
		return !counted(l)
	}
	return false
}

// counted reports whether a for loop has a comparison condition and a post
// statement: for i := 0; i < n; i++.
func counted(l *ast.ForStmt) bool {
	b, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
	if !ok || l.Post == nil {
		return false
	}
	switch b.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ, token.EQL:
		return true
	}
	return false
}

// worth decides whether a loop that never observes cancellation is worth
// reporting, and names its kind.
func worth(info *types.Info, m *grpcctx.Model, loop ast.Stmt, r loopScan, fn ast.Node) (string, bool) {
	waits := r.sleeps || len(r.chans) > 0 && !producersObserve(info, m, r.chans, fn)
	if rng, ok := loop.(*ast.RangeStmt); ok {
		// Excused when every channel the loop waits on, its own included,
		// has a producer that observes cancellation.
		if own := channelVar(info, rng.X); own != nil && !r.sleeps && producersObserve(info, m, append(r.chans, own), fn) {
			return "", false
		}
		return "loop over channel " + types.ExprString(rng.X), true
	}
	f := loop.(*ast.ForStmt)
	if r.errExit {
		return "", false // iterates a finite source until its error
	}
	cond := ast.Unparen(f.Cond)
	if u, ok := cond.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		cond = ast.Unparen(u.X)
	}
	switch {
	case f.Cond == nil:
		if waits {
			return "polling loop", true
		}
		return "loop", true
	case isFlag(info, cond):
		return "search loop", true
	case waits:
		return "polling loop", true
	case isCall(cond) && len(f.Body.List) == 0:
		return "busy-wait loop", true
	}
	return "", false
}

// isFlag reports whether e is a boolean variable or field: for !found.
func isFlag(info *types.Info, e ast.Expr) bool {
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		b, ok := info.TypeOf(e).Underlying().(*types.Basic)
		return ok && b.Info()&types.IsBoolean != 0 && info.Types[e].Value == nil
	}
	return false
}

// channelVar returns the local variable e names, if any.
func channelVar(info *types.Info, e ast.Expr) *types.Var {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
			return v
		}
	}
	return nil
}

func isCall(e ast.Expr) bool {
	_, ok := e.(*ast.CallExpr)
	return ok
}

// producersObserve reports whether each channel is fed by a goroutine,
// started in the function around the loop (or the handler it belongs to),
// that mentions the channel and observes cancellation: when the RPC ends the
// producer stops and closes the channel, which ends the loop.
func producersObserve(info *types.Info, m *grpcctx.Model, chans []*types.Var, fn ast.Node) bool {
	root := fn
	if h := m.HandlerOf(fn); h != nil {
		root = h.Func
	}
	cur, ok := m.Cursor(root)
	if !ok {
		return false
	}
	s := &scanner{info: info, m: m}
	for _, ch := range chans {
		excused := false
		for g := range cur.Preorder((*ast.GoStmt)(nil)) {
			if !mentions(info, g.Node(), ch) {
				continue
			}
			if s.scan(g).observes {
				excused = true
				break
			}
		}
		if !excused {
			return false
		}
	}
	return true
}

func (c *checker) reportLoop(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, l loopFinding) {
	ctx, ok := m.RequestContextExpr(h, l.loop)
	check := fmt.Sprintf("check %s.Err() or select on %s.Done() in the loop", ctx, ctx)
	if !ok {
		ctx = "the request context"
		check = "check its Err() or select on its Done() in the loop"
	}
	where := h.Describe()
	if inGoroutine(l.cur, h.Func) {
		where = "goroutine started by " + where
	}
	ignored := ""
	if l.scan.ignored != "" {
		ignored = fmt.Sprintf(" (the error of %s is ignored)", l.scan.ignored)
	}
	d := analysis.Diagnostic{
		Pos:      l.loop.Pos(),
		End:      loopHeaderEnd(l.loop),
		Category: "blind-loop",
		Message: fmt.Sprintf("%s in %s never checks %s%s, so it keeps running after the RPC is cancelled or its deadline passes; %s",
			l.kind, where, ctx, ignored, check),
	}
	if ok {
		d.SuggestedFixes = insertCheck(pass, m, h, l, ctx)
	}
	m.Report(pass, d)
}

// loopHeaderEnd is the end of the loop's header: the opening brace.
func loopHeaderEnd(loop ast.Stmt) token.Pos {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return l.Body.Lbrace
	case *ast.RangeStmt:
		return l.Body.Lbrace
	}
	return loop.End()
}

// inGoroutine reports whether cur lies inside a go statement within root.
func inGoroutine(cur inspector.Cursor, root ast.Node) bool {
	for c := range cur.Enclosing((*ast.GoStmt)(nil)) {
		return c.Node().Pos() >= root.Pos() && c.Node().End() <= root.End()
	}
	return false
}
