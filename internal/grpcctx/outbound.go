package grpcctx

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// outboundParams is the fact of a function, or of an interface method,
// whose context parameters (by index) reach outbound work: work that
// leaves the process or waits, and that the context bounds. A call of it
// on a detached context runs that work on after the request is gone.
//
// Only positive evidence counts (see Model.Outbound): a context that is
// merely stored, logged or passed to a function whose body is unknown
// reaches nothing. For an interface method, the evidence is an
// implementation in the interface's own package whose method has the fact.
type outboundParams struct {
	Params []int
	Guards []OutboundGuard `json:",omitempty"`
}

func (*outboundParams) AFact() {}

func (f *outboundParams) String() string {
	if len(f.Guards) > 0 {
		return fmt.Sprintf("outboundParams(%v, guards %v)", f.Params, f.Guards)
	}
	return fmt.Sprintf("outboundParams(%v)", f.Params)
}

// An OutboundGuard says that context parameter Param reaches outbound work
// only under Guard: every piece of evidence in the body lies under
// if retry { ... }, if mode == modeRemote { ... } or case BlockAccess:
// (or after if !retry { return }), on a parameter the body never
// assigns. A call that passes a constant the guard rules out
// (GetOwner(ctx, pod, false): read the cache only) does no outbound work
// with that context.
type OutboundGuard struct {
	Param int
	Guard
}

func (g OutboundGuard) String() string {
	return fmt.Sprintf("%d if %v", g.Param, g.Guard)
}

// outboundPackages are the standard library packages whose context-taking
// functions and methods are outbound work as such: connections, requests,
// queries and processes. Their contexts are often stored in the value they
// make (http.NewRequestWithContext, exec.CommandContext) and observed
// later, which no walk of a body can follow.
var outboundPackages = map[string]bool{
	"net":                 true,
	"net/http":            true,
	"database/sql":        true,
	"database/sql/driver": true,
	"os/exec":             true,
	"crypto/tls":          true,
}

// listens reports whether fn is one of package net's listening functions
// (net.Listen's ListenConfig.Listen, ListenUnix's sysListener.listenUnix,
// ...): they bind a local socket, and the context only bounds that, so
// nothing outbound waits on it (kubevirt's device plugin that opens a unix
// socket for a container to connect to while serving Allocate).
func listens(fn *types.Func) bool {
	return fn.Pkg().Path() == "net" && (strings.HasPrefix(fn.Name(), "Listen") || strings.HasPrefix(fn.Name(), "listen"))
}

// Outbound reports whether a context passed for parameter index of the
// function call calls reaches outbound work:
//   - an outbound gRPC call (AsGRPCCall, or a method value of a client
//     method: MethodValueCall), or a call of a gRPC interceptor's handler,
//     invoker or streamer (the RPC itself);
//   - a function of one of the standard library's network, database and
//     process packages (net, net/http, database/sql, os/exec, crypto/tls),
//     but for net's listening functions (listens);
//     a call that makes an *http.Request carrying the context
//     (http.NewRequestWithContext, Request.WithContext, client-go's
//     newHTTPRequest) only where the same function sends that request
//     (Client.Do, a RoundTrip): client-go also builds requests only to ask
//     a proxy function for a URL;
//   - a function or method whose body passes that parameter (or a context
//     derived from it) to such work, in any package (the outboundParams
//     fact), or checks it without blocking inside a loop (ctx.Err(), or a
//     select with a default and a ctx.Done() case): work meant to stop when
//     the context ends, such as etcd's range over a million revisions;
//   - an interface method an implementation of which in the interface's
//     package, or in this one, has that fact, or one called on the result
//     of this package's constructor whose method has it.
//
// Anything else does not: a logger or telemetry call (log/slog, an
// OpenTelemetry Logger, a user's Logger interface), a call through a
// function value, an interface whose implementations are unknown (a mock,
// a wrapper), and a function that only waits on its context (a blocking
// select on ctx.Done() for a cache or a leader) or checks it once: a local
// wait carries nothing upstream. A network client of a dependency reaches net on its
// way to a connection (a dial), which is evidence enough.
func (m *Model) Outbound(call *ast.CallExpr, index int) bool {
	return m.outboundCall(call, index, true)
}

