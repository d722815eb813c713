package ctxdetach

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

//go:embed doc.go
var doc []byte

// Analyzer reports outbound calls in gRPC handler scope that receive a
// context detached from the request. It uses the default Config.
var Analyzer = New(Config{})

// Config holds ctxdetach's settings. The zero value is the default.
type Config struct {
	// CtxFuncs also checks every function that has a context.Context
	// parameter, taking that parameter as its request context.
	CtxFuncs bool `json:"ctx-funcs,omitempty"`
}

// New returns a ctxdetach analyzer with its own settings, bound to its own
// flags (-ctxdetach.ctx-funcs), so that no state is shared between
// instances.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{cfg: cfg}
	a := &analysis.Analyzer{
		Name:      "ctxdetach",
		Doc:       analyzerdoc.Extract(doc, "ctxdetach"),
		URL:       analyzerdoc.URL("ctxdetach"),
		Requires:  []*analysis.Analyzer{grpcctx.Analyzer, lint.Analyzer},
		FactTypes: []analysis.Fact{new(detachedCall), new(handoffParams), new(keepsParams)},
		Run:       c.run,
	}
	a.Flags.BoolVar(&c.cfg.CtxFuncs, "ctx-funcs", cfg.CtxFuncs,
		"also check every function that has a context.Context parameter")
	return a
}

// detachedCall is the fact of a function that takes no context yet makes an
// outbound call on a detached context: directly, or through another function
// with this fact.
type detachedCall struct {
	Call string        // the outbound call, as written ("c.Lookup")
	Root string        // "context.Background()" or "context.TODO()"
	At   lint.Location // where the outbound call is
	// Own: the function belongs to the module under analysis, so it can be
	// given a context parameter; else (the standard library, a dependency)
	// the remedy is a variant that takes one.
	Own bool
	// Twin, when set, is the variant of Call that takes a context
	// ("exec.CommandContext"): Call takes none, so nothing can cancel it.
	// Root is empty then.
	Twin string
	// Ignores: the function takes a context and never uses it (the
	// model's ContextIgnoringDecl): its callers pass one that it drops.
	Ignores bool
	// Bounded: every such call the function makes (directly or through
	// the functions it inherits the fact from) is on a detached context
	// with a deadline on every path (Background plus a timeout): work
	// with a lifetime of its own, which a goroutine that outlives the
	// RPC may run (see boundedBackground).
	Bounded bool
	// RPC, when the call is a unary gRPC client call, is its method name
	// and message types, "Get(*pkg.Req) *pkg.Resp" (see rpcOf): a handler
	// of that same RPC that reaches the call through an interface method
	// of that name is the adapter pattern (see selfStub), not a detached
	// upstream call.
	RPC string
	// Guards are the conditions on the function's flags under which every
	// such call lies (createVolume's exec under case BlockAccess): a call
	// that passes a constant one of them rules out reaches none.
	Guards []grpcctx.Guard `json:",omitempty"`
}

func (*detachedCall) AFact() {}

func (f *detachedCall) String() string {
	ignores := ""
	if f.Ignores {
		ignores = ", ignoring its context"
	}
	if f.Bounded {
		ignores += ", bounded"
	}
	if len(f.Guards) > 0 {
		ignores += fmt.Sprintf(", if %v", f.Guards)
	}
	if f.Twin != "" {
		return fmt.Sprintf("detachedCall(%s without a context, not %s, at %s%s)", f.Call, f.Twin, f.At, ignores)
	}
	return fmt.Sprintf("detachedCall(%s on %s at %s%s)", f.Call, f.Root, f.At, ignores)
}

// what renders the fact's call for messages.
func (f *detachedCall) what() string {
	if f.Twin != "" {
		return f.Call + ", which takes no context"
	}
	return f.Call + " on " + f.Root
}

// handoffParams is the fact of a function whose context parameters (by
// index) are used only inside goroutines the function starts: it hands the
// context over as the lifetime of background work (a monitor that stops on
// ctx.Done()) and makes no call on it itself. Passing such a function
// context.Background() means "run until stopped otherwise", not an
// outbound call cut off from the request.
type handoffParams struct {
	Params []int
}

func (*handoffParams) AFact() {}

func (f *handoffParams) String() string {
	return fmt.Sprintf("handoffParams(%v)", f.Params)
}

type checker struct {
	cfg Config
	// funcs indexes the handlers' functions for their fixes; one run's.
	funcs map[ast.Node]*funcIndex
	// contextUses caches each file's import of package context; one run's.
	contextUses map[*token.File]*contextImport
	// dropping caches drops' answers; one run's.
	dropping map[*grpcctx.Handler]*types.Var
	// caches indexes functions for fillsCache; one run's.
	caches map[ast.Node]*cacheIndex
}

