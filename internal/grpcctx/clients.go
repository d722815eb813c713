package grpcctx

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// ClientKind says what is known about the value a gRPC client method is
// called on. An interface-typed client is not known to be a network
// client: in a unit test it is a gomock or mockery mock, in production it
// may be a wrapper that adds its own timeout. Only positive evidence makes
// it one.
type ClientKind uint8

const (
	// ClientUnknown: nothing shows where the value comes from (a field
	// set by a caller, a map, a function result), or the ways disagree.
	ClientUnknown ClientKind = iota
	// ClientConn: a network client. The call is a grpc.ClientConn's or
	// grpc.ClientConnInterface's Invoke or NewStream, or a method of a
	// concrete client type, or the value was made on every way by a
	// function that takes a connection (a generated NewXxxClient(conn)), or
	// it is an unexported field that every assignment in the package sets
	// to such a value.
	ClientConn
	// ClientParam: the value is the parameter Client.Param of the
	// enclosing function declaration; the caller knows.
	ClientParam
)

// A Client is what is known about a client value.
type Client struct {
	Kind ClientKind
	// Param is the index of the parameter, for ClientParam.
	Param int
	// Ctor is the function that made the value on every way, when it is
	// one static call of one function (NewXxxClient, a hand-written
	// constructor), else nil.
	Ctor *types.Func
	// Made is the concrete type the value has on every way, when each way
	// makes it with one of this package's constructors (see
	// Model.ConcreteMethod) and they all return that type: c :=
	// WithBefore(cc); c = WithOptions(c) is a *middleware either way.
	Made types.Type
	// Bounded: the client was made, on every way, on a connection one of
	// whose unary client interceptors gives each call a deadline
	// (grpc.WithUnaryInterceptor(timeout.UnaryClientInterceptor(d))): its
	// unary calls are bounded whatever their context.
	Bounded bool
	// BoundedStreams: the same for streams, through a stream client
	// interceptor that opens each stream on a context with a deadline
	// (grpc.WithStreamInterceptor).
	BoundedStreams bool
	// WaitForReady: the connection the client was made on, on some way,
	// has grpc.WaitForReady(true) among its default call options.
	WaitForReady bool
	// Closed: the client was made, on every way, on a connection the code
	// closes (conn.Close() in a defer, a test's Cleanup, the owner's Close
	// method): its streams can be ended from the client side, as a cancel
	// function would.
	Closed bool
	// Conn, for a client made on every way on a connection of one
	// hand-written type that implements grpc.ClientConnInterface (an
	// in-process channel such as grpchan's inprocgrpc.Channel, a pool of
	// connections), is that type: every unary call on the client runs its
	// Invoke, every stream its NewStream, which decide whether an RPC is
	// made. Nil for a *grpc.ClientConn, for a type that gets its Invoke
	// from one it embeds, and where the type is not known.
	Conn types.Type
}

// ClientOf returns what is known about the client g is made on, in fn,
// the FuncDecl or FuncLit around the call.
func (m *Model) ClientOf(g GRPCCall, fn ast.Node) Client {
	if g.Method.Pkg() != nil && g.Method.Pkg().Path() == grpcPath {
		// ClientConn(Interface).Invoke, NewStream: on an interface, the
		// hand-written connection it holds, if known, decides.
		c := Client{Kind: ClientConn}
		if x := receiverExpr(m.info, g.Call); x != nil && types.IsInterface(m.info.TypeOf(x)) {
			c.Conn = m.connImpl(x)
		}
		return c
	}
	recv := g.Method.Signature().Recv()
	if recv == nil || !types.IsInterface(recv.Type()) {
		return Client{Kind: ClientConn} // a concrete client
	}
	x := receiverExpr(m.info, g.Call)
	if x == nil {
		return Client{}
	}
	return m.ClientValue(x, fn)
}

