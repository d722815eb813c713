package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/types/typeutil"
)

// Root says where a context value ultimately comes from.
type Root uint8

const (
	// Unknown: the provenance cannot be established locally (a field, a
	// map, a call the model does not understand, paths that disagree).
	// Analyzers stay silent on Unknown.
	Unknown Root = iota
	// Request: the RPC's request context (a handler's or interceptor's
	// context parameter, a stream's Context()) or a context derived from it.
	Request
	// Detached: context.Background() or context.TODO(), or derived from
	// them.
	Detached
	// Deliberate: context.WithoutCancel(...), the sanctioned way to detach
	// from a request, or derived from it.
	Deliberate
	// Param: a context parameter of an enclosing function that is not a
	// handler; its provenance is the caller's business.
	Param
)

var rootNames = [...]string{"unknown", "request", "detached", "deliberate", "param"}

func (r Root) String() string { return rootNames[r] }

// An Origin describes where a context expression came from and what was
// added on every way from there.
type Origin struct {
	Root Root
	// Deadline: a deadline (WithTimeout, WithDeadline, or their Cause
	// variants) was added on every path from the root.
	Deadline bool
	// Cancel: a cancel function (WithCancel*, WithTimeout*, WithDeadline*,
	// errgroup.WithContext) was created on every path from the root.
	Cancel bool
	// MayDeadline, MayCancel: the same, on at least one path. Where an
	// assignment depends on a branch (if timeout > 0 { ctx, cancel =
	// context.WithTimeout(ctx, timeout) }), Deadline is false while
	// MayDeadline is true, and a check that must be sure a call never has a
	// deadline stays silent.
	MayDeadline, MayCancel bool
	// Opaque: a function the model does not know, which takes a context and
	// returns one, lies on some path; it may have added a deadline.
	Opaque bool
	// Owned: on some path, the cancel function of a WithCancel*,
	// WithTimeout* or WithDeadline* is kept beyond the function that made
	// it (stored in a field, a map or a struct, returned, sent or passed
	// on), rather than only called there. Whoever holds it decides when
	// the context ends: a context.Background() made that way is the
	// lifetime of an object (a watcher, a container's I/O), detached from
	// the request on purpose.
	Owned bool
	// At is the call that made a Detached or Deliberate root
	// (context.Background(), context.TODO(), context.WithoutCancel(...)),
	// or nil when paths disagree about it.
	At *ast.CallExpr
	// Var is the parameter of a Request or Param root (for a stream's
	// Context(), the stream parameter), or nil when paths disagree.
	Var *types.Var
}

// RootText renders the call that made a Detached or Deliberate root, for
// messages: "context.Background()", "context.WithoutCancel(ctx)".
func (o Origin) RootText() string {
	if o.At == nil {
		if o.Root == Deliberate {
			return "context.WithoutCancel(...)"
		}
		return "context.Background() or context.TODO()"
	}
	if o.Root == Deliberate {
		return types.ExprString(o.At) // context.WithoutCancel(ctx)
	}
	if sel, ok := ast.Unparen(o.At.Fun).(*ast.SelectorExpr); ok {
		return "context." + sel.Sel.Name + "()"
	}
	return types.ExprString(o.At)
}

// Describe names the context argument arg with origin o for messages: the
// root call itself, or "arg (from context.Background())".
func (o Origin) Describe(arg ast.Expr) string {
	root := o.RootText()
	if o.At != nil && ast.Unparen(arg) == ast.Expr(o.At) {
		return root
	}
	return types.ExprString(arg) + " (from " + root + ")"
}

// bottom is the neutral element of join: "no definition reaches here yet",
// used to cut cycles such as ctx = context.WithValue(ctx, k, v) in a loop.
// Its every-path flags are true and its some-path flags false.
var bottom = Origin{Root: Unknown, Deadline: true, Cancel: true}

func isBottom(o Origin) bool { return o == bottom }

// join merges the origins of two paths that meet.
func join(a, b Origin) Origin {
	switch {
	case isBottom(a):
		return b
	case isBottom(b):
		return a
	case a.Root != b.Root || a.Root == Unknown:
		return Origin{}
	}
	o := Origin{
		Root:        a.Root,
		Deadline:    a.Deadline && b.Deadline,
		Cancel:      a.Cancel && b.Cancel,
		MayDeadline: a.MayDeadline || b.MayDeadline,
		MayCancel:   a.MayCancel || b.MayCancel,
		Opaque:      a.Opaque || b.Opaque,
		Owned:       a.Owned || b.Owned,
	}
	if a.At == b.At {
		o.At = a.At
	}
	if a.Var == b.Var {
		o.Var = a.Var
	}
	return o
}