// outboundCall is Outbound, with this package's facts only if local.
func (m *Model) outboundCall(call *ast.CallExpr, index int, local bool) bool {
	if g, ok := AsGRPCCall(m.info, call); ok && index == 0 && g.Ctx != nil {
		return true
	}
	if tv, ok := m.info.Types[call.Fun]; ok && tv.Type != nil && isRPCFuncType(tv.Type) {
		return true
	}
	fn := lint.Callee(m.info, call)
	if fn == nil {
		_, _, ok := m.MethodValueCall(call) // call := c.Lookup; call(ctx, req); m[k](ctx, req)
		return ok && index == 0
	}
	if returnsRequest(m.info, call) {
		// The context travels in the request (http.NewRequestWithContext,
		// client-go's newHTTPRequest): outbound where the request is sent.
		return m.SentRequest(call)
	}
	fn = fn.Origin()
	if fn.Pkg() != nil && outboundPackages[fn.Pkg().Path()] {
		return !listens(fn)
	}
	if lint.IsFunc(fn, grpcPath, "DialContext") && fn.Signature().Recv() == nil {
		return index == 0 && m.blockingDial(call)
	}
	if slices.Contains(m.outboundOf(fn, local), index) {
		return !m.switchedOff(fn, call, index)
	}
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		if c := m.ConcreteMethod(call, m.enclosingFunc(call)); c != nil {
			return slices.Contains(m.outboundOf(c.Origin(), local), index)
		}
	}
	return false
}

// outboundOf returns fn's outboundParams: this package's if local, other
// packages' from their facts.
func (m *Model) outboundOf(fn *types.Func, local bool) []int {
	if fn.Pkg() == m.pkg && !local {
		return nil
	}
	if f, ok := m.outbound.Lookup(fn); ok {
		return f.Params
	}
	return nil
}

// isRPCFuncType reports whether t is one of the function types through
// which an interceptor runs the RPC it intercepts: grpc.UnaryHandler,
// grpc.UnaryInvoker, grpc.Streamer.
func isRPCFuncType(t types.Type) bool {
	return lint.IsNamed(t, grpcPath, "UnaryHandler") || lint.IsNamed(t, grpcPath, "UnaryInvoker") || lint.IsNamed(t, grpcPath, "Streamer")
}

// An outboundEdge says that fn's parameter param reaches outbound work if
// callee's parameter index does: fn passes it on to this package's
// function or interface method callee, or fn implements callee.
type outboundEdge struct {
	fn, callee   *types.Func
	param, index int
	call         *ast.CallExpr // the call of callee, for its guards; nil for an implementation
}