// receiverExpr returns the expression call's method is called on, for a
// method value or method expression call; else nil.
func receiverExpr(info *types.Info, call *ast.CallExpr) ast.Expr {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s, ok := info.Selections[sel]
	if !ok {
		return nil
	}
	switch s.Kind() {
	case types.MethodVal:
		return sel.X
	case types.MethodExpr:
		if len(call.Args) > 0 {
			return call.Args[0]
		}
	}
	return nil
}

// ClientValue returns what is known about the client value e, an
// expression in fn (the FuncDecl or FuncLit around it, or nil).
func (m *Model) ClientValue(e ast.Expr, fn ast.Node) Client {
	prod := !lint.InTestFile(m.fset, e.Pos())
	return m.clientIndex().value(m, e, fn, make(map[*types.Var]bool), prod)
}

// A clientIndex lists, for the package's variables and struct fields of
// interface type, the values assigned to them, so that a client's origin is
// one look-up. It is built on the first question, by one walk of the
// package, and read-only after.
type clientIndex struct {
	once    sync.Once
	assigns map[*types.Var][]assigned
	memo    lockedMap[*types.Var, Client] // for an expression in a _test.go file
	// memoProd is memo for an expression outside _test.go files, where
	// the values tests assign (a mock in a field) do not count: production
	// code is judged by what production code stores.
	memoProd lockedMap[*types.Var, Client]
	// lits holds the package's function literals by the scope of their
	// parameters and body.
	lits map[*types.Scope]*ast.FuncLit
}

// An assigned is one value stored in a variable or field.
type assigned struct {
	rhs ast.Expr // nil when unknown (a range value)
	fn  ast.Node // FuncDecl or FuncLit around the assignment, nil at package level
	// index is the result of rhs, a call returning several, that is
	// stored (c, err := f(): 0 for c, 1 for err); 0 otherwise.
	index int
}

func (m *Model) clientIndex() *clientIndex {
	ix := &m.clients
	ix.once.Do(func() { ix.build(m) })
	return ix
}

func (ix *clientIndex) build(m *Model) {
	defer lint.Aside()() // the package's index, not the asking function's work
	ix.assigns = make(map[*types.Var][]assigned)
	ix.lits = make(map[*types.Scope]*ast.FuncLit)
	info := m.info
	add := func(v *types.Var, rhs ast.Expr, fn ast.Node, index int) {
		if v != nil && indexed(v.Type()) {
			ix.assigns[v] = append(ix.assigns[v], assigned{rhs: rhs, fn: fn, index: index})
		}
	}
	target := func(lhs ast.Expr) *types.Var { return heldIn(info, lhs) }
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.CompositeLit)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil)}
	for cur := range m.inspect.Root().Preorder(filter...) {
		if lit, ok := cur.Node().(*ast.FuncLit); ok {
			if sc := info.Scopes[lit.Type]; sc != nil {
				ix.lits[sc] = lit
			}
			continue
		}
		fn := lint.EnclosingFuncOf(cur)
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				index := 0
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				} else if len(n.Rhs) == 1 {
					rhs, index = n.Rhs[0], i // c, err := NewClient(...): one of the call's results
				}
				if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
					rhs = nil
				}
				add(target(lhs), rhs, fn, index)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				var rhs ast.Expr
				index := 0
				if len(n.Names) == len(n.Values) {
					rhs = n.Values[i]
				} else if len(n.Values) == 1 {
					rhs, index = n.Values[0], i
				}
				if len(n.Values) == 0 {
					continue // the zero value: a nil client makes no call
				}
				v, _ := info.Defs[name].(*types.Var)
				add(v, rhs, fn, index)
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					add(target(e), nil, fn, 0)
				}
			}
		case *ast.CompositeLit:
			st, ok := types.Unalias(info.TypeOf(n)).Underlying().(*types.Struct)
			if !ok {
				if p, ok := types.Unalias(info.TypeOf(n)).(*types.Pointer); ok {
					st, _ = p.Elem().Underlying().(*types.Struct)
				}
			}
			if st == nil {
				continue
			}
			for i, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						v, _ := info.ObjectOf(id).(*types.Var)
						add(v, kv.Value, fn, 0)
					}
				} else if i < st.NumFields() {
					add(st.Field(i), elt, fn, 0)
				}
			}
		}
	}
}