// Origin returns the origin of the context-typed expression e, which must
// belong to the package under analysis.
func (m *Model) Origin(e ast.Expr) Origin {
	q := newQuery(m)
	o := q.expr(e)
	if isBottom(o) {
		return Origin{}
	}
	return o
}

// A query is one origin computation. Its cycle guard is private to it, so
// analyzers sharing a Model can query concurrently; the results it may
// keep for later queries go to the Model's cache (see cycleGuard).
type query struct {
	m     *Model
	stack cycleGuard
}

func newQuery(m *Model) *query {
	return &query{m: m, stack: cycleGuard{active: make(map[defKey]int), low: noCut}}
}

// A defKey names one value computation: the value of variable v where use
// reads it, or, with a nil use, the join of all of v's definitions.
type defKey struct {
	v   *types.Var
	use ast.Node
}

// noCut is cycleGuard.low when no cycle was cut.
const noCut = int(^uint(0) >> 1)

// A cycleGuard tracks the computations in progress of one query, so that a
// computation that needs its own result (ctx = context.WithValue(ctx, k, v)
// in a loop) gets the neutral element instead, and knows which results do
// not depend on what is in progress: those the Model may cache.
type cycleGuard struct {
	active map[defKey]int // computation -> its depth on the stack, from 1
	// low is the smallest depth that a cut reached since the computation
	// in progress began; noCut when none.
	low int
}

// enter starts the computation key. It returns false, having noted the cut,
// when key is already in progress; else the caller runs the computation
// and then calls leave with what enter returned.
func (g *cycleGuard) enter(key defKey) (saved int, ok bool) {
	if d, busy := g.active[key]; busy {
		g.low = min(g.low, d)
		return 0, false
	}
	g.active[key] = len(g.active) + 1
	saved, g.low = g.low, noCut
	return saved, true
}

// leave ends the computation key and reports whether its result is final:
// no cut during it reached a computation that began before it, so the same
// result comes out whatever else is in progress, and it may be cached.
func (g *cycleGuard) leave(key defKey, saved int) (final bool) {
	depth := g.active[key]
	delete(g.active, key)
	final = g.low >= depth
	g.low = min(saved, g.low)
	return final
}

func (q *query) expr(e ast.Expr) Origin {
	switch e := astutil.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := q.m.info.Uses[e].(*types.Var); ok {
			return q.variable(v, e)
		}
	case *ast.CallExpr:
		return q.call(e)
	}
	return Origin{}
}

// call handles the context constructors and derivations the model knows,
// a stream's Context(), and any other function that takes a context and
// returns one (assumed to derive its result from its first context argument).
func (q *query) call(call *ast.CallExpr) Origin {
	info := q.m.info
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return Origin{}
	}
	arg := func(i int) Origin {
		if i < len(call.Args) {
			return q.expr(call.Args[i])
		}
		return Origin{}
	}
	switch {
	case isFunc(fn, contextPath, "Background", "TODO"):
		return Origin{Root: Detached, At: call}
	case isFunc(fn, contextPath, "WithoutCancel"):
		return Origin{Root: Deliberate, At: call}
	case isFunc(fn, contextPath, "WithCancel", "WithCancelCause"), isFunc(fn, errgroupPath, "WithContext"):
		o := arg(0)
		o.Cancel, o.MayCancel = true, true
		o.Owned = o.Owned || fn.Pkg().Path() == contextPath && q.m.cancelKept(call)
		return o
	case isFunc(fn, contextPath, "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause"):
		o := arg(0)
		o.Cancel, o.Deadline, o.MayCancel, o.MayDeadline = true, true, true, true
		o.Owned = o.Owned || q.m.cancelKept(call)
		return o
	case isFunc(fn, contextPath, "WithValue"),
		isFunc(fn, metadataPath, "NewOutgoingContext", "AppendToOutgoingContext", "NewIncomingContext"):
		return arg(0)
	}
	sig := fn.Signature()
	if sig.Recv() != nil && fn.Name() == "Context" && sig.Params().Len() == 0 {
		// stream.Context() on a handler's or stream interceptor's stream.
		if sel, ok := astutil.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := astutil.Unparen(sel.X).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && q.m.streamOf[v] != nil {
					return Origin{Root: Request, Var: v}
				}
			}
		}
		return Origin{}
	}
	if !returnsContext(sig) {
		return Origin{}
	}
	// An unknown derivation: follow its first context argument.
	if idx := ContextParams(sig); len(idx) > 0 {
		o := arg(idx[0])
		o.Opaque = true
		return o
	}
	return Origin{}
}

