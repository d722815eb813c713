package grpcctx

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// returnedContext is the fact of a function that returns one context whose
// origin its body settles: derived from one of its context parameters
// (Root Param, Param its index), or made there by context.Background/TODO
// (Detached) or context.WithoutCancel (Deliberate); with the flags of
// Origin for what its body adds on the way, on every path and on some.
// A call of the function, in its package or another, then has the origin
// of the argument it passes for that parameter, with those additions,
// instead of an unknown derivation (vitessio/vitess#15925: LockShard made
// a timeout context and returned the one it was given, so the caller's
// RPCs had no deadline).
//
// Owned is what the body keeps of a cancel function beyond returning it
// (stored in a field, passed on): a cancel function returned with the
// context is the caller's, and whether the caller keeps it is decided at
// the call (see query.returned).
//
// The fact belongs to the Model's analyzer, like readsValues: it does not
// depend on any analyzer's configuration.
type returnedContext struct {
	Root                   Root
	Param                  int
	Deadline, Cancel       bool
	MayDeadline, MayCancel bool
	Opaque, Owned          bool
}

func (*returnedContext) AFact() {}

func (f *returnedContext) String() string {
	var b strings.Builder
	b.WriteString("returnedContext(")
	if f.Root == Param {
		fmt.Fprintf(&b, "param %d", f.Param)
	} else {
		b.WriteString(f.Root.String())
	}
	for _, name := range flagNames(f.Deadline, f.Cancel, f.MayDeadline, f.MayCancel, f.Opaque, f.Owned) {
		b.WriteString(" +" + name)
	}
	b.WriteString(")")
	return b.String()
}

// flagNames names the flags of an Origin, or of a returnedContext, that
// are set, in the order Origin declares them.
func flagNames(deadline, cancel, mayDeadline, mayCancel, opaque, owned bool) []string {
	var names []string
	for _, f := range []struct {
		set  bool
		name string
	}{
		{deadline, "deadline"}, {cancel, "cancel"}, {mayDeadline, "may-deadline"},
		{mayCancel, "may-cancel"}, {opaque, "opaque"}, {owned, "owned"},
	} {
		if f.set {
			names = append(names, f.name)
		}
	}
	return names
}

// contextResult returns the index of sig's one context result, or -1 when
// it has none or several.
func contextResult(sig *types.Signature) int {
	r := -1
	for i := 0; i < sig.Results().Len(); i++ {
		if IsContext(sig.Results().At(i).Type()) {
			if r >= 0 {
				return -1
			}
			r = i
		}
	}
	return r
}

// returnsCancel reports whether sig returns a context and a function, as
// context.WithCancel does: the second result is the context's cancel
// function, which the caller holds.
func returnsCancel(sig *types.Signature) bool {
	res := sig.Results()
	if res.Len() != 2 || contextResult(sig) != 0 {
		return false
	}
	_, ok := res.At(1).Type().Underlying().(*types.Signature)
	return ok
}

// returnFacts are the returnedContext facts of the functions a package
// calls: imported for other packages' functions, computed for its own.
type returnFacts struct {
	table *lint.FactTable[returnedContext, *returnedContext] // imported; this package's, to export
	memo  map[*types.Func]*returnedContext                   // this package's; nil: computed, and none
	// decls are this package's functions with one context result and a
	// body; busy those whose fact is being computed (a recursive call
	// of one is an unknown derivation).
	decls map[*types.Func]*ast.FuncDecl
	busy  map[*types.Func]bool
}

// findReturnedContexts imports the returnedContext facts of the functions
// of other packages this package calls, and computes and exports those of
// its own functions, each once, a callee's before its caller's (in source
// order otherwise; a recursive call is an unknown derivation). Origin
// follows both.
func (m *Model) findReturnedContexts(pass *analysis.Pass) {
	r := &returnFacts{
		table: lint.NewFactTable[returnedContext](pass),
		memo:  make(map[*types.Func]*returnedContext),
		decls: make(map[*types.Func]*ast.FuncDecl),
		busy:  make(map[*types.Func]bool),
	}
	m.returns = r
	r.table.ImportUses(func(fn *types.Func) bool { return contextResult(fn.Origin().Signature()) >= 0 })
	var order []*types.Func
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if ok && decl.Body != nil && contextResult(fn.Signature()) >= 0 {
			r.decls[fn] = decl
			order = append(order, fn)
		}
	}
	for _, fn := range order {
		lint.Enter(pass, r.decls[fn]) // a callee's summary, computed first, counts for its first caller
		if f := m.returnedBy(fn); f != nil {
			r.table.Set(fn, f)
		}
	}
	lint.Leave(pass)
	r.table.Export()
}

