package ctxloop

import (
	"go/ast"
	"go/types"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// givesRPC reports whether a call in h's scope hands the callee the RPC's
// stream: as an argument or receiver, directly (HandleChaincodeStream(stream),
// where the callee takes a narrower interface without Context), or through a
// value the handler built from it (conn := store.onConnected(stream, info);
// conn.serve()). A loop in such a callee that waits on what the stream feeds
// (a Recv goroutine's error, the stream's own Send and Recv) ends when the
// stream does; the tool cannot see the stream behind the narrower type, so
// it leans to silence. A goroutine started so stays judged (go agg.Start()
// with an aggregator built on the stream: a loop with no exit at all).
func (s *scanner) givesRPC(h *grpcctx.Handler, call *ast.CallExpr) bool {
	if s.carries(h, call.Fun) {
		return true
	}
	for _, a := range call.Args {
		if s.carries(h, a) {
			return true
		}
	}
	return false
}

// carries reports whether e is the RPC's stream, or a local variable (or a
// selector on one) assigned in h from a call or composite literal that is
// given the stream or the request context, of a type that can hold them
// (an object, not a number or a slice computed with the context).
func (s *scanner) carries(h *grpcctx.Handler, e ast.Expr) bool {
	e = ast.Unparen(e)
	if sel, ok := e.(*ast.SelectorExpr); ok {
		if _, isMethod := s.info.Selections[sel]; isMethod {
			e = ast.Unparen(sel.X) // conn.serve(): the receiver
		}
	}
	if grpcctx.IsStreamLike(s.info.TypeOf(e)) && !s.in(h).serverOwned(e) {
		return true // not a long-lived connection the server keeps
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := s.info.Uses[id].(*types.Var)
	return v != nil && s.builtOnRPC(h)[v]
}

// builtOnRPC returns, once per handler, the local variables of h's function
// assigned from a call or composite literal given the stream or a live
// request context.
func (s *scanner) builtOnRPC(h *grpcctx.Handler) map[*types.Var]bool {
	if b, ok := s.cache.built[h]; ok {
		return b
	}
	b := make(map[*types.Var]bool)
	s.cache.built[h] = b
	cur, ok := s.m.Cursor(h.Func)
	if !ok {
		return b
	}
	sh := s.in(h)
	given := func(args []ast.Expr) bool {
		for _, a := range args {
			if kv, ok := a.(*ast.KeyValueExpr); ok {
				a = kv.Value
			}
			t := s.info.TypeOf(a)
			if grpcctx.IsStreamLike(t) && !sh.serverOwned(a) || grpcctx.IsContextLike(t) && sh.live(a) {
				return true
			}
		}
		return false
	}
	for c := range cur.Preorder((*ast.AssignStmt)(nil)) {
		as := c.Node().(*ast.AssignStmt)
		if len(as.Rhs) != 1 {
			continue
		}
		var args []ast.Expr
		switch r := ast.Unparen(as.Rhs[0]).(type) {
		case *ast.CallExpr:
			args = r.Args
		case *ast.UnaryExpr:
			if cl, ok := ast.Unparen(r.X).(*ast.CompositeLit); ok {
				args = cl.Elts
			}
		case *ast.CompositeLit:
			args = r.Elts
		}
		if !given(args) {
			continue
		}
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			if v, ok := s.info.ObjectOf(id).(*types.Var); ok && holdsState(v.Type()) {
				b[v] = true
			}
		}
	}
	return b
}

// holdsState reports whether a value of type t can keep what it was built
// from: a pointer, a struct or an interface.
func holdsState(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Struct, *types.Interface:
		return true
	}
	return false
}
