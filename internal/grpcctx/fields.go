package grpcctx

import (
	"go/ast"
	"go/token"
	"go/types"
	"sync"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// The origin of a context held in a struct field (a component's or a
// client's lifetime, set once in its constructor and used by every call:
// sigstore/rekor#78's Trillian client built around context.Background(),
// tikv/pd#1267's client ctx made by WithCancel(Background)) is the join of
// every value the package stores in the field: a keyed or positional
// element of a composite literal, or an assignment. Only an unexported
// field of a struct of this package counts, so that every store is in
// view; one whose address is taken, or that is a range loop's key or
// value, is Unknown.
//
// A stored value rooted in a parameter of this package's unexported
// function, every use of which is a call in this package (newAPI(ctx, …)
// storing ctx), has the join of the arguments those calls pass
// (paramCallers): rekor's addTrillianAPI passes context.Background().
//
// A field read is trusted only when that join is rooted in a detaching
// call (Detached or Deliberate): a field set from a request context, a
// parameter whose callers are not all in view, or roots that disagree,
// is Unknown, so nothing new is said about it. Whatever the stores add
// (WithCancel with its cancel function kept beside it: Owned) carries
// over, so a component's lifetime context stays ctxdetach's class of
// deliberate detachment.
//
// Both are nodes of the origin equations (fieldValue, paramCallers),
// solved once each like a variable's definitions, so a field that is
// rewritten from itself (s.ctx = context.WithValue(s.ctx, k, v)) or a
// recursive function costs a few rounds, not a walk per path.

// A fieldIndex lists the values stored in this package's unexported
// context fields and the calls of its unexported functions. It is built
// on the first question, by one walk of the package, and read-only after.
type fieldIndex struct {
	once   sync.Once
	stores map[*types.Var][]ast.Expr // by field (its Origin)
	opaque map[*types.Var]bool       // fields stored by means the index cannot follow
	calls  map[*types.Func][]*ast.CallExpr
	// escapes holds this package's functions used other than as the
	// callee of a call: passed as values, stored, method values.
	escapes map[*types.Func]bool
	// ifaceMethods names the methods of this package's named interfaces:
	// an unexported method of that name may run through one.
	ifaceMethods map[string]bool
}

// trackedField returns the field e selects when it is a context-typed,
// unexported field of a struct of this package, or nil.
func (m *Model) trackedField(e *ast.SelectorExpr) *types.Var {
	s, ok := m.info.Selections[e]
	if !ok || s.Kind() != types.FieldVal {
		return nil
	}
	v, ok := s.Obj().(*types.Var)
	if !ok {
		return nil
	}
	v = v.Origin()
	if v.Pkg() != m.pkg || v.Exported() || !IsContext(v.Type()) {
		return nil
	}
	return v
}

func (m *Model) fields() *fieldIndex {
	ix := &m.cache.fields
	ix.once.Do(func() { ix.build(m) })
	return ix
}

func (ix *fieldIndex) build(m *Model) {
	defer lint.Aside()() // the package's index, not the asking function's work
	info := m.info
	ix.stores = make(map[*types.Var][]ast.Expr)
	ix.opaque = make(map[*types.Var]bool)
	ix.calls = make(map[*types.Func][]*ast.CallExpr)
	ix.escapes = make(map[*types.Func]bool)
	ix.ifaceMethods = make(map[string]bool)
	field := func(e ast.Expr) *types.Var {
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
			return m.trackedField(sel)
		}
		return nil
	}
	callees := make(map[*ast.Ident]bool)
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.CompositeLit)(nil), (*ast.RangeStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.CallExpr)(nil)}
	for cur := range m.inspect.Root().Preorder(filter...) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				f := field(lhs)
				switch {
				case f == nil:
				case n.Tok != token.ASSIGN:
					ix.opaque[f] = true // no compound assignment applies to a context
				case len(n.Lhs) == len(n.Rhs):
					ix.stores[f] = append(ix.stores[f], n.Rhs[i])
				case len(n.Rhs) == 1:
					// s.ctx, s.cancel = context.WithCancel(...): the call's
					// context result, as for a variable.
					ix.stores[f] = append(ix.stores[f], n.Rhs[0])
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if f := field(e); f != nil {
					ix.opaque[f] = true
				}
			}
		case *ast.UnaryExpr:
			if f := field(n.X); f != nil && n.Op == token.AND {
				ix.opaque[f] = true
			}
		case *ast.CompositeLit:
			t := types.Unalias(info.TypeOf(n))
			if p, ok := t.(*types.Pointer); ok { // an elided &T in []*T{{...}}
				t = p.Elem()
			}
			st, ok := t.Underlying().(*types.Struct)
			if !ok {
				continue
			}
			for i, elt := range n.Elts {
				var f *types.Var
				val := elt
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						f, _ = info.Uses[id].(*types.Var)
					}
					val = kv.Value
				} else if i < st.NumFields() {
					f = st.Field(i)
				}
				if f == nil {
					continue
				}
				f = f.Origin()
				if f.Pkg() == m.pkg && !f.Exported() && IsContext(f.Type()) {
					ix.stores[f] = append(ix.stores[f], val)
				}
			}
		case *ast.CallExpr:
			var id *ast.Ident
			switch fun := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				id = fun
			case *ast.SelectorExpr:
				id = fun.Sel
			}
			if fn, ok := info.Uses[id].(*types.Func); ok && fn.Pkg() == m.pkg {
				callees[id] = true
				ix.calls[fn.Origin()] = append(ix.calls[fn.Origin()], n)
			}
		}
	}
	for id, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Pkg() == m.pkg && !callees[id] {
			ix.escapes[fn.Origin()] = true
		}
	}
	scope := m.pkg.Scope()
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok {
			if it, ok := tn.Type().Underlying().(*types.Interface); ok {
				for im := range it.Methods() {
					ix.ifaceMethods[im.Name()] = true
				}
			}
		}
	}
}

