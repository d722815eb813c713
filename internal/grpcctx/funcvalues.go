package grpcctx

import (
	"go/ast"
	"go/token"
	"go/types"
	"sync"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A MethodValue is one method value a function value may hold: Recv.Method,
// written in Fn (the FuncDecl or FuncLit around it, for ClientValue).
type MethodValue struct {
	Method *types.Func
	Recv   ast.Expr
	Fn     ast.Node
}

// A FuncValue is what a function value may hold, when every value is a
// method value of a gRPC client method (see MethodValueCall): the method
// values, and what is known of their clients (the join of their
// receivers' ClientValue, a network client only when each is). It is
// shared by every call through the same variable: read-only.
type FuncValue struct {
	Values []MethodValue
	Client Client
}

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
// variable, a range value, a function literal, a variable whose values
// reach back to itself. A method value of a client built by one of this
// package's constructors (ConcreteMethod: the method that runs has a body,
// maybe in process) is not taken for an RPC either: through a function
// value its body is not followed.
//
// What a variable may hold is computed once, for every call through it:
// the cost is linear in the package's assignments and calls.
func (m *Model) MethodValueCall(call *ast.CallExpr) (g GRPCCall, fv *FuncValue, ok bool) {
	tv, has := m.info.Types[call.Fun]
	if !has || tv.Type == nil || m.inspect == nil {
		return GRPCCall{}, nil, false
	}
	sig, isSig := types.Unalias(tv.Type).Underlying().(*types.Signature)
	if !isSig || !IsClientCallSignature(sig) || len(call.Args) == 0 {
		return GRPCCall{}, nil, false
	}
	ix := m.funcValueIndex()
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident, *ast.SelectorExpr:
		fv = ix.held(m, fun, nil, make(map[*types.Var]bool))
	case *ast.IndexExpr:
		if lit, isLit := ast.Unparen(fun.X).(*ast.CompositeLit); isLit {
			fv = ix.summary(m, ix.elements(m, lit, m.enclosingFunc(call), make(map[*types.Var]bool)))
		} else {
			fv = ix.held(m, fun.X, nil, make(map[*types.Var]bool))
		}
	}
	if fv == nil {
		return GRPCCall{}, nil, false
	}
	g = GRPCCall{Call: call, Method: fv.Values[0].Method, Ctx: call.Args[0]}
	if res := sig.Results(); res.Len() > 0 {
		g.Stream = isClientStream(res.At(0).Type())
	}
	return g, fv, true
}

// A funcValueIndex lists what the package stores in its local maps, slices
// and arrays of client-method function values, and which of those and of
// its function-typed variables and fields go where the package cannot
// follow them. It is built on the first question, by one walk of the
// package; answers are memoized by variable.
type funcValueIndex struct {
	once    sync.Once
	defs    map[*types.Var][]assigned         // container definitions (m := map[...]F{...})
	stores  map[*types.Var][]assigned         // element stores (m[k] = v)
	escaped map[*types.Var]bool               // containers gone elsewhere; variables and fields whose address is taken
	memo    lockedMap[*types.Var, *FuncValue] // nil: unknown
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
	defer lint.Aside()() // the package's index, not the asking function's work
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
		fn := lint.EnclosingFuncOf(cur)
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

// held returns what e, a variable or field of function type or a
// container of such values (an identifier or a selector), may hold; nil
// when unknown. visiting holds the variables being evaluated: a variable
// met again reaches back to itself, and every variable on the way is
// unknown, whichever was asked first, so that answers do not depend on
// the order of the questions and can be memoized.
func (ix *funcValueIndex) held(m *Model, e ast.Expr, fn ast.Node, visiting map[*types.Var]bool) *FuncValue {
	var v *types.Var
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		s, ok := m.info.Selections[e]
		if !ok || s.Kind() != types.FieldVal {
			return nil
		}
		v, _ = s.Obj().(*types.Var)
		if v == nil || v.Exported() || v.Pkg() != m.pkg {
			return nil // other packages may set it to anything
		}
	case *ast.Ident:
		v, _ = m.info.Uses[e].(*types.Var)
		if v == nil || v.Pkg() != m.pkg || v.Parent() == m.pkg.Scope() || v.IsField() {
			return nil // a package variable: set anywhere, at any time
		}
	default:
		return nil
	}
	if ix.escaped[v] {
		return nil
	}
	if c, ok := ix.memo.get(v); ok {
		return c
	}
	if visiting[v] {
		return nil
	}
	visiting[v] = true
	defer delete(visiting, v)
	var out *FuncValue
	if assigns := m.clientIndex().assigns[v]; isFuncContainer(v.Type()) {
		out = ix.summary(m, ix.container(m, v, visiting))
	} else if len(assigns) == 1 && assigns[0].rhs != nil && assigns[0].index == 0 && !isMethodValue(m.info, assigns[0].rhs) {
		// f := m[k], g := f, s.call = f: the same values as the source's,
		// shared, so that many copies of one table cost one.
		out = ix.source(m, assigns[0].rhs, visiting)
	} else {
		out = ix.summary(m, ix.join(m, assigns, visiting))
	}
	ix.memo.set(v, out)
	return out
}

