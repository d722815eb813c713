package grpcctx

import (
	"go/ast"
	"go/token"
	"go/types"
	"sync"
)

// A MethodValue is one method value a function value may hold: Recv.Method,
// written in Fn (the FuncDecl or FuncLit around it, for ClientValue).
type MethodValue struct {
	Method *types.Func
	Recv   ast.Expr
	Fn     ast.Node
}

// maxFuncValueDepth bounds how many variables, fields and containers
// MethodValueCall follows from a call to the method values: a dispatch
// table is a step or two from its call, and the walk must stay linear.
const maxFuncValueDepth = 4

// MethodValueCall returns call as a gRPC call when the function value it
// calls can only hold method values of gRPC client methods (a context
// first, ...grpc.CallOption last), with those method values; g.Method is
// the first of them. The origin of the function value must be visible in
// the package, each way it is stored:
//
//   - a local variable every assignment of which is such a value
//     (call := c.Lookup; call(ctx, req)), whose address is never taken;
//   - an unexported struct field of this package every store of which (a
//     composite literal's element or an assignment, anywhere in the
//     package) is such a value, whose address is never taken;
//   - an element of a local map, slice or array (m[k](ctx, req), or
//     f, ok := m[k] then f(ctx, req)) every definition of which is a
//     composite literal of such values, every element store m[k] = v of
//     which stores one, and which goes nowhere else: not passed to a
//     function (len, cap, delete and append aside), aliased, stored,
//     returned, sent or address-taken, where it could gain other values.
//
// Anything else keeps the call unknown: a parameter or a function result
// (a callback, a wrapper that may add its own timeout), a package
// variable, a range value, a function literal. A method value of a client
// built by one of this package's constructors (ConcreteMethod: the method
// that runs has a body, maybe in process) is not taken for an RPC either:
// through a function value its body is not followed.
func (m *Model) MethodValueCall(call *ast.CallExpr) (g GRPCCall, values []MethodValue, ok bool) {
	tv, has := m.info.Types[call.Fun]
	if !has || tv.Type == nil {
		return GRPCCall{}, nil, false
	}
	sig, isSig := types.Unalias(tv.Type).Underlying().(*types.Signature)
	if !isSig || !IsClientCallSignature(sig) || len(call.Args) == 0 || m.inspect == nil {
		return GRPCCall{}, nil, false
	}
	switch ast.Unparen(call.Fun).(type) {
	case *ast.Ident, *ast.IndexExpr, *ast.SelectorExpr:
	default:
		return GRPCCall{}, nil, false
	}
	ix := m.funcValueIndex()
	values, ok = ix.values(m, call.Fun, nil, 0, &fvWalk{visiting: make(map[*types.Var]bool)})
	if !ok || len(values) == 0 {
		return GRPCCall{}, nil, false
	}
	for _, v := range values {
		if !IsClientCallSignature(v.Method.Signature()) {
			return GRPCCall{}, nil, false
		}
		if c := m.ClientValue(v.Recv, v.Fn); c.Ctor != nil && m.concrete[c.Ctor] != nil {
			return GRPCCall{}, nil, false // in process, or a wrapper: its body decides
		}
	}
	g = GRPCCall{Call: call, Method: values[0].Method, Ctx: call.Args[0]}
	if res := sig.Results(); res.Len() > 0 {
		g.Stream = isClientStream(res.At(0).Type())
	}
	return g, values, true
}

// A funcValueIndex lists what the package stores in its local maps, slices
// and arrays of client-method function values, and which of those and of
// its function-typed variables and fields go where the package cannot
// follow them. It is built on the first question, by one walk of the
// package; answers are memoized by variable.
type funcValueIndex struct {
	once    sync.Once
	defs    map[*types.Var][]assigned // container definitions (m := map[...]F{...})
	stores  map[*types.Var][]assigned // element stores (m[k] = v)
	escaped map[*types.Var]bool       // containers gone elsewhere; variables and fields whose address is taken
	memo    lockedMap[*types.Var, funcValues]
}

type funcValues struct {
	values []MethodValue
	ok     bool
}

func (m *Model) funcValueIndex() *funcValueIndex {
	ix := &m.funcs
	ix.once.Do(func() { ix.build(m) })
	return ix
}

