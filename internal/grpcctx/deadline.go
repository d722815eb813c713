package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/astutil"
)

// Bounds says what was added to a context on at least one path from its
// root. It complements Origin, whose Deadline and Cancel flags hold on every
// path: where an assignment depends on a branch (if timeout > 0 { ctx, cancel
// = context.WithTimeout(ctx, timeout) }), Origin says "no deadline" while
// Bounds says "a deadline on some path", and a check that must be sure a call
// never has a deadline stays silent.
type Bounds struct {
	// Deadline: WithTimeout, WithDeadline or their Cause variants lie on
	// some path from the root.
	Deadline bool
	// Cancel: a cancel function (WithCancel*, WithTimeout*, WithDeadline*,
	// errgroup.WithContext) is created on some path from the root.
	Cancel bool
}

func (b Bounds) or(c Bounds) Bounds {
	return Bounds{Deadline: b.Deadline || c.Deadline, Cancel: b.Cancel || c.Cancel}
}

// MayBound returns what was added to the context-typed expression e on some
// path from its root. It follows the same definitions as Origin: the ones
// that reach e where the model can place them in a control-flow graph, else
// every definition, which only makes the answer larger. Values the model
// cannot follow (fields, maps, parameters) contribute nothing; Origin calls
// those Unknown or Param, and a check looks at the Origin first.
func (m *Model) MayBound(e ast.Expr) Bounds {
	q := &boundQuery{m: m, active: make(map[defKey]bool)}
	return q.expr(e)
}

// A boundQuery is one MayBound computation with its own cycle guard.
type boundQuery struct {
	m      *Model
	active map[defKey]bool
}

func (q *boundQuery) expr(e ast.Expr) Bounds {
	switch e := astutil.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := q.m.info.Uses[e].(*types.Var); ok {
			return q.variable(v, e)
		}
	case *ast.CallExpr:
		return q.call(e)
	}
	return Bounds{}
}

// call mirrors query.call: the derivations Origin knows, and any other
// function that takes a context and returns one, followed through its first
// context argument.
func (q *boundQuery) call(call *ast.CallExpr) Bounds {
	fn := Callee(q.m.info, call)
	if fn == nil {
		return Bounds{}
	}
	arg := func(i int) Bounds {
		if i < len(call.Args) {
			return q.expr(call.Args[i])
		}
		return Bounds{}
	}
	switch {
	case isFunc(fn, contextPath, "Background", "TODO", "WithoutCancel"):
		// WithoutCancel drops its parent's deadline and cancellation.
		return Bounds{}
	case isFunc(fn, contextPath, "WithCancel", "WithCancelCause"), isFunc(fn, errgroupPath, "WithContext"):
		b := arg(0)
		b.Cancel = true
		return b
	case isFunc(fn, contextPath, "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause"):
		return Bounds{Deadline: true, Cancel: true}
	case isFunc(fn, contextPath, "WithValue"),
		isFunc(fn, metadataPath, "NewOutgoingContext", "AppendToOutgoingContext", "NewIncomingContext"):
		return arg(0)
	}
	sig := fn.Signature()
	if !returnsContext(sig) {
		return Bounds{}
	}
	if idx := ContextParams(sig); len(idx) > 0 {
		return arg(idx[0])
	}
	return Bounds{}
}

// variable returns what was added, on some path, to the values of v that
// reach use.
func (q *boundQuery) variable(v *types.Var, use ast.Node) Bounds {
	m := q.m
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		use = nil // a package-level variable: every definition counts
	}
	key := defKey{v, use}
	if q.active[key] {
		return Bounds{} // a cycle adds nothing new
	}
	q.active[key] = true
	defer delete(q.active, key)

	defs := m.defs[v]
	var all Bounds
	for _, d := range defs {
		all = all.or(q.def(d))
	}
	if all == (Bounds{}) || use == nil {
		return all
	}

	// Some definition adds something: narrow to the definitions that reach
	// use, on the same terms as Origin.
	declFn := m.declFn[v]
	p, isParam := m.params[v]
	if isParam {
		declFn = p.fn
	}
	if m.addrTaken[v] || declFn == nil || m.enclosingFunc(use) != declFn {
		return all
	}
	for _, d := range defs {
		if d.fn != declFn {
			return all
		}
	}
	reach, _, ok := m.reaching(declFn, v, use)
	if !ok {
		return all
	}
	var b Bounds // a parameter's incoming value adds nothing locally
	for _, d := range reach {
		b = b.or(q.def(d))
	}
	return b
}

func (q *boundQuery) def(d *def) Bounds {
	if d.rhs == nil {
		return Bounds{}
	}
	return q.expr(d.rhs)
}

// IsClientCallSignature reports whether sig has the shape AsGRPCCall
// recognises: a context.Context first parameter and a trailing
// ...grpc.CallOption. A function with this shape is judged as an outbound
// gRPC call at its call sites, whatever its body does.
func IsClientCallSignature(sig *types.Signature) bool {
	params := sig.Params()
	return sig.Variadic() && params.Len() >= 2 &&
		IsContext(params.At(0).Type()) && isCallOptionSlice(params.At(params.Len()-1).Type())
}
