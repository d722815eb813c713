package grpcctx

import (
	"go/ast"
	"go/token"
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
// variables, parameters and struct fields, the places that close them, and
// what kind of place each is:
//   - one that runs beside the stream's user: in a goroutine
//     (go func() { <-stop; conn.Close() }()) or given to context.AfterFunc
//     or time.AfterFunc, as a literal or a method value;
//   - the owner's: a Close of a struct field in another declaration (the
//     ADSC watcher's Close method, a harness's Cleanup), which whoever owns
//     the value calls when it is done with it;
//   - neither: a Close statement in the function that uses the connection,
//     deferred or not, or in a literal it calls, defers or returns (a close
//     callback the caller defers), runs once that function is done with the
//     stream (jaeger's reflection test: defer conn.Close(), then Recv;
//     terraform's grpcClientForTesting), and so does one registered with a
//     test's Cleanup, wherever it is registered (containerd's
//     GetContainerEvents test): they do not count.
//
// What is stored in a closed field is closed with it (s.conn = conn,
// &T{conn: conn}: the owner closes the parameter it was given). dialOf
// carries the answer to the connection's clients.
type closeIndex struct {
	once   sync.Once
	closed map[*types.Var][]closeSite
	// params holds the connection parameters of the package's function
	// declarations.
	params map[*types.Var]paramInfo
	// waits caches waitsOnStream's answers.
	waits map[streamWaitKey]bool
}

// A closeSite is one place that closes a variable's connection.
type closeSite struct {
	decl  *ast.FuncDecl // the declaration it is in; nil at package level
	later bool          // in a goroutine, or given to AfterFunc: it runs beside the stream's user
	atEnd bool          // registered with a test's Cleanup: it runs once the test is done
	// store, for a site that a store into a closed variable makes (s.conn
	// = conn), is the store: in its own function the connection is closed
	// from there on, not where it is used before (a stream that waits for
	// the server's headers before the connection is handed to the owner
	// whose Close would end it: apiserver-network-proxy's agent Connect).
	store ast.Node
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
	ix.waits = make(map[streamWaitKey]bool)
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
		if ie, ok := ast.Unparen(sel.X).(*ast.IndexExpr); ok && v == nil {
			// p.conns[i].Close(): the field's elements are closed
			// (polaris' RemotePeer.doClose); the field stands for them.
			if f := heldIn(m.info, ie.X); f != nil && f.IsField() {
				v = f
			}
		}
		if v == nil {
			continue
		}
		site := closeSite{}
		if call, ok := cur.Parent().Node().(*ast.CallExpr); !ok || call.Fun != ast.Expr(sel) {
			// A method value: given to AfterFunc, or to a test's Cleanup.
			site.later, site.atEnd = m.timerArg(cur), m.testCleanupArg(cur)
		}
	walk:
		for e := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
			switch n := e.Node().(type) {
			case *ast.FuncLit:
				switch {
				case site.later || site.atEnd:
				case goLiteral(e) || m.timerArg(e):
					site.later = true
				case m.testCleanupArg(e):
					site.atEnd = true
				}
				// Any other literal runs as part of its function: called,
				// deferred, returned to a caller that defers it.
			case *ast.FuncDecl:
				site.decl = n
				break walk
			}
		}
		if len(ix.closed[v]) == 0 {
			work = append(work, v)
		}
		ix.closed[v] = append(ix.closed[v], site)
	}
	// What is stored in a closed variable is closed with it, where the store
	// is not in the very function that closes it last (closedAt), whatever
	// else closes the stored value (its own Close on an error path before
	// the store): first the stores into a field of connections whose
	// elements are closed (p.conns[i] = conn; p.conns stands for its
	// elements), then, backwards, the stores the client index lists. A
	// variable is worked on when it is first closed and once more when a
	// store makes it closed beside its user (closedLater).
	for cur := range m.inspect.Root().Preorder((*ast.AssignStmt)(nil)) {
		as := cur.Node().(*ast.AssignStmt)
		if len(as.Lhs) != len(as.Rhs) {
			continue
		}
		for i, lhs := range as.Lhs {
			ie, ok := ast.Unparen(lhs).(*ast.IndexExpr)
			if !ok {
				continue
			}
			f := heldIn(m.info, ie.X)
			if f == nil || !f.IsField() || !ix.closedAt(m, f, lint.EnclosingFuncOf(cur), as.Pos()) {
				continue
			}
			if v := heldIn(m.info, as.Rhs[i]); v != nil && isConn(v.Type()) && !ix.closedLater(v) {
				ix.closed[v] = append(ix.closed[v], closeSite{later: true, decl: m.declAround(lint.EnclosingFuncOf(cur)), store: as})
				work = append(work, v)
			}
		}
	}
	assigns := m.clientIndex().assigns
	for len(work) > 0 {
		w := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range assigns[w] {
			if a.rhs == nil || a.index != 0 || !ix.closedAt(m, w, a.fn, a.rhs.Pos()) {
				continue
			}
			if v := heldIn(m.info, ast.Unparen(a.rhs)); v != nil && !ix.closedLater(v) {
				// Closed by the owner, whatever else closes it (conn.Close()
				// on the error path before the store).
				ix.closed[v] = append(ix.closed[v], closeSite{later: true, decl: m.declAround(a.fn), store: a.rhs})
				work = append(work, v)
			}
		}
		// A parameter stored where its owner closes it: what each call of
		// the function in this package passes for it is closed from the
		// call on, exported or not (nacos-sdk-go's NewGrpcConnection,
		// given the connection its caller opened the bi-stream on). Which
		// values the parameter may hold is another question; what becomes
		// of the value passed is the callee's.
		p, isParam := ix.params[w]
		decl, isDecl := p.fn.(*ast.FuncDecl)
		if !isParam || !isDecl || decl.Body == nil || !ix.closedAt(m, w, decl, decl.Body.Pos()) {
			continue
		}
		callee, ok := m.info.Defs[decl.Name].(*types.Func)
		if !ok || callee.Signature().Variadic() && p.index == callee.Signature().Params().Len()-1 {
			continue
		}
		for _, call := range m.fields().calls[callee] {
			if p.index >= len(call.Args) {
				continue
			}
			if v := heldIn(m.info, ast.Unparen(call.Args[p.index])); v != nil && isConn(v.Type()) && !ix.closedLater(v) {
				ix.closed[v] = append(ix.closed[v], closeSite{later: true, decl: m.declAround(m.enclosingFunc(call)), store: call})
				work = append(work, v)
			}
		}
	}
}

