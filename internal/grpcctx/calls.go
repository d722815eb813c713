package grpcctx

import (
	"go/ast"
	"go/types"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A GRPCCall is an outbound gRPC call: a generated client method (any
// generator), (*grpc.ClientConn).Invoke or NewStream, a
// grpc.ClientConnInterface method, or anything else with the same shape.
type GRPCCall struct {
	Call   *ast.CallExpr
	Method *types.Func
	// Ctx is the context argument.
	Ctx ast.Expr
	// Stream: the call opens a stream (its first result is a client
	// stream) rather than completing a unary RPC.
	Stream bool
}

// AsGRPCCall recognises an outbound gRPC call by its signature: a
// context.Context first parameter and a trailing ...grpc.CallOption, the
// shape every generated client method and ClientConn.Invoke/NewStream share.
func AsGRPCCall(info *types.Info, call *ast.CallExpr) (GRPCCall, bool) {
	fn := lint.Callee(info, call)
	if fn == nil {
		return GRPCCall{}, false
	}
	sig := fn.Signature()
	if !IsClientCallSignature(sig) || len(call.Args) == 0 {
		return GRPCCall{}, false
	}
	args := lint.Args(info, call)
	if len(args) == 0 {
		return GRPCCall{}, false
	}
	c := GRPCCall{Call: call, Method: fn, Ctx: args[0]}
	if sig.Results().Len() > 0 {
		c.Stream = isClientStream(sig.Results().At(0).Type())
	}
	return c, true
}

// IsClientCallSignature reports whether sig has the shape AsGRPCCall
// recognises: a context.Context first parameter and a trailing
// ...grpc.CallOption. A function with this shape is judged as an outbound
// gRPC call at its call sites, whatever its body does.
func IsClientCallSignature(sig *types.Signature) bool {
	params := sig.Params()
	return sig.Variadic() && params.Len() >= 2 &&
		IsContext(params.At(0).Type()) && isCallOptionSlice(params.At(params.Len()-1).Type())
}

// WaitsForReady reports whether the call passes grpc.WaitForReady(true) as a
// call option, which makes it queue instead of failing fast while the
// connection is down.
func (c GRPCCall) WaitsForReady(info *types.Info) bool {
	for _, a := range c.Call.Args[1:] {
		opt, ok := ast.Unparen(a).(*ast.CallExpr)
		if !ok || len(opt.Args) != 1 || !lint.IsFunc(lint.Callee(info, opt), grpcPath, "WaitForReady") {
			continue
		}
		if tv, ok := info.Types[opt.Args[0]]; ok && tv.Value != nil && tv.Value.String() == "true" {
			return true
		}
	}
	return false
}

// ContextUse is a call argument that hands a context to the callee.
type ContextUse struct {
	Fn    *types.Func // nil for calls of function values
	Arg   ast.Expr
	Index int // of the parameter Arg is passed for
}

// ContextArgs returns the arguments of call that pass a context to a
// consumer: parameters of type context.Context of a call that does not
// itself return a context (those derive a context; the derived one is
// checked where it is used). Calls into the context package and log/slog
// are not consumers: they neither block on a context nor carry it across a
// process boundary. Nor are net's listening functions (listens: its
// ListenConfig.Listen, and the listenUnix, listenTCP, ... that net.Listen,
// net.ListenUnix and every server that calls them reach, on
// context.Background()): they bind a local socket, and the context bounds
// only that.
func ContextArgs(info *types.Info, call *ast.CallExpr) []ContextUse {
	tv, ok := info.Types[call.Fun]
	if !ok || tv.IsType() || tv.Type == nil {
		return nil // a conversion, or no type
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok || returnsContext(sig) {
		return nil
	}
	fn := lint.Callee(info, call)
	if fn != nil && fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case contextPath, "log/slog":
			return nil
		}
		if listens(fn) {
			return nil
		}
	}
	var out []ContextUse
	for _, i := range ContextParams(sig) {
		if i < len(call.Args) && !(sig.Variadic() && i == sig.Params().Len()-1) {
			out = append(out, ContextUse{Fn: fn, Arg: call.Args[i], Index: i})
		}
	}
	return out
}
