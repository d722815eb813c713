package grpcctx

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// boundsCalls is the fact of a client interceptor that gives every call it
// passes on a deadline (it derives the context it hands its invoker, or
// for a stream interceptor its streamer, with context.WithTimeout or
// WithDeadline), or of a function that returns one:
// go-grpc-middleware's timeout.UnaryClientInterceptor(d). Which calls it
// bounds, unary ones or streams, its type says. A connection dialled with
// such an interceptor bounds every call of that kind made on it; the fact
// is also that of a function that returns a connection whose unary calls
// are bounded so on every return (a library's MkConn), read where a
// client is made on what it returns, and of a function that returns dial
// options with such a unary interceptor among them on some return (a
// library's retry options with a per-attempt timeout).
type boundsCalls struct{}

func (*boundsCalls) AFact() {}

func (*boundsCalls) String() string { return "boundsCalls" }

// maxDialDepth bounds how far dialOf and dialOptions follow values through
// variables and functions: a connection or an option slice is built a few
// steps from where it is used, and the walk must stay linear.
const maxDialDepth = 6

// A dial is what is known of how a connection was made.
type dial struct {
	bounded      bool // a unary client interceptor bounds every call (boundsCalls)
	boundStreams bool // a stream client interceptor bounds every stream
	waitForReady bool // grpc.WaitForReady(true) is a default call option
	closed       bool // the code closes the connection (closeIndex), on every way
}

// dialOf returns what is known of the connection e, an expression in fn:
// the options of the grpc.NewClient, Dial or DialContext call that made
// it, followed through variables, unexported fields and this package's
// functions that return a connection. Where the ways disagree, bounded
// and closed hold only if they hold on all of them; a variable, field or
// parameter the code closes is closed whatever it holds, and a parameter
// that is never assigned, of a function whose calls are all in view, is
// bounded or closed when every caller passes such a connection
// (paramDial).
func (m *Model) dialOf(e ast.Expr, fn ast.Node, depth int) dial {
	if depth > maxDialDepth {
		return dial{}
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		callee := typeutil.StaticCallee(m.info, e)
		if callee == nil {
			return dial{}
		}
		if lint.IsFunc(callee, grpcPath, "NewClient", "Dial", "DialContext") && callee.Signature().Recv() == nil {
			args := e.Args
			first := 1 // the target
			if callee.Name() == "DialContext" {
				first = 2
			}
			var opts []*ast.CallExpr
			for _, a := range args[min(first, len(args)):] {
				opts = append(opts, m.dialOptions(a, fn, 0, depth+1)...)
			}
			return m.dialFromOptions(opts, fn, depth)
		}
		if callee.Pkg() != m.pkg && returnsConn(callee.Signature()) {
			return dial{bounded: m.boundingFuncs.Has(callee.Origin())}
		}
		return m.joinReturns(callee, 0, func(res ast.Expr, decl *ast.FuncDecl) dial { return m.dialOf(res, decl, depth+1) })
	case *ast.Ident, *ast.SelectorExpr:
		closed := false
		if h := heldIn(m.info, e); h != nil {
			closed = m.closes().closedAt(m, h, fn, e.Pos())
		}
		v := m.storedVar(e)
		if v == nil {
			return dial{closed: closed}
		}
		ix := m.clientIndex()
		assigns := ix.assigns[v]
		if len(assigns) == 0 {
			d := dial{closed: closed}
			if !v.IsField() {
				if lit := ix.lits[v.Parent()]; lit != nil {
					d.closed = closed || m.closedLitParam(lit, v, depth)
				} else {
					d = m.paramDial(v, depth) // a parameter: what its callers pass
					d.closed = d.closed || closed
				}
			}
			return d
		}
		out := dial{bounded: true, boundStreams: true, closed: true}
		for _, a := range assigns {
			var d dial
			if a.rhs != nil && a.index == 0 {
				d = m.dialOf(a.rhs, a.fn, depth+1)
			}
			out.bounded = out.bounded && d.bounded
			out.boundStreams = out.boundStreams && d.boundStreams
			out.waitForReady = out.waitForReady || d.waitForReady
			out.closed = out.closed && d.closed
		}
		out.closed = out.closed || closed
		return out
	case *ast.IndexExpr:
		// p.conns[i], of a field whose elements the code closes.
		if h := heldIn(m.info, e.X); h != nil && h.IsField() {
			return dial{closed: m.closes().closedAt(m, h, fn, e.Pos())}
		}
	}
	return dial{}
}

