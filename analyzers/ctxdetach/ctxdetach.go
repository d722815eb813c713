package ctxdetach

import (
	"cmp"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

//go:embed doc.go
var doc []byte

// Analyzer reports outbound calls in gRPC handler scope that receive a
// context detached from the request. It uses the default Config.
var Analyzer = New(Config{})

// Config holds ctxdetach's settings. The zero value is the default.
type Config struct {
	// CtxFuncs also checks every function that has a context.Context
	// parameter, taking that parameter as its request context.
	CtxFuncs bool `json:"ctx-funcs,omitempty"`
}

// New returns a ctxdetach analyzer with its own settings, bound to its own
// flags (-ctxdetach.ctx-funcs), so that no state is shared between
// instances.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{cfg: cfg}
	a := &analysis.Analyzer{
		Name:      "ctxdetach",
		Doc:       analyzerdoc.Extract(doc, "ctxdetach"),
		URL:       "https://pkg.go.dev/github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach",
		Requires:  []*analysis.Analyzer{inspect.Analyzer, grpcctx.Analyzer},
		FactTypes: []analysis.Fact{new(detachedCall)},
		Run:       c.run,
	}
	a.Flags.BoolVar(&c.cfg.CtxFuncs, "ctx-funcs", cfg.CtxFuncs,
		"also check every function that has a context.Context parameter")
	return a
}

// detachedCall is the fact of a function that takes no context yet makes an
// outbound call on a detached context: directly, or through another function
// with this fact.
type detachedCall struct {
	Call string           // the outbound call, as written ("c.Lookup")
	Root string           // "context.Background()" or "context.TODO()"
	At   grpcctx.Location // where the outbound call is
}

func (*detachedCall) AFact() {}

func (f *detachedCall) String() string {
	return fmt.Sprintf("detachedCall(%s on %s at %s)", f.Call, f.Root, f.At)
}

type checker struct {
	cfg Config
}

// A finding is an outbound call on a detached context, or a call to a
// function with the detachedCall fact.
type finding struct {
	call   *ast.CallExpr
	arg    ast.Expr         // the detached context argument; nil for a helper call
	origin grpcctx.Origin   // of arg
	callee *types.Func      // the helper, for helper calls
	fact   *detachedCall    // the helper's fact
	fn     ast.Node         // enclosing FuncDecl or FuncLit
	cur    inspector.Cursor // of call
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[grpcctx.Analyzer].(*grpcctx.Model)
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)

	facts := make(map[*types.Func]*detachedCall) // this package's, once computed
	var findings []finding
	var helperCalls []finding // static calls to this package's functions
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := grpcctx.EnclosingFuncOf(cur)
		if fn == nil {
			continue // package-level initializer
		}
		if arg, o, ok := detachedArg(pass, m, call); ok {
			findings = append(findings, finding{call: call, arg: arg, origin: o, fn: fn, cur: cur})
			continue
		}
		callee := typeutil.StaticCallee(pass.TypesInfo, call)
		if callee == nil || grpcctx.TakesContext(callee.Signature()) {
			continue
		}
		callee = callee.Origin()
		f := finding{call: call, callee: callee, fn: fn, cur: cur}
		if callee.Pkg() == pass.Pkg {
			helperCalls = append(helperCalls, f)
		} else if fact := new(detachedCall); pass.ImportObjectFact(callee, fact) {
			f.fact = fact
			findings = append(findings, f)
		}
	}

	c.exportFacts(pass, findings, helperCalls, facts)
	for _, f := range helperCalls {
		if fact := facts[f.callee]; fact != nil {
			f.fact = fact
			findings = append(findings, f)
		}
	}
	slices.SortFunc(findings, func(a, b finding) int { return cmp.Compare(a.call.Pos(), b.call.Pos()) })
	for _, f := range findings {
		if h := c.scopeOf(m, f); h != nil {
			c.report(pass, m, h, f)
		}
	}
	return nil, nil
}

