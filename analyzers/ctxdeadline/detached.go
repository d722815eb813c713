package ctxdeadline

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/division"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// One bug, one finding, across packages. A detached context
// (context.Background(), TODO()) that reaches a deadline-less RPC directly
// in a function that takes no context is, where a handler calls that
// function, ctxdetach's finding at the handler's call (its detachedCall
// fact): the request context was dropped on the way. Within a package the
// model says which helpers handler scope reaches (reachedHelper). A helper
// that another package can call cannot know its callers: facts flow
// bottom-up. So, when ctxdetach runs beside this analyzer, the finding of
// such a helper of the module under analysis moves to its calls: the
// helper gets the detachedRPC fact instead of a finding, and a call of it
// is reported here only outside ctxdetach's scope (not in handler scope,
// not in a helper handler scope reaches; in a defer of a handler, cleanup,
// it is this analyzer's again). A call in another such exposed helper
// passes the fact on to that helper. A helper no other package can reach
// keeps its finding in its body, as before.

// moveToCallers switches the move on. It is off: on the eval projects
// (session 5) it lost more than it saved. An exposed helper whose callers
// are all in _test.go files (which ctxdeadline leaves out by default), in
// handler scope only through an interface or a goroutine the facts do not
// follow, or in no package of the build, lost its finding altogether
// (fabric's stream to an external chaincode server, the round-5
// validation's most valuable ctxdeadline finding; three seaweedfs ones),
// and a helper with many callers became as many findings for one bug
// (fabric's InitCmdFactory: eleven). With it off, a helper that a handler
// in another package calls is reported twice, both true (ctxdetach at the
// handler's call, ctxdeadline in the helper); within a package there is one
// finding. A move that keeps recall needs to know that a caller outside
// tests exists, which facts flowing bottom-up cannot tell.
const moveToCallers = false

// detachedRPC is the fact of a function of the module under analysis that
// takes no context (or ignores the one it takes) and that other packages
// can call, whose body makes a gRPC call on a context it detaches with
// context.Background() or TODO() and that no path gives a deadline, or
// calls, directly in its body, a function with this fact.
type detachedRPC struct {
	RPC  paramRPC // the RPC (Index and Client unused)
	Root string   // "context.Background()" or "context.TODO()"
	In   string   // the function whose body makes the RPC ("node.Node.send")
	// NoCancel: nothing can cancel the RPC's context either.
	NoCancel bool
}

func (*detachedRPC) AFact() {}

func (f *detachedRPC) String() string {
	kind := "call"
	if f.RPC.Stream {
		kind = "stream"
	}
	return fmt.Sprintf("detachedRPC(%s %s on %s at %s)", kind, f.RPC.Method, f.Root, f.RPC.At)
}

// helperCall is a static call of a function that takes no context, or of
// an interface method of this package that takes none, in fn.
type helperCall struct {
	call   *ast.CallExpr
	callee *types.Func
	fn     ast.Node
}

// exposedHelpers returns this package's function declarations that take no
// context or ignore it (the model's ContextFreeDecl, ContextIgnoringDecl)
// and that another package can call: exported functions and methods with
// an exported name (an interface of another package may name it), and
// the helpers they call directly in their bodies, transitively, including
// through an interface method of this package (its Implementations).
// Calls in function literals do not count, as for ctxdetach's facts.
func (s *state) exposedHelpers() map[*ast.FuncDecl]bool {
	m, info := s.m, s.pass.TypesInfo
	decls := make(map[*types.Func]*ast.FuncDecl)
	var order []*ast.FuncDecl
	for _, file := range s.pass.Files {
		for _, d := range file.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil {
				continue
			}
			fn := m.ContextFreeDecl(decl)
			if fn == nil {
				fn = m.ContextIgnoringDecl(decl)
			}
			if fn != nil {
				decls[fn] = decl
				order = append(order, decl)
			}
		}
	}
	out := make(map[*ast.FuncDecl]bool)
	var work []*ast.FuncDecl
	expose := func(fn *types.Func) {
		if d := decls[fn.Origin()]; d != nil && !out[d] {
			out[d] = true
			work = append(work, d)
		}
	}
	for _, d := range order {
		if fn := info.Defs[d.Name].(*types.Func); fn.Exported() && exportedRecv(fn) {
			expose(fn)
		}
	}
	// A method of an unexported type is reached from another package
	// through an exported interface of this one that it implements.
	for _, im := range m.InterfaceMethods() {
		if im.Exported() && exportedRecv(im) {
			for _, cm := range m.Implementations(im) {
				expose(cm)
			}
		}
	}
	for len(work) > 0 {
		d := work[0]
		work = work[1:]
		ast.Inspect(d.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				var targets []*types.Func
				if fn := typeutil.StaticCallee(info, n); fn != nil {
					targets = []*types.Func{fn.Origin()}
				} else if fn := grpcctx.Callee(info, n); fn != nil {
					targets = m.Implementations(fn)
				}
				for _, fn := range targets {
					expose(fn)
				}
			}
			return true
		})
	}
	return out
}

// exportedRecv reports whether fn is a function, or a method whose
// receiver's named type is exported.
func exportedRecv(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return true
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Exported()
}

// defers reports whether f, a finding on a detached context directly in
// fn, belongs at the calls of fn (see detachedRPC).
func (s *state) defers(f finding, exposed map[*ast.FuncDecl]bool) bool {
	d, ok := f.fn.(*ast.FuncDecl)
	return ok && f.callee == nil && exposed[d] && f.origin.Root == grpcctx.Detached &&
		!f.origin.Owned && !f.origin.Factory
}

