package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Root says where a context value ultimately comes from.
type Root uint8

const (
	// Unknown: the provenance cannot be established locally (a map, a
	// field that is not set from a detaching call in view, see fields.go,
	// a call the model does not understand, paths that disagree).
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
	// variants, or a WithCancel whose cancel function a timer calls:
	// time.AfterFunc(d, cancel)) was added on every path from the root.
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
	// Factory: on some path, the context was made detached by a function
	// whose job is to make one (a returnedContext fact rooted in
	// Background/TODO: containerd's util.NamespacedContext()). Like Owned,
	// a sign of detaching on purpose (see query.returned), except where
	// the handler never uses its own request context: then nothing was
	// detached from anything, the request's was dropped.
	Factory bool
	// At is the call that made a Detached or Deliberate root
	// (context.Background(), context.TODO(), context.WithoutCancel(...),
	// or, with Factory, the call of the function that made it: n.context()),
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
	if o.Root == Deliberate || o.Factory {
		return types.ExprString(o.At) // context.WithoutCancel(ctx), n.context()
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

// bottom is the neutral element of join and the least origin: "no
// definition reaches here yet", the value a node of the origin equations
// has before the solver gets to it (a loop's ctx = context.WithValue(ctx,
// k, v) reads it on the first round). Its every-path flags are true and
// its some-path flags false. Unknown is the greatest.
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
		Factory:     a.Factory || b.Factory,
	}
	if a.At == b.At {
		o.At = a.At
	}
	if a.Var == b.Var {
		o.Var = a.Var
	}
	return o
}

// plus returns o with what add adds on the way: its every-path and
// some-path flags set where add's are. o's root, At and Var stay.
func (o Origin) plus(add Origin) Origin {
	o.Deadline = o.Deadline || add.Deadline
	o.Cancel = o.Cancel || add.Cancel
	o.MayDeadline = o.MayDeadline || add.MayDeadline
	o.MayCancel = o.MayCancel || add.MayCancel
	o.Opaque = o.Opaque || add.Opaque
	o.Owned = o.Owned || add.Owned
	o.Factory = o.Factory || add.Factory
	return o
}

// Origin returns the origin of the context-typed expression e, which must
// belong to the package under analysis.
func (m *Model) Origin(e ast.Expr) Origin {
	q := reuseQuery(m)
	o := q.expr(e)
	q.release()
	if isBottom(o) {
		return Origin{}
	}
	return o
}

func (q *query) expr(e ast.Expr) Origin {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := q.m.info.Uses[e].(*types.Var); ok {
			return q.variable(v, e)
		}
	case *ast.CallExpr:
		return q.call(e)
	case *ast.SelectorExpr:
		if f := q.m.trackedField(e); f != nil {
			return q.get(nodeKey{kind: fieldValue, v: f})
		}
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
	// derive adds to the origin of a derivation's parent context. It is
	// strict: a parent with no value yet (bottom, on the first round of a
	// loop) gives none either, so that a loop's value is the least fixed
	// point whichever node the solver met first. An unknown parent gives
	// Unknown, whatever was added.
	derive := func(o Origin, add func(*Origin)) Origin {
		if isBottom(o) || o.Root == Unknown {
			return o
		}
		add(&o)
		return o
	}
	switch {
	case lint.IsFunc(fn, contextPath, "Background", "TODO"):
		return Origin{Root: Detached, At: call}
	case lint.IsFunc(fn, contextPath, "WithoutCancel"):
		return Origin{Root: Deliberate, At: call}
	case lint.IsFunc(fn, contextPath, "WithCancel", "WithCancelCause"), lint.IsFunc(fn, errgroupPath, "WithContext"):
		return derive(arg(0), func(o *Origin) {
			o.Cancel, o.MayCancel = true, true
			o.Owned = o.Owned || fn.Pkg().Path() == contextPath && q.m.cancelKept(call)
			if fn.Pkg().Path() == contextPath && q.m.cancelTimed(call) {
				o.Deadline, o.MayDeadline = true, true // a watchdog: time.AfterFunc(d, cancel)
			}
		})
	case lint.IsFunc(fn, contextPath, "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause"):
		return derive(arg(0), func(o *Origin) {
			o.Cancel, o.Deadline, o.MayCancel, o.MayDeadline = true, true, true, true
			o.Owned = o.Owned || q.m.cancelKept(call)
		})
	case lint.IsFunc(fn, contextPath, "WithValue"),
		lint.IsFunc(fn, metadataPath, "NewOutgoingContext", "AppendToOutgoingContext", "NewIncomingContext"):
		return arg(0)
	}
	sig := fn.Signature()
	if sig.Recv() != nil && fn.Name() == "Context" && sig.Params().Len() == 0 {
		// stream.Context() on a handler's or stream interceptor's stream.
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && q.m.streamOf[v] != nil {
					return Origin{Root: Request, Var: v}
				}
			}
		}
		return Origin{}
	}
	if f := q.m.returnedBy(fn.Origin()); f != nil {
		return q.returned(call, fn, f)
	}
	if !returnsContext(sig) {
		return Origin{}
	}
	// An unknown derivation: follow its first context argument.
	if idx := ContextParams(sig); len(idx) > 0 {
		return derive(arg(idx[0]), func(o *Origin) { o.Opaque = true })
	}
	return Origin{}
}