// findOutbound computes the outboundParams of this package's functions and
// interface methods (see Outbound) and exports them: first from the
// evidence in each body, then, to a fixed point, through calls to this
// package's functions and through implementations of its interfaces.
func (m *Model) findOutbound(pass *analysis.Pass) {
	// No one asks Outbound while the Model is built: m.outbound is filled
	// here, this package's facts to a fixed point.
	m.outbound = lint.NewFactTable[outboundParams](pass)
	m.outbound.ImportUses(func(fn *types.Func) bool { return len(ContextParams(fn.Origin().Signature())) > 0 })
	m.twins = make(map[*types.Func]*types.Func)
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		fn = fn.Origin()
		if len(ContextParams(fn.Signature())) == 0 {
			if tw := twinOf(fn); tw != nil && tw.Pkg() != pass.Pkg {
				outbound := outboundPackages[tw.Pkg().Path()] && !listens(tw)
				if fact, ok := m.outbound.Import(tw.Origin()); !outbound && ok {
					outbound = slices.Contains(fact.Params, 0)
				}
				if outbound {
					m.twins[fn] = tw
				}
			}
		}
	}
	// guards holds, for each (function, context parameter) with evidence,
	// the guards (on its flags) under which all the evidence
	// found so far lies; a nil entry: none.
	type param struct {
		fn *types.Func
		i  int
	}
	guards := make(map[param]map[int]Guard)
	add := func(fn *types.Func, i int) bool {
		f, ok := m.outbound.Local(fn)
		if ok && slices.Contains(f.Params, i) {
			return false
		}
		if !ok {
			f = new(outboundParams)
			m.outbound.Set(fn, f)
		}
		f.Params = append(f.Params, i)
		return true
	}
	// addGuarded adds evidence under the conditions g: the parameter
	// stays guarded only by what all its evidence has in common.
	addGuarded := func(fn *types.Func, i int, g map[int]Guard) bool {
		k := param{fn, i}
		added := add(fn, i)
		old, had := guards[k]
		switch {
		case added:
			guards[k] = g
			return true
		case !had || old == nil:
			return false
		}
		changed := false
		for flag, when := range old {
			if w, ok := g[flag]; !ok || !w.equal(when) {
				delete(old, flag)
				changed = true
			}
		}
		if len(old) == 0 {
			guards[k] = nil
		}
		return changed
	}
	var calls lint.List[outboundEdge] // context parameters passed to this package's functions
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		lint.Enter(pass, decl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil {
			continue
		}
		sig := fn.Signature()
		params := ContextParams(sig)
		if len(params) == 0 {
			continue
		}
		// paramOf says which of fn's context parameters ctx, an argument
		// in its body, comes from.
		paramOf := func(ctx ast.Expr) int {
			if v := m.contextVar(ast.Unparen(ctx)); v != nil && len(m.defs[v]) == 0 {
				if p, ok := m.params[v]; ok && p.fn == decl {
					return p.index // the parameter itself, never reassigned
				}
				return -1
			}
			o := m.Origin(ctx)
			if o.Var == nil || o.Root != Param && o.Root != Request {
				return -1
			}
			if p, ok := m.params[o.Var]; ok && p.fn == decl {
				return p.index
			}
			return -1
		}
		flags := NewGuardScan(pass.TypesInfo, decl)
		for c := range cur.Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			if x, ok := checksInLoop(pass.TypesInfo, c, decl); ok {
				if i := paramOf(x); i >= 0 {
					addGuarded(fn, i, flags.At(c))
				}
				continue
			}
			tv, ok := pass.TypesInfo.Types[call.Fun]
			if !ok || tv.IsType() || tv.Type == nil {
				continue
			}
			csig, ok := tv.Type.Underlying().(*types.Signature)
			if !ok {
				continue
			}
			args := lint.Args(pass.TypesInfo, call)
			for _, j := range ContextParams(csig) {
				if j >= len(args) || csig.Variadic() && j == csig.Params().Len()-1 {
					continue
				}
				i := paramOf(args[j])
				if i < 0 {
					continue
				}
				if m.outboundCall(call, j, false) {
					addGuarded(fn, i, flags.At(c))
				} else if callee := lint.Callee(pass.TypesInfo, call); callee != nil && callee.Origin().Pkg() == m.pkg {
					calls.Append(outboundEdge{fn: fn, param: i, callee: callee.Origin(), index: j, call: call})
				}
			}
		}
	}
	lint.Leave(pass)
	edges := append(calls.Slice(), m.implementationEdges(pass)...)
	// What a callee's guards switch off at a call (the constant passed for
	// its flag) passes no evidence on; what passes on is unguarded (a
	// guard on the caller's own flags is not followed through calls). A
	// guard only ever goes away, and rounds repeat while one does.
	guardsOf := func(fn *types.Func, i int) []OutboundGuard {
		var gs []OutboundGuard
		for _, g := range guards[param{fn, i}] {
			gs = append(gs, OutboundGuard{Param: i, Guard: g})
		}
		return gs
	}
	lint.Propagate(edges, func(e outboundEdge) bool {
		f, ok := m.outbound.Local(e.callee)
		if !ok || !slices.Contains(f.Params, e.index) {
			return false
		}
		if e.call != nil && offAt(pass.TypesInfo, e.call, guardsOf(e.callee, e.index), e.index) {
			return false
		}
		return addGuarded(e.fn, e.param, nil)
	})
	for fn, f := range m.outbound.All() {
		f.Guards = nil
		for _, i := range f.Params {
			f.Guards = append(f.Guards, guardsOf(fn, i)...)
		}
		slices.SortFunc(f.Guards, func(a, b OutboundGuard) int {
			return cmp.Or(cmp.Compare(a.Param, b.Param), cmp.Compare(a.Flag, b.Flag))
		})
	}
	// Twins within this package (net/http's Client.Get calls NewRequest),
	// once its own facts are known.
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() != pass.Pkg || len(ContextParams(fn.Signature())) > 0 {
			continue
		}
		if tw := twinOf(fn.Origin()); tw != nil && tw.Pkg() == pass.Pkg &&
			(outboundPackages[pass.Pkg.Path()] && !listens(tw) || slices.Contains(m.outboundOf(tw.Origin(), true), 0)) {
			m.twins[fn.Origin()] = tw
		}
	}
	for _, f := range m.outbound.All() {
		slices.Sort(f.Params)
	}
	m.outbound.Export()
}