// value computes ClientValue. visiting cuts cycles (c = wrap(c)): a
// variable being evaluated contributes nothing to its own value.
func (ix *clientIndex) value(m *Model, e ast.Expr, fn ast.Node, visiting map[*types.Var]bool, prod bool) Client {
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		callee := typeutil.StaticCallee(m.info, e)
		if callee == nil {
			return Client{}
		}
		c := Client{Ctor: callee.Origin(), Made: m.concrete[callee.Origin()]}
		if conn := connArg(m.info, callee.Signature(), e); conn != nil {
			c.Kind = ClientConn
			c.Conn = m.connImpl(conn)
			d := m.dialOf(conn, fn, 0)
			c.Bounded, c.BoundedStreams, c.WaitForReady, c.Closed = d.bounded, d.boundStreams, d.waitForReady, d.closed
		}
		return c
	case *ast.Ident:
		v, ok := m.info.ObjectOf(e).(*types.Var)
		if !ok {
			return Client{}
		}
		switch fn := fn.(type) {
		case *ast.FuncDecl:
			if i := paramIndex(m.info, fn, v); i >= 0 {
				return Client{Kind: ClientParam, Param: i}
			}
		case *ast.FuncLit:
			// A parameter of fn, or of a literal around fn (the
			// callback's client used in a literal inside the callback:
			// a goroutine, a retry, a walk's visitor), never assigned:
			// the value the callback was given.
			if lit := m.declaringLit(fn, v); lit != nil && len(ix.assigns[v]) == 0 {
				if c := m.literalParamClient(lit, v); c.Kind == ClientConn {
					return c
				}
			}
		}
		if v.Parent() == m.pkg.Scope() || v.Pkg() != m.pkg {
			return Client{} // a package variable: set anywhere, at any time
		}
		return ix.variable(m, v, visiting, prod)
	case *ast.SelectorExpr:
		s, ok := m.info.Selections[e]
		if !ok || s.Kind() != types.FieldVal {
			return Client{}
		}
		v, _ := s.Obj().(*types.Var)
		if v == nil || v.Exported() || v.Pkg() != m.pkg {
			return Client{} // other packages may set it to anything
		}
		c := ix.variable(m, v, visiting, prod)
		if c.Kind == ClientParam {
			c.Kind = ClientUnknown // the parameter of whichever function set the field
		}
		return c
	}
	return Client{}
}

// variable joins the values assigned to v, a local variable or an
// unexported field of this package.
func (ix *clientIndex) variable(m *Model, v *types.Var, visiting map[*types.Var]bool, prod bool) Client {
	memo := &ix.memo
	if prod {
		memo = &ix.memoProd
	}
	if c, ok := memo.get(v); ok {
		return c
	}
	if visiting[v] {
		return Client{Kind: clientBottom}
	}
	visiting[v] = true
	defer delete(visiting, v)
	out := Client{Kind: clientBottom}
	for _, a := range ix.assigns[v] {
		if prod && a.rhs != nil && lint.InTestFile(m.fset, a.rhs.Pos()) {
			continue
		}
		c := Client{}
		if a.rhs != nil && a.index == 0 {
			c = ix.value(m, a.rhs, a.fn, visiting, prod)
			if v.IsField() && c.Kind == ClientParam {
				c = Client{} // a constructor's parameter: the caller's value, unknown here
			}
		}
		out = joinClient(out, c)
		if out.Kind == ClientUnknown && out.Ctor == nil && out.Made == nil {
			break
		}
	}
	if out.Kind == clientBottom {
		out = Client{} // never assigned here
	}
	if len(visiting) == 1 {
		memo.set(v, out) // computed with no cycle cut on the way
	}
	return out
}

// clientBottom is join's neutral element: no value seen yet.
const clientBottom ClientKind = 255

