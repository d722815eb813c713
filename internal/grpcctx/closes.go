package grpcctx

import (
	"go/ast"
	"go/types"
	"slices"
	"sync"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Closing a *grpc.ClientConn ends every stream on it, client side: a
// stream made on a connection that something closes while the stream is in
// use can be ended without the server, as one whose context has a cancel
// function can. Which connections are closed so is a question about the
// variables that hold them: a closeIndex lists, for the package's
// variables, parameters and struct fields, the places that close them: a
// Close in a goroutine, a callback or taken as a method value
// (context.AfterFunc(ctx, c.Cleanup), go func() { <-stop; conn.Close() }()),
// which runs when something else calls it, and a Close in another
// function (the owner's Close method: s.conn.Close()). A Close statement
// in the function that uses the connection, deferred or not, runs only once
// that function is done with the stream, so it ends nothing that function
// waits on (jaeger's reflection test: defer conn.Close(), then Recv): it
// does not count, nor does one registered with a test's Cleanup, which
// runs once the test is done, wherever it was registered. What is stored in a closed variable is closed with it
// (s.conn = conn, &T{conn: conn}: the owner closes the parameter it was
// given). dialOf carries the answer to the connection's clients.
type closeIndex struct {
	once   sync.Once
	closed map[*types.Var][]closeSite
	// params holds the connection parameters of the package's function
	// declarations.
	params map[*types.Var]paramInfo
}

// A closeSite is one place that closes a variable's connection.
type closeSite struct {
	decl  *ast.FuncDecl // the declaration it is in; nil at package level
	later bool          // in a goroutine, a callback or a method value: it runs when something calls it
	atEnd bool          // registered with a test's Cleanup: it runs once the test is done, as a defer does
}

func (m *Model) closes() *closeIndex {
	ix := &m.closesIx
	ix.once.Do(func() { ix.build(m) })
	return ix
}

func (ix *closeIndex) build(m *Model) {
	defer lint.Aside()() // the package's index, not the asking function's work
	ix.closed = make(map[*types.Var][]closeSite)
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
		v := heldIn(m.info, sel.X)
		if v == nil {
			continue
		}
		site := closeSite{}
		if call, ok := cur.Parent().Node().(*ast.CallExpr); !ok || call.Fun != ast.Expr(sel) {
			// A method value: registered to run later, or at a test's end.
			site.later, site.atEnd = true, m.testCleanupArg(cur)
		}
		for e := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
			switch n := e.Node().(type) {
			case *ast.FuncLit:
				switch {
				case m.testCleanupArg(e):
					site.atEnd = true
				case !deferredCall(e):
					site.later = true // a goroutine, an AfterFunc, a callback
				}
				continue
			case *ast.FuncDecl:
				site.decl = n
			}
			break
		}
		if len(ix.closed[v]) == 0 {
			work = append(work, v)
		}
		ix.closed[v] = append(ix.closed[v], site)
	}
	// What is stored in a closed variable is closed with it, where the store
	// is not in the very function that closes it last: follow the stores
	// backwards, each variable once.
	assigns := m.clientIndex().assigns
	for len(work) > 0 {
		w := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range assigns[w] {
			if a.rhs == nil || a.index != 0 || !ix.closedAt(m, w, a.fn) {
				continue
			}
			if v := heldIn(m.info, ast.Unparen(a.rhs)); v != nil && len(ix.closed[v]) == 0 {
				ix.closed[v] = []closeSite{{later: true}}
				work = append(work, v)
			}
		}
	}
}

// closedAt reports whether v's connection is closed by a place that can run
// while fn, the function that reads v, uses it: a later one, or one in
// another declaration.
func (ix *closeIndex) closedAt(m *Model, v *types.Var, fn ast.Node) bool {
	sites := ix.closed[v]
	if len(sites) == 0 {
		return false
	}
	decl := m.declAround(fn)
	for _, s := range sites {
		if !s.atEnd && (s.later || s.decl != decl) {
			return true
		}
	}
	return false
}

// testCleanupArg reports whether the expression at cur is an argument of
// a test's Cleanup (t.Cleanup(conn.Close), b.Cleanup(func() { ... })):
// it runs after the test function returns, as a defer runs after its
// function, so it ends no stream the test waits on (containerd's
// GetContainerEvents test blocks in Recv until go test -timeout).
func (m *Model) testCleanupArg(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun == cur.Node() {
		return false
	}
	fn := lint.Callee(m.info, call)
	return fn != nil && fn.Name() == "Cleanup" && fn.Pkg() != nil && fn.Pkg().Path() == "testing"
}

// deferredCall reports whether the function literal at cur is called by a
// defer statement right where it stands (defer func() { conn.Close() }()).
func deferredCall(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun != cur.Node() {
		return false
	}
	_, ok = cur.Parent().Parent().Node().(*ast.DeferStmt)
	return ok
}

// declAround returns the function declaration fn is or lies in, or nil.
func (m *Model) declAround(fn ast.Node) *ast.FuncDecl {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		return fn
	case *ast.FuncLit:
		cur, ok := m.Cursor(fn)
		if !ok {
			return nil
		}
		for e := range cur.Enclosing((*ast.FuncDecl)(nil)) {
			return e.Node().(*ast.FuncDecl)
		}
	}
	return nil
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