// implementationEdges returns the edges from each context-taking method of
// this package's interfaces to the same method of this package's types
// that implement it: an interface method reaches outbound work when one
// of its implementations here does.
func (m *Model) implementationEdges(pass *analysis.Pass) []outboundEdge {
	ifaces, named := namedTypes(pass.Pkg)
	var withMethods []*types.Named
	for _, t := range named {
		if t.NumMethods() > 0 {
			withMethods = append(withMethods, t)
		}
	}
	index := lint.NewImplIndex(withMethods)
	var edges []outboundEdge
	for _, iface := range ifaces {
		it := iface.Underlying().(*types.Interface)
		var methods []*types.Func
		for im := range it.Methods() {
			if im.Pkg() == m.pkg && len(ContextParams(im.Signature())) > 0 {
				methods = append(methods, im)
			}
		}
		if len(methods) == 0 {
			continue
		}
		var impls []types.Type
		for _, n := range index.Candidates(it) {
			impls = append(impls, n, types.NewPointer(n))
		}
		for _, t := range impls {
			if !types.Implements(t, it) {
				continue
			}
			for _, im := range methods {
				obj, _, _ := types.LookupFieldOrMethod(t, false, im.Pkg(), im.Name())
				cm, ok := obj.(*types.Func)
				if !ok || cm.Pkg() != m.pkg {
					continue
				}
				for _, j := range ContextParams(im.Signature()) {
					edges = append(edges, outboundEdge{fn: im, param: j, callee: cm, index: j})
				}
			}
		}
	}
	return edges
}

// checksInLoop returns x when the call at cur is x.Err() on a context, or
// x.Done() as the receive of a case of a select that has a default, inside
// a for or range loop of decl: a check of x that does not block, made
// again and again while the function works.
func checksInLoop(info *types.Info, cur inspector.Cursor, decl *ast.FuncDecl) (ast.Expr, bool) {
	call := cur.Node().(*ast.CallExpr)
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) != 0 || !IsContext(info.TypeOf(sel.X)) {
		return nil, false
	}
	switch sel.Sel.Name {
	case "Err":
	case "Done":
		if !inSelectWithDefault(cur) {
			return nil, false
		}
	default:
		return nil, false
	}
	if inOwnLoop(cur) {
		return sel.X, true
	}
	return nil, false
}

// inOwnLoop reports whether cur lies in a loop of its own function. (Apart
// from checksInLoop, which runs for every call: a return from inside the
// range over Enclosing moves the results of the function around it to the
// heap, an allocation per call.)
func inOwnLoop(cur inspector.Cursor) bool {
	for c := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch c.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		}
		return false // the check is not in a loop of its own function
	}
	return false
}