// storedVar returns the local variable or unexported field of this
// package that e names, whose stored values the client index lists, or
// nil.
func (m *Model) storedVar(e ast.Expr) *types.Var {
	switch e := e.(type) {
	case *ast.Ident:
		v, _ := m.info.ObjectOf(e).(*types.Var)
		if v == nil || v.Pkg() != m.pkg || v.Parent() == m.pkg.Scope() {
			return nil
		}
		return v
	case *ast.SelectorExpr:
		s, ok := m.info.Selections[e]
		if !ok || s.Kind() != types.FieldVal {
			return nil
		}
		v, _ := s.Obj().(*types.Var)
		if v == nil || v.Exported() || v.Pkg() != m.pkg {
			return nil
		}
		return v
	}
	return nil
}

// joinReturns applies f to result index of every return statement of
// callee, a function of this package with a body, and joins the dials
// (bounded or closed only if every return is); the zero dial for other
// functions.
func (m *Model) joinReturns(callee *types.Func, index int, f func(ast.Expr, *ast.FuncDecl) dial) dial {
	decl := m.declOf(callee)
	if decl == nil {
		return dial{}
	}
	out := dial{bounded: true, boundStreams: true, closed: true}
	n := 0
	for ret := range lint.Returns(decl.Body) {
		if index >= len(ret.Results) {
			out.bounded, out.boundStreams, out.closed = false, false, false
			continue
		}
		if tv, ok := m.info.Types[ret.Results[index]]; ok && tv.IsNil() {
			continue // return nil, err: no connection to call on
		}
		d := f(ret.Results[index], decl)
		out.bounded = out.bounded && d.bounded
		out.boundStreams = out.boundStreams && d.boundStreams
		out.waitForReady = out.waitForReady || d.waitForReady
		out.closed = out.closed && d.closed
		n++
	}
	if n == 0 {
		return dial{}
	}
	return out
}

// declOf returns the declaration of fn, a function of this package, or nil.
func (m *Model) declOf(fn *types.Func) *ast.FuncDecl {
	if fn == nil || fn.Pkg() != m.pkg {
		return nil
	}
	cur, ok := findByPos(m.inspect.Root(), fn.Pos(), fn.Pos(), m.kidsOf)
	if !ok {
		return nil
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		if d := c.Node().(*ast.FuncDecl); d.Body != nil && m.info.Defs[d.Name] == fn {
			return d
		}
		break
	}
	return nil
}

// dialOptions returns the calls that make the dial or call options e
// stands for: an option, a slice literal of them, append(...), a variable
// they are stored in, or this package's function that returns them
// (result index of a call that returns several).
//
// Options made in _test.go files count only for an expression in one:
// production code is judged by how production code dials (a test that
// adds grpc.WithBlock() to a server's options, for its own dials, makes
// no production DialContext a blocking one).
func (m *Model) dialOptions(e ast.Expr, fn ast.Node, index, depth int) []*ast.CallExpr {
	out := m.dialOptionsIn(e, fn, index, depth, make(map[*types.Var]bool))
	if !lint.InTestFile(m.fset, e.Pos()) {
		out = slices.DeleteFunc(out, func(opt *ast.CallExpr) bool { return lint.InTestFile(m.fset, opt.Pos()) })
	}
	return out
}