// returnedBy returns the returnedContext fact of fn, or nil. The facts of
// this package's functions are computed while the Model is built, one
// goroutine; after that, this only reads.
func (m *Model) returnedBy(fn *types.Func) *returnedContext {
	r := m.returns
	if r == nil {
		return nil
	}
	if fn.Pkg() != m.pkg {
		f, _ := r.table.Lookup(fn)
		return f
	}
	if f, ok := r.memo[fn]; ok {
		return f
	}
	decl, ok := r.decls[fn]
	if !ok || r.busy[fn] {
		return nil
	}
	r.busy[fn] = true
	f := m.returnSummary(decl, fn)
	delete(r.busy, fn)
	r.memo[fn] = f
	return f
}

// returnSummary computes the returnedContext fact of fn, declared by decl,
// or nil: the join of the origins of the context its return statements
// return, when it is rooted in one of fn's parameters or in a detaching
// call. A bare return of named results gives no fact.
func (m *Model) returnSummary(decl *ast.FuncDecl, fn *types.Func) *returnedContext {
	sig := fn.Signature()
	r := contextResult(sig)
	if r < 0 {
		return nil
	}
	q := newQuery(m)
	o, ok := bottom, true
	for ret := range lint.Returns(decl.Body) {
		res := ret.Results // a bare return has none
		if len(res) != sig.Results().Len() && len(res) != 1 {
			ok = false
			break
		}
		x := res[0] // return f(...), f returning a tuple
		if len(res) == sig.Results().Len() {
			x = res[r]
		}
		// return nil, err: no context to use, the caller looks at the
		// error.
		if !isNil(m.info, x) {
			o = join(o, q.expr(x))
		}
	}
	if !ok || isBottom(o) {
		return nil
	}
	f := &returnedContext{
		Root:     o.Root,
		Deadline: o.Deadline, Cancel: o.Cancel, MayDeadline: o.MayDeadline, MayCancel: o.MayCancel,
		Opaque: o.Opaque,
		// A cancel function returned with the context is the caller's to keep.
		Owned: o.Owned && !returnsCancel(sig),
	}
	switch o.Root {
	case Detached, Deliberate:
	case Request, Param:
		f.Root, f.Param = Param, -1
		for i := 0; i < sig.Params().Len(); i++ {
			if sig.Params().At(i) == o.Var {
				f.Param = i
			}
		}
		if f.Param < 0 || sig.Variadic() && f.Param == sig.Params().Len()-1 {
			return nil
		}
	default:
		return nil
	}
	return f
}

// returned is the origin of call, a call of fn whose fact f says how the
// context it returns comes about.
//
// A context fn makes detached (containerd's util.NamespacedContext(), a
// context.Background() with a namespace) is a Factory's: a helper whose
// job is to make a background context detaches on purpose, like a cancel
// function kept by an object, and work on it (a task's exit wait handed to
// a monitor) outlives the request by design; passing the request context,
// as ctxdetach would advise, breaks it. It still has no deadline, and
// observes no cancellation.
func (q *query) returned(call *ast.CallExpr, fn *types.Func, f *returnedContext) Origin {
	o := Origin{Root: f.Root, Factory: f.Root == Detached, At: call}
	if f.Root == Param {
		args := lint.Args(q.m.info, call)
		if f.Param >= len(args) {
			return Origin{}
		}
		o = q.expr(args[f.Param])
		if isBottom(o) || o.Root == Unknown {
			return o
		}
	}
	return o.plus(Origin{
		Deadline: f.Deadline, Cancel: f.Cancel, MayDeadline: f.MayDeadline, MayCancel: f.MayCancel, Opaque: f.Opaque,
		Owned: f.Owned || f.MayCancel && returnsCancel(fn.Signature()) && q.m.cancelKept(call),
	})
}

// isNil reports whether e is the untyped nil.
func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}