// isFuncContainer reports whether t is a map, slice or array of client
// method function values.
func isFuncContainer(t types.Type) bool {
	var elem types.Type
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Map:
		elem = u.Elem()
	case *types.Slice:
		elem = u.Elem()
	case *types.Array:
		elem = u.Elem()
	default:
		return false
	}
	sig, ok := types.Unalias(elem).Underlying().(*types.Signature)
	return ok && IsClientCallSignature(sig)
}

func (ix *funcValueIndex) build(m *Model) {
	ix.defs = make(map[*types.Var][]assigned)
	ix.stores = make(map[*types.Var][]assigned)
	ix.escaped = make(map[*types.Var]bool)
	info := m.info
	container := func(e ast.Expr) *types.Var {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || !isFuncContainer(v.Type()) {
			return nil
		}
		return v
	}
	escape := func(e ast.Expr) {
		if v := container(e); v != nil {
			ix.escaped[v] = true
		}
	}
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.UnaryExpr)(nil), (*ast.CallExpr)(nil),
		(*ast.CompositeLit)(nil), (*ast.ReturnStmt)(nil), (*ast.SendStmt)(nil)}
	for cur := range m.inspect.Root().Preorder(filter...) {
		fn := EnclosingFuncOf(cur)
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
					rhs = n.Rhs[i]
				}
				if v := container(lhs); v != nil {
					ix.defs[v] = append(ix.defs[v], assigned{rhs: rhs, fn: fn})
				} else if x, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok {
					if v := container(x.X); v != nil {
						ix.stores[v] = append(ix.stores[v], assigned{rhs: rhs, fn: fn})
					}
				}
			}
			for _, rhs := range n.Rhs {
				escape(rhs) // n := m: an alias may gain other values
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				v, _ := info.Defs[name].(*types.Var)
				if v == nil || !isFuncContainer(v.Type()) || len(n.Values) == 0 {
					continue // the zero value holds nothing to call
				}
				var rhs ast.Expr
				if len(n.Values) == len(n.Names) {
					rhs = n.Values[i]
				}
				ix.defs[v] = append(ix.defs[v], assigned{rhs: rhs, fn: fn})
			}
			for _, val := range n.Values {
				escape(val)
			}
		case *ast.UnaryExpr:
			if n.Op != token.AND {
				continue
			}
			switch x := ast.Unparen(n.X).(type) {
			case *ast.Ident:
				if v, ok := info.ObjectOf(x).(*types.Var); ok {
					ix.escaped[v] = true // a variable written through its address
				}
			case *ast.SelectorExpr:
				if s, ok := info.Selections[x]; ok && s.Kind() == types.FieldVal {
					if v, ok := s.Obj().(*types.Var); ok {
						ix.escaped[v] = true
					}
				}
			case *ast.IndexExpr:
				escape(x.X) // &a[i]
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if b, ok := info.Uses[id].(*types.Builtin); ok {
					switch b.Name() {
					case "len", "cap", "delete", "append":
						continue
					}
				}
			}
			for _, a := range n.Args {
				escape(a)
			}
		case *ast.CompositeLit:
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					elt = kv.Value
				}
				escape(elt)
			}
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				escape(r)
			}
		case *ast.SendStmt:
			escape(n.Value)
		}
	}
}

// A fvWalk is one MethodValueCall's walk: it follows at most
// maxFuncValueDepth steps from the call and maxFuncValueSteps in all, and
// counts the places where it stopped short (a cycle, the bounds): a value
// computed with no stop on the way holds wherever the walk started, and is
// memoized; any other answer is unknown and not kept.
type fvWalk struct {
	steps    int
	cuts     int
	visiting map[*types.Var]bool
}

// maxFuncValueSteps bounds the values one MethodValueCall looks at.
const maxFuncValueSteps = 256