// fieldValue is the value of node fieldValue for field f: the join of the
// values stored in it, Unknown unless rooted in a detaching call.
func (q *query) fieldValue(f *types.Var) Origin {
	ix := q.m.fields()
	if ix.opaque[f] {
		return Origin{}
	}
	o := bottom
	for _, e := range ix.stores[f] {
		if isNil(q.m.info, e) {
			continue // a nil context is no context to use
		}
		o = join(o, q.resolveParam(q.expr(e)))
	}
	if isBottom(o) || o.Root == Detached || o.Root == Deliberate {
		return o
	}
	return Origin{}
}

// resolveParam returns o, when it is rooted in a parameter of this
// package's unexported function that only this package calls, as rooted
// in what those calls pass (see paramCallers); o's additions stay.
func (q *query) resolveParam(o Origin) Origin {
	if o.Root != Param || o.Var == nil {
		return o
	}
	c := q.get(nodeKey{kind: paramCallers, v: o.Var})
	if isBottom(c) || c.Root == Unknown {
		return c
	}
	return c.plus(o)
}

// callersInView returns the calls of p's function when every use of it is
// one of them: an unexported function declared in this package, used only
// as the callee of calls (no function value, no method value, no method an
// interface of this package could call), at least once, and p not its
// variadic parameter; ok is false otherwise.
func (m *Model) callersInView(p paramInfo) (_ []*ast.CallExpr, ok bool) {
	decl, ok := p.fn.(*ast.FuncDecl)
	if !ok {
		return nil, false
	}
	fn, ok := m.info.Defs[decl.Name].(*types.Func)
	if !ok || fn.Exported() {
		return nil, false
	}
	sig := fn.Signature()
	ix := m.fields()
	if ix.escapes[fn] || len(ix.calls[fn]) == 0 || sig.Variadic() && p.index == sig.Params().Len()-1 ||
		sig.Recv() != nil && ix.ifaceMethods[fn.Name()] {
		return nil, false
	}
	return ix.calls[fn], true
}

// paramCallers is the value of node paramCallers for parameter v: the
// join of the arguments passed for it by every call of its function, when
// that function is declared in this package, unexported, generic-free in
// its uses (every use is a call: no function value, no method value, no
// method an interface of this package could call) and not variadic in v.
// Anything else is Unknown.
func (q *query) paramCallers(v *types.Var) Origin {
	m := q.m
	p, ok := m.params[v]
	if !ok {
		return Origin{}
	}
	calls, ok := m.callersInView(p)
	if !ok {
		return Origin{}
	}
	o := bottom
	for _, call := range calls {
		args := lint.Args(m.info, call)
		if p.index >= len(args) {
			return Origin{}
		}
		o = join(o, q.resolveParam(q.expr(args[p.index])))
	}
	return o
}