func joinClient(a, b Client) Client {
	switch {
	case a.Kind == clientBottom:
		return b
	case b.Kind == clientBottom:
		return a
	}
	out := Client{}
	if a.Kind == b.Kind && (a.Kind != ClientParam || a.Param == b.Param) {
		out.Kind, out.Param = a.Kind, a.Param
	}
	if a.Ctor == b.Ctor {
		out.Ctor = a.Ctor
	}
	if a.Made != nil && b.Made != nil && types.Identical(a.Made, b.Made) {
		out.Made = a.Made
	}
	out.Bounded = a.Bounded && b.Bounded
	out.BoundedStreams = a.BoundedStreams && b.BoundedStreams
	out.Closed = a.Closed && b.Closed
	out.WaitForReady = a.WaitForReady || b.WaitForReady
	if a.Conn != nil && b.Conn != nil && types.Identical(a.Conn, b.Conn) {
		out.Conn = a.Conn
	}
	return out
}

// connImpl returns the type of the connection e when it is a hand-written
// implementation of grpc.ClientConnInterface (see Client.Conn): its static
// type, or, for an interface-typed local variable or unexported field,
// the one concrete type every assignment in the package stores in it. It
// returns nil for a *grpc.ClientConn, a type whose Invoke is grpc's
// (embedded), and anything else.
//
// A function from a connection to a connection wraps it (grpchan's
// InterceptClientConn, a test table's setup func): its calls run the
// wrapped connection's Invoke and NewStream in the end, so the wrapper's
// result is judged by the connection it is given.
func (m *Model) connImpl(e ast.Expr) types.Type {
	return m.connImplOf(e, maxWraps)
}

// maxWraps bounds the wrappers and variables connImplOf follows (w =
// wrap(w) is a cycle).
const maxWraps = 8