// values returns the method values e, a function value in the package
// written in fn, may hold, and whether that is all it may hold.
func (ix *funcValueIndex) values(m *Model, e ast.Expr, fn ast.Node, depth int, w *fvWalk) ([]MethodValue, bool) {
	w.steps++
	if depth > maxFuncValueDepth || w.steps > maxFuncValueSteps {
		w.cuts++
		return nil, false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		s, ok := m.info.Selections[e]
		if !ok {
			return nil, false
		}
		switch s.Kind() {
		case types.MethodVal:
			method, ok := s.Obj().(*types.Func)
			if !ok || depth == 0 {
				return nil, false // at the call itself: a plain method call
			}
			return []MethodValue{{Method: method, Recv: e.X, Fn: fn}}, true
		case types.FieldVal:
			v, _ := s.Obj().(*types.Var)
			if v == nil || v.Exported() || v.Pkg() != m.pkg {
				return nil, false // other packages may set it to anything
			}
			return ix.variable(m, v, depth, w)
		}
	case *ast.Ident:
		v, ok := m.info.Uses[e].(*types.Var)
		if !ok || v.Pkg() != m.pkg || v.Parent() == m.pkg.Scope() || v.IsField() {
			return nil, false // a package variable: set anywhere, at any time
		}
		return ix.variable(m, v, depth, w)
	case *ast.IndexExpr:
		if lit, ok := ast.Unparen(e.X).(*ast.CompositeLit); ok {
			return ix.elements(m, lit, fn, depth, w)
		}
		id, ok := ast.Unparen(e.X).(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := m.info.Uses[id].(*types.Var)
		if !ok || v.Pkg() != m.pkg || v.Parent() == m.pkg.Scope() || v.IsField() || !isFuncContainer(v.Type()) {
			return nil, false
		}
		return ix.variable(m, v, depth, w)
	}
	return nil, false
}

// variable returns what v may hold: a function-typed local variable or
// unexported field, the join of the values assigned to it; a container,
// the join of its elements.
func (ix *funcValueIndex) variable(m *Model, v *types.Var, depth int, w *fvWalk) ([]MethodValue, bool) {
	if ix.escaped[v] {
		return nil, false
	}
	if c, ok := ix.memo.get(v); ok {
		return c.values, c.ok
	}
	if w.visiting[v] {
		w.cuts++
		return nil, false
	}
	w.visiting[v] = true
	defer delete(w.visiting, v)
	cuts := w.cuts
	var out []MethodValue
	var ok bool
	if isFuncContainer(v.Type()) {
		out, ok = ix.container(m, v, depth, w)
	} else {
		out, ok = ix.join(m, m.clientIndex().assigns[v], depth, w)
	}
	if w.cuts == cuts {
		ix.memo.set(v, funcValues{out, ok})
	}
	return out, ok
}

// container joins what v, a local map, slice or array of function values,
// may hold: the elements of its definitions, each a composite literal,
// and its element stores.
func (ix *funcValueIndex) container(m *Model, v *types.Var, depth int, w *fvWalk) ([]MethodValue, bool) {
	if len(ix.defs[v]) == 0 {
		return nil, false
	}
	var out []MethodValue
	for _, d := range ix.defs[v] {
		lit, ok := ast.Unparen(d.rhs).(*ast.CompositeLit)
		if !ok {
			return nil, false // make(...), a function's result, append(...)
		}
		vals, ok := ix.elements(m, lit, d.fn, depth, w)
		if !ok {
			return nil, false
		}
		out = append(out, vals...)
	}
	if len(ix.stores[v]) > 0 {
		more, ok := ix.join(m, ix.stores[v], depth, w)
		if !ok {
			return nil, false
		}
		out = append(out, more...)
	}
	return out, true
}

// elements returns the method values of lit's elements; fn is the
// function around lit.
func (ix *funcValueIndex) elements(m *Model, lit *ast.CompositeLit, fn ast.Node, depth int, w *fvWalk) ([]MethodValue, bool) {
	var out []MethodValue
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		vals, ok := ix.values(m, elt, fn, depth+1, w)
		if !ok {
			return nil, false
		}
		out = append(out, vals...)
	}
	return out, len(out) > 0
}

// join returns the method values of every assignment in assigns, or false
// when one of them is not known to store only method values.
func (ix *funcValueIndex) join(m *Model, assigns []assigned, depth int, w *fvWalk) ([]MethodValue, bool) {
	var out []MethodValue
	for _, a := range assigns {
		if a.rhs == nil || a.index != 0 {
			return nil, false
		}
		vals, ok := ix.values(m, a.rhs, a.fn, depth+1, w)
		if !ok {
			return nil, false
		}
		out = append(out, vals...)
	}
	return out, len(out) > 0
}

// MethodValueClient returns what is known about the clients of values,
// the method values a function value may hold (MethodValueCall): the join
// of their receivers' ClientValue, a network client only when each is.
func (m *Model) MethodValueClient(values []MethodValue) Client {
	out := Client{Kind: clientBottom}
	for _, v := range values {
		out = joinClient(out, m.ClientValue(v.Recv, v.Fn))
	}
	if out.Kind == clientBottom {
		return Client{}
	}
	return out
}