// A finding is an outbound call on a detached context, or a call to a
// function with the detachedCall fact.
type finding struct {
	call   *ast.CallExpr
	arg    ast.Expr         // the detached context argument; nil for a helper call
	origin grpcctx.Origin   // of arg
	callee *types.Func      // the helper, for helper calls
	fact   *detachedCall    // the helper's fact
	twin   *types.Func      // for a call that takes no context, its variant that does
	fn     ast.Node         // enclosing FuncDecl or FuncLit
	cur    inspector.Cursor // of call
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[grpcctx.Analyzer].(*grpcctx.Model)
	if m.Light() {
		c.lightFacts(pass)
		return nil, nil
	}
	in := m.Inspector()
	lives := lifetimes{handoffs: exportHandoffs(pass, in), keeps: exportKeeps(pass, m)}
	c = &checker{cfg: c.cfg, dropping: make(map[*grpcctx.Handler]*types.Var), caches: make(map[ast.Node]*cacheIndex)} // this run's state
	var outlives []outlived

	facts := lint.NewFactTable[detachedCall](pass) // this package's, once computed
	var found lint.List[finding]                   // calls given a detached context, or calls of functions with a fact
	var helpers lint.List[finding]                 // static calls to this package's functions
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		lint.Enter(pass, call)
		fn := lint.EnclosingFuncOf(cur)
		if fn == nil {
			continue // package-level initializer
		}
		// Cheap first: only calls in handler scope or directly in a
		// function that takes no context can give a finding or a fact.
		if m.HandlerOf(fn) == nil && m.ContextFreeDecl(fn) == nil && m.ContextIgnoringDecl(fn) == nil &&
			!(c.cfg.CtxFuncs && inContextScope(m, cur)) {
			continue
		}
		var dropped *types.Var // the request message of a handler that drops its context
		if h := m.HandlerOf(fn); h != nil && !lint.InGoStmt(cur, h.Func) {
			dropped = c.drops(pass, h)
		}
		if arg, o, ok := detachedArg(pass, m, call, lives, dropped); ok {
			found.Append(finding{call: call, arg: arg, origin: o, fn: fn, cur: cur})
			continue
		}
		if h := m.HandlerOf(fn); h != nil {
			if arg, ok := c.outlivedArg(pass, m, h, call, cur); ok {
				outlives = append(outlives, outlived{call: call, arg: arg, h: h})
				continue
			}
		}
		callee := typeutil.StaticCallee(pass.TypesInfo, call)
		if callee == nil {
			callee = interfaceMethod(pass.TypesInfo, call) // judged by its implementations' facts
		}
		if callee == nil {
			continue
		}
		callee = callee.Origin()
		f := finding{call: call, callee: callee, fn: fn, cur: cur}
		if grpcctx.TakesContext(callee.Signature()) {
			// A function that ignores the context it is given.
			if callee.Pkg() == pass.Pkg {
				if m.IgnoresContext(callee) {
					helpers.Append(f)
				}
			} else if fact, ok := facts.Lookup(callee); ok && fact.Ignores {
				f.fact = fact
				found.Append(f)
			}
			continue
		}
		if selfProbe(pass.TypesInfo, call, fn) {
			continue // a fixed command probing its environment: see selfProbe
		}
		if tw := m.ContextTwin(callee); tw != nil && callee.Pkg() == pass.Pkg && (!grpcctx.ReturnsContextCarrier(pass.TypesInfo, call) || m.SentRequest(call)) {
			f.twin = tw // this package's own pair (net/http's NewRequest)
			found.Append(f)
		} else if callee.Pkg() == pass.Pkg {
			helpers.Append(f)
		} else if fact, ok := facts.Lookup(callee); ok {
			f.fact = fact
			found.Append(f)
		} else if tw := m.ContextTwin(callee); tw != nil && (!grpcctx.ReturnsContextCarrier(pass.TypesInfo, call) || m.SentRequest(call)) {
			// A request built without a context counts where it is sent.
			f.twin = tw
			found.Append(f)
		}
	}
	lint.Leave(pass)

	findings, helperCalls := found.Slice(), helpers.Slice()
	c.exportFacts(pass, m, findings, helperCalls, facts)
	for _, f := range helperCalls {
		if fact, ok := facts.Local(f.callee); ok {
			f.fact = fact
			findings = append(findings, f)
		}
	}
	slices.SortFunc(findings, func(a, b finding) int { return lint.ComparePos(pass.Fset, a.call.Pos(), b.call.Pos()) })
	for _, f := range findings {
		lint.Enter(pass, f.call)
		if (f.fact != nil || f.twin != nil) && recontexted(pass.TypesInfo, f) {
			continue
		}
		if f.fact != nil && grpcctx.SwitchedOff(pass.TypesInfo, f.call, f.fact.Guards) {
			continue // the constant passed rules the detached call out
		}
		if h := c.scopeOf(m, f); h != nil && !boundedBackground(h, f) && !selfStub(pass.TypesInfo, h, f) && !lazyFill(pass.TypesInfo, f.cur) && !c.fillsCache(pass.TypesInfo, f.cur) && !lint.InDeferStmt(f.cur, h.Func) {
			c.report(pass, m, h, f)
		}
	}
	for _, o := range outlives {
		lint.Enter(pass, o.call)
		c.reportOutlived(pass, m, o)
	}
	lint.Leave(pass)
	return nil, nil
}

// boundedBackground reports whether f is a call in a goroutine that the
// handler starts, on a detached context given a deadline on every path:
// best-effort work after the RPC (refreshing a cache, a retry after a
// failed stream) detached on purpose and bounded by its own timeout. The
// documented idiom, context.WithTimeout(context.WithoutCancel(ctx), d),
// also keeps the request's values; the bare form is not worth a finding.
func boundedBackground(h *grpcctx.Handler, f finding) bool {
	if f.twin != nil || !lint.InGoStmt(f.cur, h.Func) {
		return false
	}
	if f.fact != nil {
		return f.fact.Bounded // every detached call the helper reaches has its own deadline
	}
	return f.origin.Deadline
}

// selfStub reports whether f is a call, in the unary handler h, of an
// interface method whose detachedCall fact is a gRPC call of h's own RPC
// (the method's name, the same as the handler's and the interface
// method's, and its request and response types): the adapter pattern of plugin
// systems, where a server adapter's Impl field holds the real
// implementation behind the same interface as the remote stub that
// forwards each method to the generated client (hashicorp/go-plugin's
// GRPCServer.Get calls Impl.Get; GRPCClient.Get is the only
// implementation in view and calls client.Get). The stub is what the
// other side of the connection holds; were it the handler's Impl, the
// handler would call itself. A direct call of the same RPC (a proxy
// forwarding upstream) is not an interface call and stays reported.
func selfStub(info *types.Info, h *grpcctx.Handler, f finding) bool {
	if f.fact == nil || f.fact.RPC == "" || f.callee == nil || h.Kind != grpcctx.Unary {
		return false
	}
	if recv := f.callee.Signature().Recv(); recv == nil || !types.IsInterface(recv.Type()) {
		return false
	}
	decl, ok := h.Func.(*ast.FuncDecl)
	if !ok || decl.Recv == nil || decl.Name.Name != f.callee.Name() {
		return false
	}
	sig := grpcctx.Signature(info, h.Func)
	if sig == nil || sig.Params().Len() != 2 || sig.Results().Len() != 2 {
		return false
	}
	return f.fact.RPC == rpcName(decl.Name.Name, sig.Params().At(1).Type(), sig.Results().At(0).Type())
}

// rpcOf returns the message types of call, a unary gRPC client call
// (ctx, *Req, ...grpc.CallOption) (*Resp, error), or "".
func rpcOf(info *types.Info, call *ast.CallExpr) string {
	g, ok := grpcctx.AsGRPCCall(info, call)
	if !ok || g.Stream || g.Method == nil {
		return ""
	}
	sig := g.Method.Signature()
	if sig.Params().Len() != 3 || sig.Results().Len() != 2 {
		return "" // ClientConn.Invoke and other shapes: no message types
	}
	return rpcName(g.Method.Name(), sig.Params().At(1).Type(), sig.Results().At(0).Type())
}