// dialOptionsIn is dialOptions. Depth counts the steps through variables
// and functions; the elements of a literal and the arguments of append
// are parts of one expression and cost none. seen holds the variables
// already followed, each once: opts = append(opts, x), written n times,
// refers to itself n times, and following each would be exponential.
func (m *Model) dialOptionsIn(e ast.Expr, fn ast.Node, index, depth int, seen map[*types.Var]bool) []*ast.CallExpr {
	if depth > maxDialDepth {
		return nil
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		var out []*ast.CallExpr
		for _, elt := range e.Elts {
			out = append(out, m.dialOptionsIn(elt, fn, 0, depth, seen)...)
		}
		return out
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := m.info.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
				var out []*ast.CallExpr
				for _, a := range e.Args {
					out = append(out, m.dialOptionsIn(a, fn, 0, depth, seen)...)
				}
				return out
			}
		}
		callee := typeutil.StaticCallee(m.info, e)
		if callee == nil {
			return nil
		}
		if callee.Pkg() != nil && callee.Pkg().Path() == grpcPath {
			return []*ast.CallExpr{e}
		}
		decl := m.declOf(callee)
		if decl == nil {
			if returnsDialOptions(callee.Signature()) && m.boundingFuncs.Has(callee.Origin()) {
				return []*ast.CallExpr{e} // another package's options, with a bounding interceptor
			}
			return nil
		}
		return m.returnedOptions(decl, index, depth+1, seen)
	case *ast.Ident, *ast.SelectorExpr:
		v := m.storedVar(e)
		if v == nil || seen[v] {
			return nil
		}
		seen[v] = true
		var out []*ast.CallExpr
		for _, a := range m.clientIndex().assigns[v] {
			if a.rhs != nil {
				out = append(out, m.dialOptionsIn(a.rhs, a.fn, a.index, depth+1, seen)...)
			}
		}
		return out
	}
	return nil
}

// returnedOptions returns the dial options decl returns as its result
// index, on any return.
func (m *Model) returnedOptions(decl *ast.FuncDecl, index, depth int, seen map[*types.Var]bool) []*ast.CallExpr {
	var out []*ast.CallExpr
	for ret := range lint.Returns(decl.Body) {
		if index < len(ret.Results) {
			out = append(out, m.dialOptionsIn(ret.Results[index], decl, 0, depth, seen)...)
		}
	}
	return out
}

// returnsDialOptions reports whether sig's first result is a
// grpc.DialOption or a slice of them.
func returnsDialOptions(sig *types.Signature) bool {
	if sig.Results().Len() == 0 {
		return false
	}
	t := sig.Results().At(0).Type()
	if s, ok := types.Unalias(t).(*types.Slice); ok {
		t = s.Elem()
	}
	return lint.IsNamed(t, grpcPath, "DialOption")
}

// dialFromOptions reads the options a connection was dialled with.
func (m *Model) dialFromOptions(opts []*ast.CallExpr, fn ast.Node, depth int) dial {
	var d dial
	for _, opt := range opts {
		callee := typeutil.StaticCallee(m.info, opt)
		switch {
		case lint.IsFunc(callee, grpcPath, "WithUnaryInterceptor", "WithChainUnaryInterceptor"):
			for _, a := range opt.Args {
				if m.boundingInterceptor(a, 0) { // a chain of its own, each variable once
					d.bounded = true
				}
			}
		case lint.IsFunc(callee, grpcPath, "WithStreamInterceptor", "WithChainStreamInterceptor"):
			for _, a := range opt.Args {
				if m.boundingInterceptor(a, 0) {
					d.boundStreams = true
				}
			}
		case callee != nil && callee.Pkg() != nil && callee.Pkg().Path() != grpcPath && returnsDialOptions(callee.Signature()):
			// Another package's options (dialOptions keeps only those
			// with the fact): their unary interceptor bounds.
			d.bounded = d.bounded || m.boundingFuncs.Has(callee.Origin())
		case lint.IsFunc(callee, grpcPath, "WithDefaultCallOptions"):
			for _, a := range opt.Args {
				for _, co := range m.dialOptions(a, fn, 0, depth+1) {
					if lint.IsFunc(typeutil.StaticCallee(m.info, co), grpcPath, "WaitForReady") && len(co.Args) == 1 {
						if tv, ok := m.info.Types[co.Args[0]]; ok && tv.Value != nil && tv.Value.String() == "true" {
							d.waitForReady = true
						}
					}
				}
			}
		}
	}
	return d
}

