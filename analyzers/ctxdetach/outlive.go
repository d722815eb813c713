package ctxdetach

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// An outlived is outbound work that a goroutine started by a unary handler
// runs on the request context, which gRPC cancels as soon as the handler
// returns: unless the handler waits for the goroutine, the work is cut off
// at a random point (appleboy/gorush#789).
type outlived struct {
	call *ast.CallExpr
	arg  ast.Expr
	h    *grpcctx.Handler
}

// outlivedArg returns the request-context argument of call when call, at
// cur, is outbound work in a goroutine that the unary handler h starts and
// does not wait for. Streaming handlers are left alone: a goroutine that
// serves a stream is meant to end with it.
func (c *checker) outlivedArg(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, call *ast.CallExpr, cur inspector.Cursor) (ast.Expr, bool) {
	if h == nil || h.Kind != grpcctx.Unary || !lint.InGoStmt(cur, h.Func) {
		return nil, false
	}
	for _, use := range grpcctx.ContextArgs(pass.TypesInfo, call) {
		if o := m.Origin(use.Arg); o.Root != grpcctx.Request || !m.Outbound(call, use.Index) {
			continue
		}
		if m.HandlerWaits(h) {
			return nil, false
		}
		return use.Arg, true
	}
	return nil, false
}

func (c *checker) reportOutlived(pass *analysis.Pass, m *grpcctx.Model, o outlived) {
	ctx := types.ExprString(o.arg)
	lint.Report(pass, analysis.Diagnostic{
		Pos:      o.arg.Pos(),
		End:      o.arg.End(),
		Category: CategoryRequestContextOutlived,
		Message: fmt.Sprintf("call to %s in a goroutine started by %s uses the request context %s, which gRPC cancels when the handler returns, so the work is cut off at random; detach it with context.WithTimeout(context.WithoutCancel(%s), ...)",
			types.ExprString(o.call.Fun), o.h.Describe(), ctx, ctx),
	})
}