// detachedArg returns the first context argument of call that is detached.
func detachedArg(pass *analysis.Pass, m *grpcctx.Model, call *ast.CallExpr) (ast.Expr, grpcctx.Origin, bool) {
	for _, use := range grpcctx.ContextArgs(pass.TypesInfo, call) {
		if o := m.Origin(use.Arg); o.Root == grpcctx.Detached {
			return use.Arg, o, true
		}
	}
	return nil, grpcctx.Origin{}, false
}

// exportFacts computes the detachedCall facts of this package's functions
// that take no context: first from their own outbound calls, then, to a
// fixed point, from calls to other such functions. Only calls directly in a
// function's body count; function literals may run later or not at all.
func (c *checker) exportFacts(pass *analysis.Pass, findings, helperCalls []finding, facts map[*types.Func]*detachedCall) {
	declOf := func(fn ast.Node) *types.Func {
		if d, ok := fn.(*ast.FuncDecl); ok {
			if obj, ok := pass.TypesInfo.Defs[d.Name].(*types.Func); ok && !grpcctx.TakesContext(obj.Signature()) {
				return obj
			}
		}
		return nil
	}
	var order []*types.Func // deterministic export order
	add := func(fn *types.Func, fact *detachedCall) {
		if facts[fn] == nil {
			facts[fn] = fact
			order = append(order, fn)
		}
	}
	for _, f := range findings {
		fn := declOf(f.fn)
		if fn == nil {
			continue
		}
		if f.fact != nil {
			add(fn, f.fact)
		} else {
			add(fn, &detachedCall{
				Call: types.ExprString(f.call.Fun),
				Root: f.origin.RootText(),
				At:   grpcctx.LocationOf(pass.Fset, f.call.Pos()),
			})
		}
	}
	for changed := true; changed; {
		changed = false
		for _, f := range helperCalls {
			if fn := declOf(f.fn); fn != nil && facts[fn] == nil && facts[f.callee] != nil {
				add(fn, facts[f.callee])
				changed = true
			}
		}
	}
	for _, fn := range order {
		pass.ExportObjectFact(fn, facts[fn])
	}
}

// scopeOf returns the handler whose scope the finding lies in: the model's
// handler scope, or, with -ctx-funcs, the nearest enclosing function with a
// context parameter.
func (c *checker) scopeOf(m *grpcctx.Model, f finding) *grpcctx.Handler {
	if h := m.HandlerOf(f.fn); h != nil {
		return h
	}
	if !c.cfg.CtxFuncs {
		return nil
	}
	for cur := range f.cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if h := m.ContextFunc(cur.Node()); h != nil {
			return h
		}
	}
	return nil
}

func (c *checker) report(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, f finding) {
	var fixes []fix
	if f.fact == nil {
		fixes = c.fix(pass, m, h, f)
	}
	// The remedy names the expression the fix uses, else the one request
	// context in scope at the call, else stays generic.
	use, ok := m.RequestContextExpr(h, f.call)
	if len(fixes) > 0 {
		use = fixes[0].want
	} else if !ok {
		use = "the request context"
	}
	if f.fact != nil {
		name := types.ExprString(f.call.Fun)
		m.Report(pass, analysis.Diagnostic{
			Pos:      f.call.Fun.Pos(),
			End:      f.call.Fun.End(),
			Category: "detached-helper",
			Message: fmt.Sprintf("call to %s in %s reaches %s on %s (%s), so the RPC's cancellation and deadline never reach it; give %s a context parameter and pass %s",
				name, h.Describe(), f.fact.Call, f.fact.Root, f.fact.At, f.callee.Name(), use),
			Related: []analysis.RelatedInformation{{
				Pos:     f.fact.At.Pos(pass.Fset, f.callee.Pos()),
				Message: fmt.Sprintf("outbound call %s on %s", f.fact.Call, f.fact.Root),
			}},
		})
		return
	}
	d := analysis.Diagnostic{
		Pos:      f.arg.Pos(),
		End:      f.arg.End(),
		Category: "detached-call",
		Message: fmt.Sprintf("call to %s in %s uses %s, not the request context, so the RPC's cancellation and deadline never reach it; pass %s",
			types.ExprString(f.call.Fun), h.Describe(), f.origin.Describe(f.arg), use),
	}
	if at := f.origin.At; at != nil && at != f.arg {
		d.Related = []analysis.RelatedInformation{{Pos: at.Pos(), End: at.End(), Message: f.origin.RootText() + " is called here"}}
	}
	for _, fx := range fixes {
		d.SuggestedFixes = append(d.SuggestedFixes, fx.SuggestedFix)
	}
	m.Report(pass, d)
}