// boundingInterceptor reports whether e, an interceptor given to
// WithUnaryInterceptor or WithChainUnaryInterceptor, bounds every call, or
// may: a function or a call of a function with the boundsCalls fact, or a
// literal that does; an interceptor the model cannot see (a parameter, an
// exported field, a call of a function value) may, and a unary call on
// such a connection is not known to lack a deadline. For the variadic
// WithChainUnaryInterceptor(ics...), e may be a slice of interceptors (a
// literal, append(...), or a variable of this package they are stored
// in): it bounds if one of them does, as a chain hands every call through
// each (a library's dial helper builds the chain in a slice:
// cerbos-sdk-go's mkDialOpts prepends go-grpc-middleware's retry
// interceptor with a per-try timeout). A variable holding one interceptor
// is followed the same way.
func (m *Model) boundingInterceptor(e ast.Expr, depth int) bool {
	return m.boundingIn(e, depth, make(map[*types.Var]bool))
}

// boundingIn is boundingInterceptor; seen holds the variables already
// followed, each once (a chain built by ics = append(ics, x) refers to
// itself).
func (m *Model) boundingIn(e ast.Expr, depth int, seen map[*types.Var]bool) bool {
	if depth > maxDialDepth {
		return false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return m.bounds(e, m.info.TypeOf(e))
	case *ast.CompositeLit:
		for _, elt := range e.Elts {
			if m.boundingIn(elt, depth, seen) {
				return true
			}
		}
		return false
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := m.info.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
				for _, a := range e.Args {
					if m.boundingIn(a, depth, seen) {
						return true
					}
				}
				return false
			}
		}
		fn := typeutil.StaticCallee(m.info, e)
		if fn == nil {
			return isInterceptor(m.info.TypeOf(e)) // a function value's result: unseen
		}
		return m.boundingFuncs.Has(fn.Origin())
	case *ast.Ident, *ast.SelectorExpr:
		if fn, ok := m.info.ObjectOf(identOf(e)).(*types.Func); ok {
			return m.boundingFuncs.Has(fn.Origin())
		}
		t := m.info.TypeOf(e)
		if !isInterceptor(t) && !isInterceptorSlice(t) {
			return false
		}
		v := m.storedVar(e)
		if v == nil {
			return true // an exported field, a package-level variable: unseen
		}
		if seen[v] {
			return false
		}
		seen[v] = true
		assigns := m.clientIndex().assigns[v]
		if len(assigns) == 0 {
			return true // a parameter: what the caller passes is unseen here
		}
		for _, a := range assigns {
			if a.rhs == nil || a.index != 0 || m.boundingIn(a.rhs, depth+1, seen) {
				return true
			}
		}
	}
	return false
}

// isInterceptor reports whether t is grpc.UnaryClientInterceptor or
// grpc.StreamClientInterceptor.
func isInterceptor(t types.Type) bool {
	return t != nil && (lint.IsNamed(t, grpcPath, "UnaryClientInterceptor") || lint.IsNamed(t, grpcPath, "StreamClientInterceptor"))
}

// isInterceptorSlice reports whether t is a slice of client interceptors.
func isInterceptorSlice(t types.Type) bool {
	s, ok := types.Unalias(t).(*types.Slice)
	return ok && isInterceptor(s.Elem())
}