// moveDetached takes out of findings those that belong at the calls of
// their function (defers), gives those functions the detachedRPC fact,
// passes the facts on through calls in other exposed helpers, and returns
// the remaining findings with one for each call of a function with the
// fact outside ctxdetach's scope, in this package or another.
func (s *state) moveDetached(findings []finding, calls []helperCall) []finding {
	facts := lint.NewFactTable[detachedRPC](s.pass)
	if s.detach == division.Off || !grpcctx.InMainModule(s.pass) || !moveToCallers {
		// Alone, this analyzer reports every detached context itself; a
		// dependency's findings are not shown, and a handler's call of
		// its helper is ctxdetach's, with no finding in the dependency
		// shown beside it.
		return append(findings, s.detachedCalls(calls, facts, nil)...)
	}
	exposed := s.exposedHelpers()
	kept := findings[:0]
	for _, f := range findings {
		if !s.defers(f, exposed) {
			kept = append(kept, f)
			continue
		}
		fn := s.pass.TypesInfo.Defs[f.fn.(*ast.FuncDecl).Name].(*types.Func)
		rpc := f.rpc
		rpc.Index, rpc.Client = 0, 0
		facts.Add(fn, &detachedRPC{RPC: rpc, Root: f.origin.RootText(), In: lint.FuncName(fn), NoCancel: f.noCancel})
	}
	s.propagateDetached(calls, facts, exposed)
	facts.Export()
	return append(kept, s.detachedCalls(calls, facts, exposed)...)
}

// propagateDetached passes the detachedRPC facts on to the exposed helpers
// that call a function with one, directly in their bodies, and to this
// package's interface methods every implementation of which has one (as
// ctxdetach's detachedCall), with a worklist: each function gets its fact
// once, the first its callees offer in the order of the walk, and each
// call is looked at once when its callee gets one, so the work is linear
// in the calls, whatever the order of the declarations.
func (s *state) propagateDetached(calls []helperCall, facts *lint.FactTable[detachedRPC, *detachedRPC], exposed map[*ast.FuncDecl]bool) {
	info := s.pass.TypesInfo
	callers := make(map[*types.Func][]*types.Func) // callee -> the exposed helpers calling it, in call order
	var work []*types.Func
	add := func(fn *types.Func, fact *detachedRPC) {
		if facts.Add(fn, fact) {
			work = append(work, fn)
		}
	}
	for _, c := range calls {
		d, ok := c.fn.(*ast.FuncDecl)
		if !ok || !exposed[d] {
			continue
		}
		caller := info.Defs[d.Name].(*types.Func)
		if c.callee.Pkg() != s.pass.Pkg {
			if fact, ok := facts.Lookup(c.callee); ok {
				add(caller, fact)
			}
			continue
		}
		callers[c.callee] = append(callers[c.callee], caller)
	}
	// ifaces: implementation -> the interface methods it may run for.
	ifaces := make(map[*types.Func][]*types.Func)
	for _, im := range s.m.InterfaceMethods() {
		if grpcctx.TakesContext(im.Signature()) {
			continue
		}
		for _, cm := range s.m.Implementations(im) {
			ifaces[cm] = append(ifaces[cm], im)
		}
	}
	work = append(work, facts.Funcs()...)
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		fact, _ := facts.Local(fn)
		for _, caller := range callers[fn] {
			add(caller, fact)
		}
		for _, im := range ifaces[fn] {
			all := true
			for _, cm := range s.m.Implementations(im) {
				all = all && facts.Has(cm)
			}
			if all {
				add(im, fact)
			}
		}
	}
}

// detachedCalls returns a finding for each call in calls of a function
// with the detachedRPC fact that is reported here: not in an exposed
// helper (which has the fact itself), not where ctxdetach reports it,
// and, unless -tests, not in a _test.go file.
func (s *state) detachedCalls(calls []helperCall, facts *lint.FactTable[detachedRPC, *detachedRPC], exposed map[*ast.FuncDecl]bool) []finding {
	var out []finding
	for _, c := range calls {
		fact, ok := facts.Lookup(c.callee)
		if !ok {
			continue
		}
		if d, ok := c.fn.(*ast.FuncDecl); ok && exposed[d] {
			continue // passed on: its callers get the finding
		}
		u := use{call: c.call, arg: c.call, fn: c.fn, rpc: fact.RPC, callee: c.callee, param: -1}
		u.rpc.Client = clientConn
		if !s.reportable(u) || s.detachedScope(u) {
			continue
		}
		out = append(out, finding{use: u, noCancel: fact.NoCancel, detached: fact})
	}
	return out
}

// detachedScope reports whether u lies where ctxdetach reports a detached
// context (see decide).
func (s *state) detachedScope(u use) bool {
	m := s.m
	if m.HandlerOf(u.fn) != nil {
		cur, ok := m.Cursor(u.call)
		return !(ok && lint.InDeferStmt(cur, m.HandlerOf(u.fn).Func))
	}
	return reachedHelper(m, u.fn) || s.detach == division.CtxFuncs && inContextFunc(m, u.fn)
}

// detachedMessage is the message of a finding at a call of a function
// with the detachedRPC fact.
func detachedMessage(f finding, what, lack, effect, remedy string) string {
	return fmt.Sprintf("call to %s makes %s (%s) on %s, which has %s, so %s; in %s, %s",
		lint.FuncName(f.callee), what, f.rpc.At, f.detached.Root, lack, effect, f.detached.In, remedy)
}