// rpcName renders an RPC's method name and its request and response
// types, package paths in full, for comparison across packages.
func rpcName(method string, req, resp types.Type) string {
	return method + "(" + types.TypeString(req, nil) + ") " + types.TypeString(resp, nil)
}

// lifetimes are the facts of functions whose context parameters are the
// lifetime of something beyond the call: background work (handoffParams)
// or a value they return (keepsParams).
type lifetimes struct {
	handoffs *lint.FactTable[handoffParams, *handoffParams]
	keeps    *lint.FactTable[keepsParams, *keepsParams]
}

// detachedArg returns the first context argument of call that is
// detached. Not counted: a detached context whose cancel function is kept
// by an object (Origin.Owned: its lifetime is managed there, on purpose)
// or that a helper made to be detached (Origin.Factory), an argument for a
// parameter the callee only hands to goroutines (handoffParams: the
// lifetime of background work) or keeps in the value it returns, where
// the caller keeps that value too (keepsParams and Model.ResultKept: a
// container stored for later RPCs), and an argument of a callee that only
// reads values from it (grpcctx's readsValues).
//
// dropped, when not nil, is the request message of the unary handler in
// whose flow (not a goroutine) call lies, a handler that never uses its
// request context (cockroachdb/cockroach#5551: Node.Batch ran the batch
// on n.context(), a Background context with the node's tags). There
// nothing was detached from the request on purpose: it was dropped. So a
// Factory's context counts; and so does a call without evidence of
// outbound work that is handed the request message itself (the RPC's
// work, delegated whole: a store's Send(ctx, req)) and does fallible work
// (it returns an error, as a logger's Info does not) and is not known to
// read only values. A kept cancel function still means a lifetime of its
// own.
func detachedArg(pass *analysis.Pass, m *grpcctx.Model, call *ast.CallExpr, lives lifetimes, dropped *types.Var) (ast.Expr, grpcctx.Origin, bool) {
	uses := grpcctx.ContextArgs(pass.TypesInfo, call)
	if len(uses) == 0 {
		return nil, grpcctx.Origin{}, false
	}
	var handoff, keeps []int
	if callee := typeutil.StaticCallee(pass.TypesInfo, call); callee != nil {
		if fact, ok := lives.handoffs.Lookup(callee.Origin()); ok {
			handoff = fact.Params
		}
		if fact, ok := lives.keeps.Lookup(callee.Origin()); ok {
			keeps = fact.Params
		}
	}
	for _, use := range uses {
		if slices.Contains(handoff, use.Index) {
			continue // background work's lifetime
		}
		if slices.Contains(keeps, use.Index) && m.ResultKept(call) {
			continue // the lifetime of a value the caller keeps
		}
		if !m.Outbound(call, use.Index) && !(dropped != nil && delegates(pass.TypesInfo, call, dropped) && !m.ReadsOnlyValues(use.Fn)) {
			continue // not outbound work (a logger, a value lookup, an unknown interface)
		}
		if o := m.Origin(use.Arg); o.Root == grpcctx.Detached && !o.Owned && (!o.Factory || dropped != nil) {
			return use.Arg, o, true
		}
	}
	return nil, grpcctx.Origin{}, false
}

// exportHandoffs finds this package's functions whose context parameters
// are used only inside goroutines they start, exports their handoffParams
// facts and returns them. Only declarations with a go statement are
// looked at.
func exportHandoffs(pass *analysis.Pass, in *inspector.Inspector) *lint.FactTable[handoffParams, *handoffParams] {
	out := lint.NewFactTable[handoffParams](pass)
	seen := make(map[*ast.FuncDecl]bool)
	for g := range in.Root().Preorder((*ast.GoStmt)(nil)) {
		var decl *ast.FuncDecl
		var declCur inspector.Cursor
		for c := range g.Enclosing((*ast.FuncDecl)(nil)) {
			decl, declCur = c.Node().(*ast.FuncDecl), c
		}
		if decl == nil || seen[decl] {
			continue
		}
		seen[decl] = true
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok {
			continue
		}
		var params []int
		sig := fn.Signature()
		for _, i := range grpcctx.ContextParams(sig) {
			if onlyInGoroutines(pass.TypesInfo, declCur, sig.Params().At(i)) {
				params = append(params, i)
			}
		}
		if len(params) > 0 {
			out.Set(fn, &handoffParams{Params: params})
		}
	}
	out.Export()
	return out
}

// onlyInGoroutines reports whether v is used in the declaration at decl,
// and only inside go statements.
func onlyInGoroutines(info *types.Info, decl inspector.Cursor, v *types.Var) bool {
	if v.Name() == "_" || v.Name() == "" {
		return false
	}
	used := false
	for c := range decl.Preorder((*ast.Ident)(nil)) {
		if info.Uses[c.Node().(*ast.Ident)] != v {
			continue
		}
		inGo := false
		for range c.Enclosing((*ast.GoStmt)(nil)) {
			inGo = true
			break
		}
		if !inGo {
			return false
		}
		used = true
	}
	return used
}

// lightFacts computes the detachedCall facts of a Light package, which
// uses no context: its functions can only inherit the fact through calls,
// made directly in their bodies, to functions that have it (net/http's Get
// for one). It is exportFacts for a package with no outbound call of its
// own, found by a walk of the function bodies instead of the inspector
// the Model does not build; it does not even walk when no function of
// another package it refers to has a detachedCall fact.
func (c *checker) lightFacts(pass *analysis.Pass) {
	facts := lint.NewFactTable[detachedCall](pass)
	facts.ImportUses(func(*types.Func) bool { return true })
	if facts.Imported() == 0 {
		return
	}
	var findings, helperCalls []finding
	for _, file := range pass.Files {
		for _, d := range file.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil || grpcctx.ContextFreeDecl(pass.TypesInfo, decl) == nil {
				continue
			}
			ast.Inspect(decl.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false // its calls are not the declaration's
				case *ast.CallExpr:
					callee := typeutil.StaticCallee(pass.TypesInfo, n)
					if callee == nil || grpcctx.TakesContext(callee.Signature()) {
						break
					}
					callee = callee.Origin()
					f := finding{call: n, callee: callee, fn: decl}
					if callee.Pkg() == pass.Pkg {
						helperCalls = append(helperCalls, f)
					} else if fact, ok := facts.Lookup(callee); ok {
						f.fact = fact
						findings = append(findings, f)
					}
				}
				return true
			})
		}
	}
	c.exportFacts(pass, nil, findings, helperCalls, facts)
}