func (m *Model) connImplOf(e ast.Expr, depth int) types.Type {
	if depth == 0 {
		return nil
	}
	e = ast.Unparen(e)
	if inner := m.wrappedConn(e); inner != nil {
		return m.connImplOf(inner, depth-1)
	}
	t := m.info.TypeOf(e)
	if t == nil {
		return nil
	}
	if types.IsInterface(t) {
		v := m.storedVar(e)
		if v == nil {
			return nil // a parameter or a result: what it holds is not known here
		}
		t = nil
		for _, a := range m.clientIndex().assigns[v] {
			if a.rhs == nil {
				return nil
			}
			at := m.info.TypeOf(a.rhs)
			if tup, ok := at.(*types.Tuple); ok && a.index < tup.Len() {
				at = tup.At(a.index).Type()
			} else if types.IsInterface(at) {
				at = m.connImplOf(a.rhs, depth-1) // a wrapper's result
			}
			if at == nil || types.IsInterface(at) || t != nil && !types.Identical(t, at) {
				return nil
			}
			t = at
		}
		if t == nil {
			return nil
		}
	}
	if isPointerTo(t, grpcPath, "ClientConn") {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Invoke")
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() == grpcPath {
		return nil
	}
	return t
}

// wrappedConn returns the connection e wraps when e is a call of a
// function (declared, or a function value) that takes a connection and
// returns only a grpc.ClientConnInterface: that connection argument. Else
// nil.
func (m *Model) wrappedConn(e ast.Expr) ast.Expr {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return nil
	}
	tv, ok := m.info.Types[call.Fun]
	if !ok || tv.IsType() || tv.Type == nil {
		return nil
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() != 1 || !lint.IsNamed(sig.Results().At(0).Type(), grpcPath, "ClientConnInterface") {
		return nil
	}
	return connArg(m.info, sig, call)
}

// connArg returns the argument of call, a call of a function with
// signature sig, for its first parameter that is a gRPC connection
// (*grpc.ClientConn or grpc.ClientConnInterface, what every generated
// NewXxxClient takes), or nil.
func connArg(info *types.Info, sig *types.Signature, call *ast.CallExpr) ast.Expr {
	args := lint.Args(info, call)
	for i := range sig.Params().Len() {
		if isConn(sig.Params().At(i).Type()) && i < len(args) {
			return args[i]
		}
	}
	return nil
}

func isConn(t types.Type) bool {
	return isPointerTo(t, grpcPath, "ClientConn") || lint.IsNamed(t, grpcPath, "ClientConnInterface")
}

// indexed reports whether the index keeps the values stored in variables
// of type t: interfaces (clients) other than context.Context, connections,
// dial and call options, and slices of unary client interceptors (a chain
// built before it is dialled with).
func indexed(t types.Type) bool {
	switch {
	case IsContext(t):
		return false
	case types.IsInterface(t), isConn(t), isOption(t), isInterceptor(t):
		return true
	}
	if sig, ok := types.Unalias(t).Underlying().(*types.Signature); ok {
		return IsClientCallSignature(sig) // call := c.Lookup
	}
	if s, ok := types.Unalias(t).(*types.Slice); ok {
		return isOption(s.Elem()) || lint.IsNamed(s.Elem(), grpcPath, "UnaryClientInterceptor")
	}
	return false
}

func isOption(t types.Type) bool {
	return lint.IsNamed(t, grpcPath, "DialOption") || lint.IsNamed(t, grpcPath, "CallOption")
}

// paramIndex returns the index of v among decl's parameters, or -1.
func paramIndex(info *types.Info, decl *ast.FuncDecl, v *types.Var) int {
	fn, ok := info.Defs[decl.Name].(*types.Func)
	if !ok {
		return -1
	}
	params := fn.Signature().Params()
	for i := range params.Len() {
		if params.At(i) == v {
			return i
		}
	}
	return -1
}

// callbackClients is the fact of a function that calls one of its
// function-typed parameters with a network client as an argument: seaweedfs'
// pb.WithFilerClient(..., fn) dials, makes NewSeaweedFilerClient(conn) and
// calls fn(client). In a function literal passed there, that parameter of
// the literal is a network client.
type callbackClients struct {
	Calls []callbackClient
}

// callbackClient says: argument Arg of every call of parameter Param is a
// network client.
type callbackClient struct {
	Param, Arg int
}

func (*callbackClients) AFact() {}

func (f *callbackClients) String() string {
	var parts []string
	for _, c := range f.Calls {
		parts = append(parts, fmt.Sprintf("param %d gets a client as arg %d", c.Param, c.Arg))
	}
	return "callbackClients(" + strings.Join(parts, "; ") + ")"
}

// declaringLit returns the function literal, fn or one around it, of
// which v is a parameter; nil when there is none (v is a local variable,
// or a parameter of the declaration). One look-up in the index: the
// function literals by their scope.
func (m *Model) declaringLit(fn *ast.FuncLit, v *types.Var) *ast.FuncLit {
	lit := m.clientIndex().lits[v.Parent()]
	if lit == nil || fn.Pos() < lit.Pos() || fn.End() > lit.End() {
		return nil
	}
	return lit
}

// literalParamClient returns what is known about v, parameter j of the
// function literal lit: a network client when lit is passed straight to a
// function whose callbackClients fact says so.
func (m *Model) literalParamClient(lit *ast.FuncLit, v *types.Var) Client {
	sig, ok := m.info.TypeOf(lit).(*types.Signature)
	if !ok {
		return Client{}
	}
	j := -1
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			j = i
		}
	}
	cur, ok := m.Cursor(lit)
	if j < 0 || !ok {
		return Client{}
	}
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok {
		return Client{}
	}
	callee := typeutil.StaticCallee(m.info, call)
	if callee == nil {
		return Client{}
	}
	args := lint.Args(m.info, call)
	for k, a := range args {
		if a != ast.Expr(lit) {
			continue
		}
		for _, c := range m.callbacksOf(callee.Origin()) {
			if c.Param == k && c.Arg == j {
				return Client{Kind: ClientConn}
			}
		}
	}
	return Client{}
}