// variable returns the origin of v's value where use reads it.
//
// Every definition of v is first evaluated once for v as a whole (all):
// when they agree, that is the answer wherever v is read, with no CFG. When
// they disagree, the definitions that reach use are found in the CFG and
// evaluated where they are, each following its own right-hand side back
// through the definitions before it: ctx = f(ctx) nine times over costs
// nine steps, not nine factorial. Results that do not depend on a
// computation in progress are cached in the Model for every later query.
func (q *query) variable(v *types.Var, use ast.Node) Origin {
	m := q.m
	if h := m.requestOf[v]; h != nil && len(m.defs[v]) == 0 {
		return Origin{Root: Request, Var: v}
	}
	if v.Parent() == v.Pkg().Scope() {
		use = nil // a package-level variable: see packageVar
	}
	key := defKey{v, use}
	if o, ok := m.cache.origins.get(key); ok {
		return o
	}
	saved, ok := q.stack.enter(key)
	if !ok {
		return bottom
	}
	var o Origin
	switch {
	case use == nil:
		o = q.packageVar(v)
	default:
		o = q.variableAt(v, use)
	}
	if q.stack.leave(key, saved) {
		m.cache.origins.set(key, o)
	}
	return o
}

// all returns the join of every definition of the local variable v (and
// of its incoming value, for a parameter), and whether they all agree. A
// definition that reads v itself sees bottom: all is the least solution.
// cut is set when all(v) is already being computed further up the stack;
// the answer is then bottom, and not to be trusted as agreement.
func (q *query) all(v *types.Var) (o Origin, agree, cut bool) {
	m := q.m
	key := defKey{v, nil}
	if e, ok := m.cache.alls.get(v); ok {
		return e.o, e.agree, false
	}
	saved, ok := q.stack.enter(key)
	if !ok {
		return bottom, false, true
	}
	o, agree = bottom, true
	if _, isParam := m.params[v]; isParam {
		o = q.paramOrigin(v)
	}
	for _, d := range m.defs[v] {
		do := q.def(d)
		if !isBottom(o) && do != o {
			agree = false
		}
		o = join(o, do)
	}
	if q.stack.leave(key, saved) {
		m.cache.alls.set(v, allEntry{o, agree})
	}
	return o, agree, false
}

// variableAt is variable for a local variable read at use.
func (q *query) variableAt(v *types.Var, use ast.Node) Origin {
	m := q.m
	defs := m.defs[v]
	p, isParam := m.params[v]
	if m.addrTaken[v] || (!isParam && len(defs) == 0) {
		return Origin{}
	}

	// Flow-insensitive first: when every definition agrees, no CFG is needed.
	o, agree, cut := q.all(v)
	if !cut && (agree || len(defs) == 0) {
		return o
	}

	// The definitions disagree: find the ones that reach use, when use and
	// all definitions sit in the function that declares v. A variable
	// assigned inside a closure, or read inside one, gets the join above.
	declFn := m.declFn[v]
	if isParam {
		declFn = p.fn
	}
	if declFn == nil || m.enclosingFunc(use) != declFn {
		return o
	}
	for _, d := range defs {
		if d.fn != declFn {
			return o
		}
	}
	reach, entry, ok := m.reaching(declFn, v, use)
	if !ok {
		return o
	}
	o = bottom
	if entry && isParam {
		o = q.paramOrigin(v)
	}
	for _, d := range reach {
		o = join(o, q.def(d))
	}
	return o
}

func (q *query) paramOrigin(v *types.Var) Origin {
	if q.m.requestOf[v] != nil {
		return Origin{Root: Request, Var: v}
	}
	return Origin{Root: Param, Var: v}
}

// def returns the origin of the value one definition stores.
func (q *query) def(d *def) Origin {
	if d.rhs == nil {
		return Origin{}
	}
	return q.expr(d.rhs)
}

// packageVar trusts a package-level variable only when its initializer is
// its sole definition in the package.
func (q *query) packageVar(v *types.Var) Origin {
	defs := q.m.defs[v]
	if len(defs) != 1 || q.m.addrTaken[v] {
		return Origin{}
	}
	return q.def(defs[0])
}