// exportFacts computes the detachedCall facts of this package's functions
// that take no context: first from their own outbound calls, then, to a
// fixed point, from calls to other such functions. Only calls directly in a
// function's body count; function literals may run later or not at all.
//
// A method of this package's interface that takes no context gets the
// fact when every method that may run for it here (the model's
// Implementations; m is nil for a Light package) has it (dapr/dapr#2716:
// the handler called a component's ctx-less Set, whose one implementation
// called its gRPC client on the component's context.Background()). One
// implementation without it (a cache, a fake, a store on the caller's
// context) keeps the interface's calls silent.
func (c *checker) exportFacts(pass *analysis.Pass, m *grpcctx.Model, findings, helperCalls []finding, facts *lint.FactTable[detachedCall, *detachedCall]) {
	declOf := func(fn ast.Node) *types.Func {
		if d := grpcctx.ContextFreeDecl(pass.TypesInfo, fn); d != nil || m == nil {
			return d
		}
		return m.ContextIgnoringDecl(fn)
	}
	// add sets fn's fact, saying whether fn ignores a context it takes.
	// A fact that is Bounded gives way to one that is not, so that
	// Bounded holds for every detached call of fn (it changes a fact at
	// most once: the fixed point below still ends).
	// Its guards are those all its evidence shares: they only ever go
	// away, so this too changes a fact a bounded number of times.
	add := func(fn *types.Func, fact *detachedCall) bool {
		f := *fact
		f.Ignores = m != nil && m.IgnoresContext(fn)
		old, ok := facts.Local(fn)
		if !ok {
			return facts.Add(fn, &f)
		}
		guards := grpcctx.IntersectGuards(old.Guards, f.Guards)
		switch {
		case old.Bounded && !f.Bounded:
			f.Guards = guards
			facts.Set(fn, &f)
			return true
		case len(guards) < len(old.Guards):
			o := *old
			o.Guards = guards
			facts.Set(fn, &o)
			return true
		}
		return false
	}
	// guardsAt returns the guards, on the flags of the function around f,
	// under which f's call runs; once per call, however many rounds ask.
	scans := make(map[*ast.FuncDecl]*grpcctx.GuardScan)
	callGuards := make(map[*ast.CallExpr][]grpcctx.Guard)
	guardsAt := func(f finding) []grpcctx.Guard {
		decl, ok := f.fn.(*ast.FuncDecl)
		if !ok || f.cur.Inspector() == nil {
			return nil // a function literal's call; a Light package's (no cursor): none
		}
		if gs, ok := callGuards[f.call]; ok {
			return gs
		}
		scan, ok := scans[decl]
		if !ok {
			scan = grpcctx.NewGuardScan(pass.TypesInfo, decl)
			scans[decl] = scan
		}
		gs := grpcctx.SortedGuards(scan.At(f.cur))
		callGuards[f.call] = gs
		return gs
	}
	// inherit returns fact, of a callee of f, as evidence for f's function:
	// nil where the constants f passes rule the callee's calls out.
	inherit := func(f finding, fact *detachedCall) *detachedCall {
		if grpcctx.SwitchedOff(pass.TypesInfo, f.call, fact.Guards) {
			return nil
		}
		g := withOwn(fact, grpcctx.InMainModule(pass))
		g.Guards = guardsAt(f) // the callee's own guards are not followed through the call
		return g
	}
	for _, f := range findings {
		fn := declOf(f.fn)
		if fn == nil || c.fillsCache(pass.TypesInfo, f.cur) {
			continue // the cache's work, not its callers' (see fillsCache)
		}
		if f.fact != nil {
			if fact := inherit(f, f.fact); fact != nil {
				add(fn, fact)
			}
		} else if f.twin != nil {
			add(fn, &detachedCall{
				Call:   lint.FuncName(f.callee),
				Twin:   lint.FuncName(f.twin),
				At:     lint.LocationOf(pass.Fset, f.call.Pos()),
				Own:    grpcctx.InMainModule(pass),
				Guards: guardsAt(f),
			})
		} else {
			add(fn, &detachedCall{
				Call:    types.ExprString(f.call.Fun),
				Root:    f.origin.RootText(),
				At:      lint.LocationOf(pass.Fset, f.call.Pos()),
				Own:     grpcctx.InMainModule(pass),
				Bounded: f.origin.Deadline,
				RPC:     rpcOf(pass.TypesInfo, f.call),
				Guards:  guardsAt(f),
			})
		}
	}
	var ifaceMethods []*types.Func
	if m != nil {
		ifaceMethods = m.InterfaceMethods()
	}
	for changed := true; changed; {
		lint.Propagate(helperCalls, func(f finding) bool {
			fn := declOf(f.fn)
			fact, ok := facts.Local(f.callee)
			if fn == nil || !ok || c.fillsCache(pass.TypesInfo, f.cur) {
				return false
			}
			if fact = inherit(f, fact); fact == nil {
				return false
			}
			return add(fn, fact)
		})
		changed = false
		for _, im := range ifaceMethods {
			if grpcctx.TakesContext(im.Signature()) {
				continue
			}
			impls := m.Implementations(im)
			all := len(impls) > 0
			var rep *detachedCall // an unbounded implementation's fact, if any
			rpc, sameRPC := "", true
			for i, cm := range impls {
				fact, ok := facts.Local(cm)
				all = all && ok
				if !ok {
					continue
				}
				if rep == nil || rep.Bounded && !fact.Bounded {
					rep = fact
				}
				if i == 0 {
					rpc = fact.RPC
				}
				sameRPC = sameRPC && fact.RPC == rpc
			}
			if all {
				f := *rep
				f.Guards = nil // an implementation's flags are not the interface's
				if !sameRPC {
					f.RPC = "" // the implementations call different RPCs
				}
				changed = add(im, &f) || changed
			}
		}
	}
	facts.Export()
}