// source returns what e, a variable, field or container element that a
// function value is copied from, may hold; nil when unknown.
func (ix *funcValueIndex) source(m *Model, e ast.Expr, visiting map[*types.Var]bool) *FuncValue {
	if x, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		e = x.X
		if _, ok := ast.Unparen(e).(*ast.CompositeLit); ok {
			return nil // an element of a literal of its own: rare, not followed
		}
	}
	return ix.held(m, e, nil, visiting)
}

// isMethodValue reports whether e is a method value x.M.
func isMethodValue(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s, ok := info.Selections[sel]
	return ok && s.Kind() == types.MethodVal
}

// summary returns the FuncValue of vals, or nil when vals is empty or one
// of them is not a client method's value on a client whose method that
// runs is unknown.
func (ix *funcValueIndex) summary(m *Model, vals []MethodValue) *FuncValue {
	if len(vals) == 0 {
		return nil
	}
	out := &FuncValue{Values: vals, Client: Client{Kind: clientBottom}}
	for _, v := range vals {
		if !IsClientCallSignature(v.Method.Signature()) {
			return nil
		}
		c := m.ClientValue(v.Recv, v.Fn)
		if c.Made != nil {
			return nil // in process, or a wrapper: its body decides
		}
		out.Client = joinClient(out.Client, c)
	}
	return out
}

// value returns the method values e, an expression stored in a function
// value in fn, may be; nil when unknown.
func (ix *funcValueIndex) value(m *Model, e ast.Expr, fn ast.Node, visiting map[*types.Var]bool) []MethodValue {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if s, ok := m.info.Selections[e]; ok && s.Kind() == types.MethodVal {
			method, ok := s.Obj().(*types.Func)
			if !ok {
				return nil
			}
			return []MethodValue{{Method: method, Recv: e.X, Fn: fn}}
		}
	case *ast.IndexExpr:
		if lit, ok := ast.Unparen(e.X).(*ast.CompositeLit); ok {
			return ix.elements(m, lit, fn, visiting)
		}
		if c := ix.held(m, e.X, fn, visiting); c != nil {
			return c.Values
		}
		return nil
	}
	if c := ix.held(m, e, fn, visiting); c != nil {
		return c.Values
	}
	return nil
}

// container joins what v, a local map, slice or array of function values,
// may hold: the elements of its definitions, each a composite literal,
// and its element stores; nil when unknown.
func (ix *funcValueIndex) container(m *Model, v *types.Var, visiting map[*types.Var]bool) []MethodValue {
	if len(ix.defs[v]) == 0 {
		return nil
	}
	var out []MethodValue
	for _, d := range ix.defs[v] {
		lit, ok := ast.Unparen(d.rhs).(*ast.CompositeLit)
		if !ok {
			return nil // make(...), a function's result, append(...)
		}
		vals := ix.elements(m, lit, d.fn, visiting)
		if vals == nil {
			return nil
		}
		out = append(out, vals...)
	}
	if len(ix.stores[v]) > 0 {
		more := ix.join(m, ix.stores[v], visiting)
		if more == nil {
			return nil
		}
		out = append(out, more...)
	}
	return out
}

// elements returns the method values of lit's elements, nil when one is
// unknown; fn is the function around lit.
func (ix *funcValueIndex) elements(m *Model, lit *ast.CompositeLit, fn ast.Node, visiting map[*types.Var]bool) []MethodValue {
	var out []MethodValue
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			elt = kv.Value
		}
		vals := ix.value(m, elt, fn, visiting)
		if vals == nil {
			return nil
		}
		out = append(out, vals...)
	}
	return out
}

// join returns the method values of every assignment in assigns, or nil
// when one of them is not known to store only method values.
func (ix *funcValueIndex) join(m *Model, assigns []assigned, visiting map[*types.Var]bool) []MethodValue {
	var out []MethodValue
	for _, a := range assigns {
		if a.rhs == nil || a.index != 0 {
			return nil
		}
		vals := ix.value(m, a.rhs, a.fn, visiting)
		if vals == nil {
			return nil
		}
		out = append(out, vals...)
	}
	return out
}