// variable returns the origin of v's value where use reads it.
//
// A local variable with one source (one definition, or a parameter never
// assigned) has that source's value wherever it is read, with no CFG.
// Otherwise, where use and every definition sit in the function that
// declares v, the value is the join of the definitions that reach use in
// that function's CFG: the last definition before use in its block, or
// v's value on entry to the block (blockEntry). A variable assigned inside
// a closure, or read inside one, gets the join of all its definitions
// (allDefs).
func (q *query) variable(v *types.Var, use ast.Node) Origin {
	m := q.m
	defs := m.defs[v]
	if m.requestOf[v] != nil && len(defs) == 0 {
		return Origin{Root: Request, Var: v}
	}
	if v.Parent() == v.Pkg().Scope() {
		// A package-level variable is trusted only when its initializer
		// is its sole definition in the package.
		if len(defs) != 1 || m.addrTaken[v] {
			return Origin{}
		}
		return q.get(nodeKey{kind: defValue, d: defs[0]})
	}
	_, isParam := m.params[v]
	switch {
	case m.addrTaken[v] || !isParam && len(defs) == 0:
		return Origin{}
	case !isParam && len(defs) == 1:
		return q.get(nodeKey{kind: defValue, d: defs[0]})
	case isParam && len(defs) == 0:
		return q.paramOrigin(v)
	}
	fl := m.varFlow(v)
	if fl == nil {
		return q.get(nodeKey{kind: allDefs, v: v})
	}
	at, ok := m.locate(fl.f, use)
	if !ok || !at.b.Live {
		// A read outside the function that declares v, inside a closure
		// there, or in code that no path reaches.
		return q.get(nodeKey{kind: allDefs, v: v})
	}
	if d := fl.lastBefore(at.b, at.i); d != nil {
		return q.get(nodeKey{kind: defValue, d: d})
	}
	return q.get(nodeKey{kind: blockEntry, v: v, b: at.b})
}

func (q *query) paramOrigin(v *types.Var) Origin {
	if q.m.requestOf[v] != nil {
		return Origin{Root: Request, Var: v}
	}
	return Origin{Root: Param, Var: v}
}

// eval computes the value of node k from the values of the nodes it reads
// (see nodeKind).
func (q *query) eval(k nodeKey) Origin {
	switch k.kind {
	case defValue:
		if k.d.rhs == nil {
			return Origin{}
		}
		return q.expr(k.d.rhs)
	case blockEntry:
		return q.blockEntry(k.v, k.b)
	case fieldValue:
		return q.fieldValue(k.v)
	case paramCallers:
		return q.paramCallers(k.v)
	default: // allDefs
		o := bottom
		if _, isParam := q.m.params[k.v]; isParam {
			o = q.paramOrigin(k.v)
		}
		for _, d := range q.m.defs[k.v] {
			o = join(o, q.get(nodeKey{kind: defValue, d: d}))
		}
		return o
	}
}

// blockEntry is the value of v on entry to block b: the join, over b's
// predecessors, of v's last definition there or, in one without, of v's
// value on entry to it; at the function's entry, also a parameter's
// incoming value.
func (q *query) blockEntry(v *types.Var, b *cfg.Block) Origin {
	fl := q.m.varFlow(v)
	o := bottom
	if b == fl.f.g.Blocks[0] {
		if _, isParam := q.m.params[v]; isParam {
			o = q.paramOrigin(v)
		}
	}
	for _, p := range fl.f.preds[b] {
		if d := fl.lastBefore(p, len(p.Nodes)); d != nil {
			o = join(o, q.get(nodeKey{kind: defValue, d: d}))
		} else {
			o = join(o, q.get(nodeKey{kind: blockEntry, v: v, b: p}))
		}
	}
	return o
}