// scopeOf returns the handler whose scope the finding lies in: the model's
// handler scope, or, with -ctx-funcs, the nearest enclosing function with a
// context parameter.
// inContextScope reports whether a function around cur takes a context:
// scopeOf's answer is not nil, under -ctxdetach.ctx-funcs, for a call in
// a function that is not a handler. It is asked of every call and
// allocates nothing (scopeOf makes a Handler).
func inContextScope(m *grpcctx.Model, cur inspector.Cursor) bool {
	for c := cur; c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			if m.TakesContext(n) {
				return true
			}
		}
	}
	return false
}

func (c *checker) scopeOf(m *grpcctx.Model, f finding) *grpcctx.Handler {
	if h := m.HandlerOf(f.fn); h != nil {
		return h
	}
	if !c.cfg.CtxFuncs {
		return nil
	}
	for cur := range f.cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if h := m.ContextFunc(cur.Node()); h != nil {
			return h
		}
	}
	return nil
}

func (c *checker) report(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, f finding) {
	var fixes []fix
	if f.fact == nil {
		fixes = c.fix(pass, m, h, f)
	}
	// The remedy names the expression the fix uses, else the one request
	// context in scope at the call, else stays generic.
	use, ok := m.RequestContextExpr(h, f.call)
	if len(fixes) > 0 {
		use = fixes[0].want
	} else if !ok {
		use = "the request context"
	}
	use, suffix, outlives := c.lifetime(m, h, f, use, ok || len(fixes) > 0)
	if f.twin != nil {
		lint.Report(pass, analysis.Diagnostic{
			Pos:      f.call.Fun.Pos(),
			End:      f.call.Fun.End(),
			Category: CategoryContextVariant,
			Message: fmt.Sprintf("call to %s in %s takes no context, so the RPC's cancellation and deadline never reach it; call %s with %s%s",
				lint.FuncName(f.callee), h.Describe(), lint.FuncName(f.twin), use, suffix),
		})
		return
	}
	if f.fact != nil {
		name := types.ExprString(f.call.Fun)
		remedy := helperRemedy(f.fact, f.callee, use)
		switch {
		case f.fact.Ignores && f.fact.Own && f.fact.Twin != "":
			remedy = fmt.Sprintf("make %s call %s with the context it is given", f.callee.Name(), f.fact.Twin)
		case f.fact.Ignores && f.fact.Own:
			remedy = fmt.Sprintf("make %s use the context it is given, not %s", f.callee.Name(), f.fact.Root)
		case f.fact.Ignores:
			remedy = fmt.Sprintf("%s ignores the context it is given; call a function that uses it", f.callee.Name())
		case f.fact.Twin != "" && f.fact.Own:
			remedy = fmt.Sprintf("give %s a context parameter, pass %s and call %s with it", f.callee.Name(), use, f.fact.Twin)
		}
		if f.fact.Ignores && outlives {
			remedy += ", and pass it " + use
		}
		remedy += suffix
		lint.Report(pass, analysis.Diagnostic{
			Pos:      f.call.Fun.Pos(),
			End:      f.call.Fun.End(),
			Category: CategoryDetachedHelper,
			Message: fmt.Sprintf("call to %s in %s reaches %s (%s), so the RPC's cancellation and deadline never reach it; %s",
				name, h.Describe(), f.fact.what(), f.fact.At, remedy),
			Related: []analysis.RelatedInformation{{
				Pos:     f.fact.At.Pos(pass.Fset, f.callee.Pos()),
				Message: "outbound call " + f.fact.what(),
			}},
		})
		return
	}
	remedy := "pass " + use
	if outlives {
		remedy = "use " + use
	}
	remedy += suffix
	d := analysis.Diagnostic{
		Pos:      f.arg.Pos(),
		End:      f.arg.End(),
		Category: CategoryDetachedCall,
		Message: fmt.Sprintf("call to %s in %s uses %s, not the request context, so the RPC's cancellation and deadline never reach it; %s",
			types.ExprString(f.call.Fun), h.Describe(), f.origin.Describe(f.arg), remedy),
	}
	if at := f.origin.At; at != nil && at != f.arg {
		d.Related = []analysis.RelatedInformation{{Pos: at.Pos(), End: at.End(), Message: f.origin.RootText() + " is called here"}}
	}
	for _, fx := range fixes {
		d.SuggestedFixes = append(d.SuggestedFixes, fx.SuggestedFix)
	}
	lint.Report(pass, d)
}

// lifetime returns the context a report's remedy names (use, or the
// detached form below) and what the remedy adds, for the lifetime the work
// at f needs; known says whether use is an expression (else the remedy
// names ctx). outlives is true in a goroutine that a unary handler starts
// and does not wait for (Model.HandlerWaits): gRPC cancels the request
// context when the handler returns, so passing it would cut the work off
// (appleboy/gorush#789); the remedy is
// context.WithTimeout(context.WithoutCancel(ctx), ...) alone. In another
// goroutine it is either, depending on whether the handler waits for it.
// In the handler's flow, where the detached context looks deliberate (it
// has a deadline of its own, or a function given the request context
// replaced it with context.Background()), the remedy names the detached
// form too: the work may be meant to finish after the caller gives up
// (a multi-step mutation), which WithoutCancel says, keeping the
// request's values; the analyzer cannot tell that from a dropped
// context, so it still reports.
func (c *checker) lifetime(m *grpcctx.Model, h *grpcctx.Handler, f finding, use string, known bool) (string, string, bool) {
	base := use
	if !known {
		base = "ctx"
	}
	detach := fmt.Sprintf("context.WithTimeout(context.WithoutCancel(%s), ...)", base)
	if lint.InGoStmt(f.cur, h.Func) {
		if h.Kind == grpcctx.Unary && !m.HandlerWaits(h) {
			return detach, fmt.Sprintf(" (the handler does not wait for this goroutine, and gRPC cancels %s when it returns)", base), true
		}
		return use, " if the handler waits for this goroutine; if the work must outlive the RPC, use " + detach, false
	}
	if f.twin != nil {
		return use, "", false
	}
	if f.fact != nil && f.fact.Ignores && !f.fact.Bounded && f.fact.Root == "context.Background()" && f.callee != nil {
		// The detachment is made inside the callee, from the context it
		// is given: that is where the idiom goes.
		return use, fmt.Sprintf(" (if the work must finish after the caller gives up, make %s detach the context it is given with context.WithoutCancel and a timeout)", f.callee.Name()), false
	}
	if f.origin.Deadline || f.fact != nil && f.fact.Bounded {
		return use, " (if the work must finish after the caller gives up, use " + detach + ")", false
	}
	return use, "", false
}