// waitsOnStream reports whether decl, between from and to, calls a method
// of a stream or passes one to a call (serverID(stream), which waits for
// the server's headers): the function may wait on a stream there, before
// the connection is handed to the owner that closes it. A stream opened
// and handed on (to a goroutine, to a struct) without such a call in
// between is not waited on there.
func (ix *closeIndex) waitsOnStream(m *Model, decl *ast.FuncDecl, from, to token.Pos) bool {
	key := streamWaitKey{decl, from, to}
	if w, ok := ix.waits[key]; ok {
		return w
	}
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if found || n == nil || n.End() <= from || n.Pos() >= to {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // runs later, or not here
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && IsStreamLike(m.info.TypeOf(sel.X)) {
			found = true
		}
		for _, a := range call.Args {
			found = found || IsStreamLike(m.info.TypeOf(a))
		}
		return !found
	})
	ix.waits[key] = found
	return found
}

// streamWaitKey is a question waitsOnStream answers once.
type streamWaitKey struct {
	decl     *ast.FuncDecl
	from, to token.Pos
}

// closedLater reports whether v has a close site that runs beside its
// user (closeSite.later).
func (ix *closeIndex) closedLater(v *types.Var) bool {
	return slices.ContainsFunc(ix.closed[v], func(s closeSite) bool { return s.later })
}

// closedAt reports whether v's connection is closed by a place that can run
// while fn, the function that reads v, uses it: one beside it (later), or
// the owner's (a field closed in another declaration). A Close in fn's own
// declaration does not count even for a stream a goroutine of it reads:
// such a function usually waits for its goroutines before it returns and
// closes (fabric's broadcast client, grpc-go's stress client).
//
// at is where fn uses v: a connection stored into a closed variable in
// fn's own declaration is closed only from the store on.
func (ix *closeIndex) closedAt(m *Model, v *types.Var, fn ast.Node, at token.Pos) bool {
	sites := ix.closed[v]
	if len(sites) == 0 {
		return false
	}
	decl := m.declAround(fn)
	for _, s := range sites {
		if s.store != nil && s.decl == decl && decl != nil && at < s.store.Pos() && ix.waitsOnStream(m, decl, at, s.store.Pos()) {
			continue // waited on before it is handed over
		}
		if !s.atEnd && (s.later || v.IsField() && s.decl != decl) {
			return true
		}
	}
	return false
}

// goLiteral reports whether the function literal at cur is the one a go
// statement runs: go func() { ... }().
func goLiteral(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun != cur.Node() {
		return false
	}
	_, ok = cur.Parent().Parent().Node().(*ast.GoStmt)
	return ok
}

// timerArg reports whether the expression at cur is the function given to
// context.AfterFunc or time.AfterFunc: it runs when the context ends or
// the timer fires, beside whatever waits.
func (m *Model) timerArg(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun == cur.Node() {
		return false
	}
	fn := lint.Callee(m.info, call)
	return lint.IsFunc(fn, "context", "AfterFunc") || lint.IsFunc(fn, "time", "AfterFunc")
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

// paramDial returns what every call of v's function, one whose calls are
// all in view (callersInView), passes for v: bounded or closed when each
// caller's connection is (a client made in newAdmin(conn) on the
// connection its one caller dialled with a bounding interceptor, or
// closes), the zero dial when a call is out of view.
//
// Answers are kept by parameter and depth (a pure function of both, so
// the same whichever analyzer asks first): a connection handed down
// through layers of helpers, each called from every helper of the layer
// above, is asked about once per layer instead of once per way through
// them (8 layers of 12 helpers: 12^6 ways within maxDialDepth).
func (m *Model) paramDial(v *types.Var, depth int) dial {
	key := paramAt{v, depth}
	if d, ok := m.cache.params.get(key); ok {
		return d
	}
	d := m.callersDial(v, depth)
	m.cache.params.set(key, d)
	return d
}

// A paramAt is a parameter asked about at a depth of dialOf's walk.
type paramAt struct {
	v     *types.Var
	depth int
}

func (m *Model) callersDial(v *types.Var, depth int) dial {
	p, ok := m.closes().params[v]
	if !ok {
		return dial{}
	}
	calls, ok := m.callersInView(p)
	if !ok {
		return dial{}
	}
	out := dial{bounded: true, boundStreams: true, closed: true}
	for _, call := range calls {
		args := lint.Args(m.info, call)
		if p.index >= len(args) {
			return dial{}
		}
		d := m.dialOf(args[p.index], m.enclosingFunc(call), depth+1)
		out.bounded = out.bounded && d.bounded
		out.boundStreams = out.boundStreams && d.boundStreams
		out.waitForReady = out.waitForReady || d.waitForReady
		out.closed = out.closed && d.closed
	}
	return out
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