// findCallbackClients imports the callbackClients facts of the functions
// this package uses, computes its own functions' and exports them. Only
// functions with a function-typed parameter that takes a client interface
// are looked at. A function gets the fact when it calls such a parameter
// with a client made from a connection, or forwards the parameter to a
// function whose fact says it does (seaweedfs' shell CommandEnv.WithFilerClient
// hands its callback to pb.WithGrpcFilerClient): forwarding is followed to
// a fixed point within the package, each round adding entries, so it ends
// after at most as many rounds as there are entries to add.
func (m *Model) findCallbackClients(pass *analysis.Pass) {
	m.callbacks = lint.NewFactTable[callbackClients](pass)
	m.callbacks.ImportUses(func(fn *types.Func) bool { return hasClientCallback(fn.Signature()) })
	type candidate struct {
		fn  *types.Func
		cur inspector.Cursor
	}
	var cands []candidate
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if ok && decl.Body != nil && hasClientCallback(fn.Signature()) {
			cands = append(cands, candidate{fn, cur})
		}
	}
	calls := make(map[*types.Func][]callbackClient)
	add := func(fn *types.Func, c callbackClient) bool {
		if slices.Contains(calls[fn], c) {
			return false
		}
		calls[fn] = append(calls[fn], c)
		m.callbacks.Set(fn, &callbackClients{Calls: calls[fn]})
		return true
	}
	paramIndex := func(params *types.Tuple, e ast.Expr) int {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			for i := range params.Len() {
				if pass.TypesInfo.Uses[id] == params.At(i) {
					return i
				}
			}
		}
		return -1
	}
	if importsGRPC(pass.Pkg) { // else it cannot make a client from a connection
		for _, cd := range cands {
			lint.Enter(pass, cd.cur.Node())
			params := cd.fn.Signature().Params()
			for c := range cd.cur.Preorder((*ast.CallExpr)(nil)) {
				call := c.Node().(*ast.CallExpr)
				k := paramIndex(params, call.Fun)
				if k < 0 {
					continue
				}
				for j, a := range call.Args {
					if m.ClientValue(a, lint.EnclosingFuncOf(c)).Kind == ClientConn {
						add(cd.fn, callbackClient{k, j})
					}
				}
			}
		}
		lint.Leave(pass)
	}
	// Forwarding edges: argument Arg of a call of From is parameter Param
	// of To. Each edge is evaluated once at first and again only when
	// From gains an entry: linear in the edges.
	type edge struct {
		from       *types.Func
		arg, param int
		to         *types.Func
	}
	var edges []edge
	byFrom := make(map[*types.Func][]int)
	for _, cd := range cands {
		params := cd.fn.Signature().Params()
		for c := range cd.cur.Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			callee := typeutil.StaticCallee(pass.TypesInfo, call)
			if callee == nil || !hasClientCallback(callee.Signature()) {
				continue
			}
			for i, a := range lint.Args(pass.TypesInfo, call) {
				if k := paramIndex(params, a); k >= 0 {
					byFrom[callee.Origin()] = append(byFrom[callee.Origin()], len(edges))
					edges = append(edges, edge{callee.Origin(), i, k, cd.fn})
				}
			}
		}
	}
	var work []int
	for i := range edges {
		work = append(work, i)
	}
	for len(work) > 0 {
		e := edges[work[0]]
		work = work[1:]
		for _, f := range m.callbacksOf(e.from) {
			if f.Param == e.arg && add(e.to, callbackClient{e.param, f.Arg}) {
				work = append(work, byFrom[e.to]...)
			}
		}
	}
	m.callbacks.Export()
}

// callbacksOf returns fn's callbackClients: this package's as computed so
// far, other packages' from their facts.
func (m *Model) callbacksOf(fn *types.Func) []callbackClient {
	if f, ok := m.callbacks.Lookup(fn); ok {
		return f.Calls
	}
	return nil
}

// hasClientCallback reports whether sig has a function-typed parameter
// with a parameter of interface type: a callback that may get a client.
func hasClientCallback(sig *types.Signature) bool {
	for p := range sig.Params().Variables() {
		cb, ok := types.Unalias(p.Type()).Underlying().(*types.Signature)
		if !ok {
			continue
		}
		for q := range cb.Params().Variables() {
			if types.IsInterface(q.Type()) && !IsContext(q.Type()) {
				return true
			}
		}
	}
	return false
}