// inSelectWithDefault reports whether the call at cur is the channel of a
// receive case (case <-x.Done():) of a select that has a default clause.
func inSelectWithDefault(cur inspector.Cursor) bool {
	recv, ok := cur.Parent().Node().(*ast.UnaryExpr)
	if !ok || recv.Op != token.ARROW {
		return false
	}
	for c := range cur.Enclosing((*ast.CommClause)(nil)) {
		clause := c.Node().(*ast.CommClause)
		if !encloses(clause.Comm, recv) {
			return false
		}
		sel, ok := c.Parent().Parent().Node().(*ast.SelectStmt)
		if !ok {
			return false
		}
		for _, cc := range sel.Body.List {
			if cc.(*ast.CommClause).Comm == nil {
				return true
			}
		}
		return false
	}
	return false
}

// encloses reports whether outer contains n.
func encloses(outer, n ast.Node) bool {
	return outer != nil && n.Pos() >= outer.Pos() && n.End() <= outer.End()
}

// ContextTwin returns the variant of fn that takes a context, when fn, a
// function of another package that takes none, has one (see twinOf) and
// the variant's context reaches outbound work: exec.Command's
// exec.CommandContext. A logger's Info and InfoContext are not twins of
// this kind: nothing upstream is lost. Only functions this package uses
// are known.
func (m *Model) ContextTwin(fn *types.Func) *types.Func { return m.twins[fn.Origin()] }

// twinOf returns the variant of fn, a function or method that takes no
// context, that does: the same name with a Context or WithContext suffix,
// in the same package or method set, whose parameters are a context.Context
// followed by fn's own (and perhaps a trailing variadic of options):
// exec.Command and exec.CommandContext, net.Dial and net.DialContext, an
// SDK's GetObject and GetObjectWithContext. Calling fn in handler scope
// leaves the work out of the RPC's reach.
func twinOf(fn *types.Func) *types.Func {
	if fn.Pkg() == nil || !fn.Exported() || fn.Pkg().Path() == "google.golang.org/grpc" {
		// grpc.Dial's twin DialContext is deprecated with it, and its
		// context matters only for a blocking dial.
		return nil
	}
	sig := fn.Signature()
	for _, suffix := range []string{"Context", "WithContext"} {
		name := fn.Name() + suffix
		var obj types.Object
		if recv := sig.Recv(); recv != nil {
			obj, _, _ = types.LookupFieldOrMethod(recv.Type(), true, fn.Pkg(), name)
		} else {
			obj = fn.Pkg().Scope().Lookup(name)
		}
		tw, ok := obj.(*types.Func)
		if ok && twinSignature(sig, tw.Signature()) {
			return tw
		}
	}
	return nil
}

// twinSignature reports whether tw's parameters are a context.Context
// followed by sig's, and perhaps one more variadic, and the results match.
func twinSignature(sig, tw *types.Signature) bool {
	p, q := sig.Params(), tw.Params()
	extra := q.Len() - 1 - p.Len()
	if q.Len() == 0 || !IsContext(q.At(0).Type()) || extra < 0 || extra > 1 || extra == 1 && !tw.Variadic() {
		return false
	}
	for i := range p.Len() {
		if !types.Identical(p.At(i).Type(), q.At(i+1).Type()) {
			return false
		}
	}
	return types.Identical(sig.Results(), tw.Results())
}