// A fix is a suggested fix and the request context expression it uses.
type fix struct {
	analysis.SuggestedFix
	want string
}

// fix replaces the context.Background()/TODO() call the argument came from
// with the request context (not a helper's call that made it: what the
// helper adds would go), when exactly one is in scope there and the call
// is not inside a go statement (a goroutine may outlive the RPC; it needs
// context.WithoutCancel or the request context, a choice the user makes).
func (c *checker) fix(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, f finding) []fix {
	at := f.origin.At
	if at == nil || f.origin.Factory || at.Pos() < h.Func.Pos() || at.End() > h.Func.End() || lint.InGoStmt(f.cur, h.Func) || c.sharedWithGoroutine(pass, m, h, at) {
		return nil
	}
	want, ok := m.RequestContextExpr(h, at)
	if !ok {
		return nil
	}
	root := f.origin.RootText()
	if cur, ok := c.cursor(pass, m, h.Func, at); ok {
		if stmt := selfAssign(cur, at, want); stmt != nil {
			return []fix{{want: want, SuggestedFix: analysis.SuggestedFix{
				Message:   fmt.Sprintf("Remove the assignment of %s to %s", root, want),
				TextEdits: c.dropImport(pass, stmt, deleteLine(pass, stmt)),
			}}}
		}
	}
	return []fix{{want: want, SuggestedFix: analysis.SuggestedFix{
		Message:   fmt.Sprintf("Replace %s with %s", root, want),
		TextEdits: c.dropImport(pass, at, analysis.TextEdit{Pos: at.Pos(), End: at.End(), NewText: []byte(want)}),
	}}}
}

// dropImport returns edit, and a second edit deleting the file's import of
// package context when edit, which replaces removed, takes away its last use
// (the request context the fix puts in, ctx or stream.Context(), does not
// name the package). Drivers that apply edits as they are (gopls,
// golangci-lint) would otherwise leave a file that does not compile. Each
// fix stays valid applied alone, as analysis.SuggestedFix asks; two fixes
// that together take away the last use each leave the import, which
// x/tools' checker then removes.
func (c *checker) dropImport(pass *analysis.Pass, removed ast.Node, edit analysis.TextEdit) []analysis.TextEdit {
	edits := []analysis.TextEdit{edit}
	if !removed.Pos().IsValid() {
		return edits
	}
	tf := pass.Fset.File(removed.Pos())
	if c.contextUses == nil {
		c.contextUses = make(map[*token.File]*contextImport)
	}
	ci, ok := c.contextUses[tf]
	if !ok {
		ci = findContextImport(pass, lint.FileOf(pass, removed.Pos()))
		c.contextUses[tf] = ci
	}
	if ci == nil {
		return edits
	}
	for _, pos := range ci.uses {
		if pos < removed.Pos() || pos >= removed.End() {
			return edits // used elsewhere
		}
	}
	var del analysis.TextEdit
	if len(ci.decl.Specs) == 1 {
		del = deleteLine(pass, ci.decl)
	} else {
		del = deleteLine(pass, ci.spec)
	}
	return append(edits, del)
}

// A contextImport is a file's import of package context and where the file
// uses it.
type contextImport struct {
	decl *ast.GenDecl
	spec *ast.ImportSpec
	uses []token.Pos
}

// findContextImport returns the one unnamed import of package context in
// the file, with its uses, or nil (no such import, or one that a fix cannot
// safely remove).
func findContextImport(pass *analysis.Pass, file *ast.File) *contextImport {
	if file == nil {
		return nil
	}
	var ci *contextImport
	var pkgName *types.PkgName
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, spec := range gd.Specs {
			is := spec.(*ast.ImportSpec)
			if is.Path.Value != `"context"` {
				continue
			}
			if ci != nil || is.Name != nil || is.Doc != nil || is.Comment != nil {
				return nil // imported twice, renamed, or commented
			}
			ci = &contextImport{decl: gd, spec: is}
			pkgName = pass.TypesInfo.PkgNameOf(is)
		}
	}
	if ci == nil || pkgName == nil {
		return nil
	}
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == pkgName {
			ci.uses = append(ci.uses, id.Pos())
		}
		return true
	})
	return ci
}

// selfAssign returns the statement "want = context.Background()" when at is
// its whole right-hand side: replacing would leave want = want, so the fix
// removes the statement.
func selfAssign(cur inspector.Cursor, at *ast.CallExpr, want string) *ast.AssignStmt {
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Rhs[0] != at {
		return nil
	}
	if id, ok := as.Lhs[0].(*ast.Ident); ok && id.Name == want {
		return as
	}
	return nil
}

// deleteLine removes stmt (a statement, an import declaration or spec)
// together with its indentation and line break when it stands alone on its
// line, else just stmt.
func deleteLine(pass *analysis.Pass, stmt ast.Node) analysis.TextEdit {
	edit := analysis.TextEdit{Pos: stmt.Pos(), End: stmt.End()}
	tf := pass.Fset.File(stmt.Pos())
	if pass.ReadFile == nil { // some drivers (nogo) give no file access
		return edit
	}
	content, err := pass.ReadFile(tf.Name())
	if err != nil || tf.Size() != len(content) {
		return edit
	}
	start, end := tf.Offset(stmt.Pos()), tf.Offset(stmt.End())
	for start > 0 && (content[start-1] == ' ' || content[start-1] == '\t') {
		start--
	}
	if (start == 0 || content[start-1] == '\n') && end < len(content) && content[end] == '\n' {
		edit.Pos, edit.End = tf.Pos(start), tf.Pos(end+1)
	}
	return edit
}