func identOf(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

// bounds reports whether fn, a FuncDecl or FuncLit of type t, is a unary
// client interceptor that calls its invoker, or a stream client
// interceptor that calls its streamer, on some way, with a context given
// a deadline there. A timeout interceptor mostly adds one only where
// the caller's context has none (if _, ok := ctx.Deadline(); ok { return
// invoker(ctx, ...) }), which no path-insensitive reading tells from one
// that adds it for some methods only; both are taken to bound, leaning to
// silence.
func (m *Model) bounds(fn ast.Node, t types.Type) bool {
	sig, ok := types.Unalias(t).Underlying().(*types.Signature)
	if !ok {
		return false
	}
	at := -1 // the invoker's (streamer's) parameter
	switch {
	case sig.Params().Len() >= 6 && lint.IsNamed(sig.Params().At(5).Type(), grpcPath, "UnaryInvoker"):
		at = 5
	case sig.Params().Len() >= 5 && lint.IsNamed(sig.Params().At(4).Type(), grpcPath, "Streamer"):
		at = 4
	default:
		return false
	}
	invoker := sig.Params().At(at)
	var body *ast.BlockStmt
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		body = fn.Body
		if obj, ok := m.info.Defs[fn.Name].(*types.Func); ok {
			invoker = obj.Signature().Params().At(at)
		}
	case *ast.FuncLit:
		body = fn.Body
		if lsig, ok := m.info.TypeOf(fn).(*types.Signature); ok {
			invoker = lsig.Params().At(at)
		}
	}
	if body == nil {
		return false
	}
	bounded := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || bounded {
			return !bounded
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && m.info.Uses[id] == invoker && len(call.Args) > 0 {
			bounded = m.Origin(call.Args[0]).MayDeadline
		}
		return true
	})
	return bounded
}

// findBoundingInterceptors computes which of this package's functions are
// client interceptors (unary or stream) that bound their calls, or return one, imports
// the boundsCalls facts of the functions it uses from other packages, and
// exports its own.
func (m *Model) findBoundingInterceptors(pass *analysis.Pass) {
	m.boundingFuncs = lint.NewFactTable[boundsCalls](pass)
	withGRPC := importsGRPC(pass.Pkg) || pass.Pkg.Path() == grpcPath
	// A package that makes clients on a connection another package
	// dialled (cc, _ := conn.MkConn(addr); pb.NewXClient(cc)) need not
	// import grpc itself.
	m.boundingFuncs.ImportUses(func(fn *types.Func) bool { return withGRPC || returnsConn(fn.Signature()) })
	if !withGRPC {
		return
	}
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		lint.Enter(pass, decl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil {
			continue
		}
		sig := fn.Signature()
		switch {
		case m.bounds(decl, sig):
		case sig.Results().Len() == 1 && isInterceptor(sig.Results().At(0).Type()) && m.returnsBounding(decl):
		default:
			continue
		}
		m.boundingFuncs.Set(fn, new(boundsCalls))
	}
	lint.Leave(pass)
	// Functions that return a connection dialled with such an interceptor
	// on every return (cerbos-sdk-go's MkConn), once the interceptors are
	// known, so that clients made on it in other packages are bounded too;
	// and functions that return dial options with one among them, on some
	// return (hatchet's retry.GRPCDialOptions(l, enabled): as for a
	// context given a deadline on one branch, a bound on some way counts).
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		lint.Enter(pass, decl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil {
			continue
		}
		switch sig := fn.Signature(); {
		case returnsConn(sig) && m.joinReturns(fn, 0, func(res ast.Expr, d *ast.FuncDecl) dial { return m.dialOf(res, d, 1) }).bounded,
			returnsDialOptions(sig) && m.dialFromOptions(m.returnedOptions(decl, 0, 1, make(map[*types.Var]bool)), decl, 1).bounded:
			m.boundingFuncs.Set(fn, new(boundsCalls))
		}
	}
	lint.Leave(pass)
	m.boundingFuncs.Export()
}

// returnsConn reports whether sig's first result is a connection.
func returnsConn(sig *types.Signature) bool {
	return sig.Results().Len() > 0 && isConn(sig.Results().At(0).Type())
}

// returnsBounding reports whether every return statement of decl returns a
// bounding interceptor.
func (m *Model) returnsBounding(decl *ast.FuncDecl) bool {
	n := 0
	for ret := range lint.Returns(decl.Body) {
		n++
		if len(ret.Results) != 1 || !m.boundingInterceptor(ret.Results[0], 0) {
			return false
		}
	}
	return n > 0
}