// SentRequest reports whether the *http.Request that call returns (any
// call that makes one, with or without a context) is sent in the
// function around it: passed to (*http.Client).Do or to a RoundTrip
// method, directly or through the variable it is stored in. A request that
// is only built (to ask a proxy function for a URL) does no outbound work.
func (m *Model) SentRequest(call *ast.CallExpr) bool {
	cur, ok := m.Cursor(call)
	if !ok {
		return false
	}
	if p, ok := cur.Parent().Node().(*ast.CallExpr); ok && isSend(m.info, p) {
		return true // hc.Do(req.WithContext(ctx))
	}
	var v types.Object
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && p.Rhs[0] == call && len(p.Lhs) > 0 {
			if id, ok := p.Lhs[0].(*ast.Ident); ok {
				v = m.info.ObjectOf(id)
			}
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && p.Values[0] == call && len(p.Names) > 0 {
			v = m.info.ObjectOf(p.Names[0])
		}
	}
	fn := m.enclosingFunc(call)
	if v == nil || fn == nil {
		return false
	}
	return m.sentInFunc(fn)[v]
}

// sentInFunc returns the variables that fn passes to a send
// ((*http.Client).Do, RoundTrip), computed once per function: a function
// that builds many requests is walked once, not once per request.
func (m *Model) sentInFunc(fn ast.Node) map[types.Object]bool {
	if sent, ok := m.cache.sent.get(fn); ok {
		return sent
	}
	sent := make(map[types.Object]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && isSend(m.info, c) {
			for _, a := range c.Args {
				if id, ok := ast.Unparen(a).(*ast.Ident); ok {
					if obj := m.info.Uses[id]; obj != nil {
						sent[obj] = true
					}
				}
			}
		}
		return true
	})
	m.cache.sent.set(fn, sent)
	return sent
}

// returnsRequest reports whether call's first result is an *http.Request.
func returnsRequest(info *types.Info, call *ast.CallExpr) bool {
	t := info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		if tuple.Len() == 0 {
			return false
		}
		t = tuple.At(0).Type()
	}
	return t != nil && isPointerTo(t, "net/http", "Request")
}

// isSend reports whether call sends an HTTP request: (*http.Client).Do, or
// a RoundTrip method taking an *http.Request.
func isSend(info *types.Info, call *ast.CallExpr) bool {
	fn := lint.Callee(info, call)
	if fn == nil || fn.Signature().Recv() == nil {
		return false
	}
	if lint.IsMethodOf(fn, "net/http", "Client", "Do") {
		return true
	}
	params := fn.Signature().Params()
	return fn.Name() == "RoundTrip" && params.Len() == 1 && isPointerTo(params.At(0).Type(), "net/http", "Request")
}

// switchedOff reports whether call, of fn, passes for a flag that guards
// its context parameter index the constant that skips the outbound work.
func (m *Model) switchedOff(fn *types.Func, call *ast.CallExpr, index int) bool {
	f, ok := m.outbound.Lookup(fn)
	return ok && offAt(m.info, call, f.Guards, index)
}

// offAt reports whether one of gs, for context parameter index, is
// switched off by the constant call passes for its flag.
func offAt(info *types.Info, call *ast.CallExpr, gs []OutboundGuard, index int) bool {
	for _, g := range gs {
		if g.Param == index && g.Off(info, call) {
			return true
		}
	}
	return false
}

// blockingDial reports whether call, a grpc.DialContext, is given an
// option that makes it wait for the connection (WithBlock,
// WithReturnConnectionError, FailOnNonTempDialError), followed as the
// connection rules follow options. Without one the dial returns at once
// and connects in the background, and its context bounds nothing the
// request waits for: grpc's own Dial, DialContext(context.Background(),
// target, opts...), is no detached outbound call, nor a provider that
// dials once and caches the connection (armada's leader proxy, round 6's
// R8 shape); the RPCs on the connection carry their own contexts.
func (m *Model) blockingDial(call *ast.CallExpr) bool {
	fn := m.enclosingFunc(call)
	for _, a := range call.Args[min(2, len(call.Args)):] {
		for _, opt := range m.dialOptions(a, fn, 0, 1) {
			if callee := lint.Callee(m.info, opt); callee != nil && lint.IsFunc(callee, grpcPath, "WithBlock", "WithReturnConnectionError", "FailOnNonTempDialError") {
				return true
			}
		}
	}
	return false
}