// recontexted reports whether the helper call's result carries its context
// (http.NewRequest's *http.Request) and the caller gives that value another
// context (req.WithContext(ctx), req.Clone(ctx)) in the same function.
func recontexted(info *types.Info, f finding) bool {
	if !grpcctx.ReturnsContextCarrier(info, f.call) {
		return false
	}
	as, ok := f.cur.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Lhs) == 0 {
		return false
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		return false
	}
	v := info.ObjectOf(id)
	found := false
	ast.Inspect(f.fn, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return !found
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := ast.Unparen(sel.X).(*ast.Ident); ok && v != nil && info.Uses[x] == v {
			if fn := lint.Callee(info, call); fn != nil && len(grpcctx.ContextParams(fn.Signature())) > 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// sharedWithGoroutine reports whether the root at is stored in a variable
// that a go statement in h also uses: replacing the root would change what
// the goroutine gets too, which the fix leaves to the user.
func (c *checker) sharedWithGoroutine(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, at *ast.CallExpr) bool {
	cur, ok := c.cursor(pass, m, h.Func, at)
	if !ok {
		return false
	}
	var lhs []ast.Expr
	for p := range cur.Enclosing((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch n := p.Node().(type) {
		case *ast.AssignStmt:
			lhs = n.Lhs
		case *ast.ValueSpec:
			for _, id := range n.Names {
				lhs = append(lhs, id)
			}
		}
		break
	}
	inGo := c.index(pass, m, h.Func).inGo
	for _, e := range lhs {
		if id, ok := e.(*ast.Ident); ok {
			if obj := pass.TypesInfo.ObjectOf(id); obj != nil && inGo[obj] {
				return true
			}
		}
	}
	return false
}

// drops returns the request message parameter of h when h is a unary
// handler that never uses its request context (the parameter is blank,
// unnamed, or not referred to anywhere in h's body, literals included),
// else nil.
func (c *checker) drops(pass *analysis.Pass, h *grpcctx.Handler) *types.Var {
	if req, ok := c.dropping[h]; ok {
		return req
	}
	var req *types.Var
	if sig := grpcctx.Signature(pass.TypesInfo, h.Func); h.Kind == grpcctx.Unary && h.Ctx != nil && sig != nil && sig.Params().Len() == 2 {
		req = sig.Params().At(1)
		if h.Ctx.Name() != "_" && h.Ctx.Name() != "" {
			ast.Inspect(h.Func, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == h.Ctx {
					req = nil
				}
				return req != nil
			})
		}
		if req != nil && (req.Name() == "_" || req.Name() == "") {
			req = nil // nothing to delegate
		}
	}
	c.dropping[h] = req
	return req
}

// delegates reports whether call hands on req, a handler's request
// message, itself (req or *req) and its callee returns an error as its
// last result: the RPC's work, delegated whole to work that can fail
// (a store's Send), unlike a lookup of one of its fields or a logger's
// Info.
func delegates(info *types.Info, call *ast.CallExpr, req *types.Var) bool {
	tv, ok := info.Types[call.Fun]
	if !ok || tv.Type == nil {
		return false
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok || sig.Results().Len() == 0 ||
		!types.Identical(sig.Results().At(sig.Results().Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	for _, a := range call.Args {
		a = ast.Unparen(a)
		if star, ok := a.(*ast.StarExpr); ok {
			a = ast.Unparen(star.X)
		}
		if id, ok := a.(*ast.Ident); ok && info.Uses[id] == req {
			return true
		}
	}
	return false
}

// interfaceMethod returns the interface method call calls, or nil.
func interfaceMethod(info *types.Info, call *ast.CallExpr) *types.Func {
	fn := lint.Callee(info, call)
	if fn == nil {
		return nil
	}
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		return fn
	}
	return nil
}

// withOwn returns fact as seen from a function of this package.
func withOwn(fact *detachedCall, own bool) *detachedCall {
	f := *fact
	f.Own = own
	return &f
}

// helperRemedy says how to give a helper the request context: a parameter
// where the helper is the user's, else a variant that takes a context.
func helperRemedy(fact *detachedCall, callee *types.Func, use string) string {
	if fact.Own {
		return fmt.Sprintf("give %s a context parameter and pass %s", callee.Name(), use)
	}
	if v := contextVariant(callee); v != nil {
		return fmt.Sprintf("call %s instead and pass %s", v.Name(), use)
	}
	if fact.Twin != "" {
		// http.Get has no GetContext: its work is done with
		// http.NewRequestWithContext; mount-utils' Mount with
		// exec.CommandContext.
		return fmt.Sprintf("%s has no variant that takes a context: do its work with %s and pass %s", callee.Name(), fact.Twin, use)
	}
	return fmt.Sprintf("%s has no variant that takes a context (it makes %s on %s itself): make that call with %s instead", callee.Name(), fact.Call, fact.Root, use)
}

// contextVariant returns the variant of fn, a function or method of
// another module, that takes a context: fn's name with Context,
// WithContext or Ctx added (Get, GetContext), declared beside it (the same
// package, or the same receiver's method set), or nil.
func contextVariant(fn *types.Func) *types.Func {
	if fn.Pkg() == nil {
		return nil
	}
	for _, suffix := range []string{"Context", "WithContext", "Ctx"} {
		name := fn.Name() + suffix
		var obj types.Object
		if recv := fn.Signature().Recv(); recv != nil {
			obj, _, _ = types.LookupFieldOrMethod(recv.Type(), true, fn.Pkg(), name)
		} else {
			obj = fn.Pkg().Scope().Lookup(name)
		}
		if v, ok := obj.(*types.Func); ok && grpcctx.TakesContext(v.Signature()) {
			return v
		}
	}
	return nil
}

// lazyFill reports whether the call at cur fills a cache for the life of
// an object: it lies in the body of if x.f == zero { ... x.f = ... }, a
// lazy initialisation that every later caller shares (argo-cd's Version
// handler caches helm's version, or its error). On the request's context
// one cancelled call would leave the cache holding the cancellation.
func lazyFill(info *types.Info, cur inspector.Cursor) bool {
	for c := range cur.Enclosing((*ast.IfStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		ifs, ok := c.Node().(*ast.IfStmt)
		if !ok {
			return false
		}
		if !within(cur.Node(), ifs.Body) {
			continue // in the condition or the else branch
		}
		if field := zeroTest(info, ifs.Cond); field != nil && assigns(info, ifs.Body, field) {
			return true
		}
	}
	return false
}

// zeroTest returns the field f when cond is x.f == zero (nil, "", 0) or
// len(x.f) == 0, else nil.
func zeroTest(info *types.Info, cond ast.Expr) *types.Var {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL {
		return nil
	}
	for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		x, zero := ast.Unparen(pair[0]), pair[1]
		if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "len" {
				x = ast.Unparen(call.Args[0])
			}
		}
		tv, ok := info.Types[zero]
		if !ok || !(tv.IsNil() || tv.Value != nil && (tv.Value.String() == `""` || tv.Value.String() == "0")) {
			continue
		}
		if v := fieldOf(info, x); v != nil {
			return v
		}
	}
	return nil
}

func fieldOf(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
		v, _ := s.Obj().(*types.Var)
		return v
	}
	return nil
}

// assigns reports whether body assigns field.
func assigns(info *types.Info, body ast.Node, field *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, lhs := range as.Lhs {
				if fieldOf(info, ast.Unparen(lhs)) == field {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// within reports whether n lies inside outer.
func within(n, outer ast.Node) bool {
	return n.Pos() >= outer.Pos() && n.End() <= outer.End()
}

// selfProbe reports whether call is exec.Command with arguments that are
// all constants or a temporary directory or file the same function made
// (os.MkdirTemp, os.CreateTemp(...).Name()): a fixed command by which a
// library checks its environment (k8s mount-utils' constructor runs
// umount on a fresh temp dir to learn its "not mounted" message; a
// namespace executor runs nsenter -V), which serves no request and reads
// nothing of it; round 6's V6-A1. The remedy, CommandContext, is not the
// caller's to apply there. A command built from a parameter, a field or
// data read at run time (exec.Command("umount", path)) stays reported.
func selfProbe(info *types.Info, call *ast.CallExpr, fn ast.Node) bool {
	callee := lint.Callee(info, call)
	if callee == nil || callee.Pkg() == nil || callee.Pkg().Path() != "os/exec" || callee.Name() != "Command" || call.Ellipsis.IsValid() {
		return false
	}
	var temps map[*types.Var]bool // made lazily: the variables fn assigns a temp path to
	temp := func(v *types.Var) bool {
		if temps == nil {
			temps = tempPaths(info, fn)
		}
		return temps[v]
	}
	for _, a := range call.Args {
		if tv, ok := info.Types[a]; ok && tv.Value != nil {
			continue
		}
		id, ok := ast.Unparen(a).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !temp(v) {
			return false
		}
	}
	return true
}

// tempPaths returns the variables fn assigns, as their only value, the
// first result of os.MkdirTemp, or of os.CreateTemp followed by Name().
func tempPaths(info *types.Info, fn ast.Node) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	other := make(map[*types.Var]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok {
				continue
			}
			v, ok := info.ObjectOf(id).(*types.Var)
			if !ok {
				continue
			}
			if i == 0 && len(as.Rhs) == 1 && isTempPath(info, as.Rhs[0]) {
				out[v] = true
			} else {
				other[v] = true
			}
		}
		return true
	})
	for v := range other {
		delete(out, v)
	}
	return out
}

func isTempPath(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := lint.Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch {
	case lint.IsFunc(fn, "os", "MkdirTemp"):
		return true
	case fn.Name() == "Name" && fn.Signature().Recv() != nil:
		if inner, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if c, ok := ast.Unparen(inner.X).(*ast.CallExpr); ok {
				return lint.IsFunc(lint.Callee(info, c), "os", "CreateTemp")
			}
		}
	}
	return false
}

// fillsCache reports whether the call at cur fills a cache of an object:
// its result is stored in a field (x.f = v, x.f[k] = v, directly or through
// the variable it is assigned to) in a function that, before the call,
// returns early when that field already holds it (if v, ok := x.f[k]; ok {
// return v, nil }; if x.f != nil { return x.f }). Armada's leader
// connection provider dials once per leader and keeps the connection for
// every later request (round 6's class B shape): its setup is the cache's
// work, which one request's cancellation must not cut short, as lazyFill
// says for the guarded form. One index per function (cacheIndexOf).
func (c *checker) fillsCache(info *types.Info, cur inspector.Cursor) bool {
	if cur == (inspector.Cursor{}) || c.caches == nil {
		return false // a light model's finding: no cursor
	}
	call, ok := cur.Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || as.Rhs[0] != call {
		return false
	}
	ix := c.cacheIndexOf(info, lint.EnclosingFuncOf(cur))
	if ix == nil {
		return false
	}
	field := storedField(info, as.Lhs[0])
	if id, ok := as.Lhs[0].(*ast.Ident); ok {
		if v, ok := info.ObjectOf(id).(*types.Var); ok {
			if st, ok := ix.stores[v]; ok && st.pos > call.Pos() {
				field = st.field
			}
		}
	}
	hit, ok := ix.hits[field]
	return field != nil && ok && hit < call.Pos()
}

// A cacheIndex is what one walk of a function learns for fillsCache: the
// fields each local is stored in (its first store), and the first if
// statement reading each field whose body returns.
type cacheIndex struct {
	stores map[*types.Var]fieldStore
	hits   map[*types.Var]token.Pos
}

type fieldStore struct {
	field *types.Var
	pos   token.Pos
}

func (c *checker) cacheIndexOf(info *types.Info, fn ast.Node) *cacheIndex {
	if ix, ok := c.caches[fn]; ok {
		return ix
	}
	body := lint.FuncBody(fn)
	if body == nil {
		c.caches[fn] = nil
		return nil
	}
	ix := &cacheIndex{stores: make(map[*types.Var]fieldStore), hits: make(map[*types.Var]token.Pos)}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, r := range n.Rhs {
				id, ok := ast.Unparen(r).(*ast.Ident)
				if !ok {
					continue
				}
				v, ok := info.Uses[id].(*types.Var)
				if f := storedField(info, n.Lhs[i]); ok && f != nil {
					if _, seen := ix.stores[v]; !seen {
						ix.stores[v] = fieldStore{f, n.Pos()}
					}
				}
			}
		case *ast.IfStmt:
			if len(n.Body.List) == 0 {
				return true
			}
			if _, ret := n.Body.List[len(n.Body.List)-1].(*ast.ReturnStmt); !ret {
				return true
			}
			for _, part := range []ast.Node{n.Init, n.Cond} {
				if part == nil {
					continue
				}
				ast.Inspect(part, func(m ast.Node) bool {
					if sel, ok := m.(*ast.SelectorExpr); ok {
						if f := fieldOf(info, sel); f != nil {
							if _, seen := ix.hits[f]; !seen {
								ix.hits[f] = n.Pos()
							}
						}
					}
					return true
				})
			}
		}
		return true
	})
	c.caches[fn] = ix
	return ix
}

// storedField returns f when e is x.f or x.f[k].
func storedField(info *types.Info, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if ix, ok := e.(*ast.IndexExpr); ok {
		e = ast.Unparen(ix.X)
	}
	return fieldOf(info, e)
}