// A fix is a suggested fix and the request context expression it uses.
type fix struct {
	analysis.SuggestedFix
	want string
}

// fix replaces the context.Background()/TODO() call the argument came from
// with the request context, when exactly one is in scope there and the call
// is not inside a go statement (a goroutine may outlive the RPC; it needs
// context.WithoutCancel or the request context, a choice the user makes).
func (c *checker) fix(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, f finding) []fix {
	at := f.origin.At
	if at == nil || at.Pos() < h.Func.Pos() || at.End() > h.Func.End() || inGoStmt(f.cur, h.Func) {
		return nil
	}
	want, ok := m.RequestContextExpr(h, at)
	if !ok {
		return nil
	}
	root := f.origin.RootText()
	if stmt := selfAssign(m, at, want); stmt != nil {
		return []fix{{want: want, SuggestedFix: analysis.SuggestedFix{
			Message:   fmt.Sprintf("Remove the assignment of %s to %s", root, want),
			TextEdits: []analysis.TextEdit{deleteLine(pass, stmt)},
		}}}
	}
	return []fix{{want: want, SuggestedFix: analysis.SuggestedFix{
		Message:   fmt.Sprintf("Replace %s with %s", root, want),
		TextEdits: []analysis.TextEdit{{Pos: at.Pos(), End: at.End(), NewText: []byte(want)}},
	}}}
}

// selfAssign returns the statement "want = context.Background()" when at is
// its whole right-hand side: replacing would leave want = want, so the fix
// removes the statement.
func selfAssign(m *grpcctx.Model, at *ast.CallExpr, want string) *ast.AssignStmt {
	cur, ok := m.Cursor(at)
	if !ok {
		return nil
	}
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Rhs[0] != at {
		return nil
	}
	if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name == want {
		return as
	}
	return nil
}

// deleteLine removes stmt together with its indentation and line break when
// it stands alone on its line, else just stmt.
func deleteLine(pass *analysis.Pass, stmt ast.Stmt) analysis.TextEdit {
	edit := analysis.TextEdit{Pos: stmt.Pos(), End: stmt.End()}
	tf := pass.Fset.File(stmt.Pos())
	if pass.ReadFile == nil { // some drivers (nogo) give no file access
		return edit
	}
	content, err := pass.ReadFile(tf.Name())
	if err != nil || tf.Size() != len(content) {
		return edit
	}
	start, end := tf.Offset(stmt.Pos()), tf.Offset(stmt.End())
	for start > 0 && (content[start-1] == ' ' || content[start-1] == '\t') {
		start--
	}
	if (start == 0 || content[start-1] == '\n') && end < len(content) && content[end] == '\n' {
		edit.Pos, edit.End = tf.Pos(start), tf.Pos(end+1)
	}
	return edit
}

// inGoStmt reports whether cur lies in a function literal started by a go
// statement inside root.
func inGoStmt(cur inspector.Cursor, root ast.Node) bool {
	for c := range cur.Enclosing((*ast.GoStmt)(nil), (*ast.FuncDecl)(nil)) {
		if c.Node() == root {
			return false
		}
		if _, ok := c.Node().(*ast.GoStmt); ok {
			return c.Node().Pos() >= root.Pos() && c.Node().End() <= root.End()
		}
	}
	return false
}
