package grpcctx

import (
	"go/ast"
	"go/types"
	"slices"
	"sync"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Closing a *grpc.ClientConn ends every stream on it, client side: a
// stream made on a connection the code closes can be ended without the
// server, as one whose context has a cancel function can (ctxdeadline's
// rule for streams asks no more of either: a deferred cancel and a
// deferred Close are alike). Which connections are closed is a question
// about the variables that hold them: a closeIndex lists the package's
// variables, parameters and struct fields on which Close is called (conn.Close(),
// defer conn.Close(), t.Cleanup(conn.Close), s.conn.Close() in the
// owner's Close method), and those whose value is stored in one
// (s.conn = conn, &T{conn: conn}: the owner closes the parameter it was
// given). dialOf carries the answer to the connection's clients.
type closeIndex struct {
	once   sync.Once
	closed map[*types.Var]bool
	// params holds the connection parameters of the package's function
	// declarations.
	params map[*types.Var]paramInfo
}

func (m *Model) closes() *closeIndex {
	ix := &m.closesIx
	ix.once.Do(func() { ix.build(m) })
	return ix
}

func (ix *closeIndex) build(m *Model) {
	defer lint.Aside()() // the package's index, not the asking function's work
	ix.closed = make(map[*types.Var]bool)
	ix.params = make(map[*types.Var]paramInfo)
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := m.info.Defs[decl.Name].(*types.Func)
		if !ok {
			continue
		}
		params := fn.Signature().Params()
		for i := range params.Len() {
			if v := params.At(i); isConn(v.Type()) {
				ix.params[v] = paramInfo{fn: decl, index: i}
			}
		}
	}
	var work []*types.Var
	for cur := range m.inspect.Root().Preorder((*ast.SelectorExpr)(nil)) {
		sel := cur.Node().(*ast.SelectorExpr)
		if sel.Sel.Name != "Close" {
			continue
		}
		s, ok := m.info.Selections[sel]
		if !ok || s.Kind() != types.MethodVal || !lint.IsMethodOf(s.Obj().(*types.Func), grpcPath, "ClientConn", "Close") {
			continue
		}
		if v := heldIn(m.info, sel.X); v != nil && !ix.closed[v] {
			ix.closed[v] = true
			work = append(work, v)
		}
	}
	// What is stored in a closed variable is closed with it: follow the
	// stores backwards, each variable once.
	assigns := m.clientIndex().assigns
	for len(work) > 0 {
		w := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range assigns[w] {
			if a.rhs == nil || a.index != 0 {
				continue
			}
			if v := heldIn(m.info, ast.Unparen(a.rhs)); v != nil && !ix.closed[v] {
				ix.closed[v] = true
				work = append(work, v)
			}
		}
	}
}

// heldIn returns the variable or struct field e names, or nil.
func heldIn(info *types.Info, e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ := info.ObjectOf(e).(*types.Var)
		return v
	case *ast.SelectorExpr:
		if s, ok := info.Selections[e]; ok && s.Kind() == types.FieldVal {
			v, _ := s.Obj().(*types.Var)
			return v
		}
	}
	return nil
}

// closedParam reports whether every call of v's function, one whose calls
// are all in view (callersInView), passes for v a connection the code
// closes.
func (m *Model) closedParam(v *types.Var, depth int) bool {
	p, ok := m.closes().params[v]
	if !ok {
		return false
	}
	calls, ok := m.callersInView(p)
	if !ok {
		return false
	}
	for _, call := range calls {
		args := lint.Args(m.info, call)
		if p.index >= len(args) || !m.dialOf(args[p.index], m.enclosingFunc(call), depth+1).closed {
			return false
		}
	}
	return true
}

// closedLitParam reports whether v, a parameter of the function literal
// lit, is given only closed connections: lit is passed straight to a
// function of this package that uses the parameter it receives lit in only
// to call it, and every such call passes a closed connection for v (the
// istio test helper NewXdsTest(t, conn, func(conn) {...}) that calls its
// getClient(conn) with a connection its Cleanup closes).
func (m *Model) closedLitParam(lit *ast.FuncLit, v *types.Var, depth int) bool {
	sig, ok := m.info.TypeOf(lit).(*types.Signature)
	if !ok {
		return false
	}
	j := -1
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			j = i
		}
	}
	cur, ok := m.Cursor(lit)
	if j < 0 || !ok {
		return false
	}
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	callee := typeutil.StaticCallee(m.info, call)
	decl := m.declOf(callee)
	if decl == nil {
		return false
	}
	k := slices.Index(lint.Args(m.info, call), ast.Expr(lit))
	params := callee.Signature().Params()
	if k < 0 || k >= params.Len() || callee.Signature().Variadic() && k == params.Len()-1 {
		return false
	}
	p := params.At(k)
	calls, ok := 0, true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if id, isID := ast.Unparen(n.Fun).(*ast.Ident); isID && m.info.Uses[id] == p {
				args := lint.Args(m.info, n)
				if j >= len(args) || !m.dialOf(args[j], m.enclosingFunc(n), depth+1).closed {
					ok = false
				}
				calls++
				for _, a := range n.Args {
					ast.Inspect(a, func(n ast.Node) bool {
						if id, isID := n.(*ast.Ident); isID && m.info.Uses[id] == p {
							ok = false // passed on as well
						}
						return ok
					})
				}
				return false
			}
		case *ast.Ident:
			if m.info.Uses[n] == p {
				ok = false // stored or passed on: called elsewhere too
			}
		}
		return ok
	})
	return ok && calls > 0
}
