package grpcctx

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Package paths the model matches against. Everything is recognised by the
// types these packages declare, never by how user code spells identifiers.
const (
	grpcPath     = "google.golang.org/grpc"
	contextPath  = "context"
	metadataPath = "google.golang.org/grpc/metadata"
	errgroupPath = "golang.org/x/sync/errgroup"
)

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool {
	return t != nil && lint.IsNamed(t, contextPath, "Context")
}

// isPointerTo reports whether t is *pkgPath.name.
func isPointerTo(t types.Type, pkgPath, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && lint.IsNamed(p.Elem(), pkgPath, name)
}

// ContextParams returns the indices of sig's parameters of type
// context.Context, or of a type parameter constrained to it (see
// isContextParam). The slice may be shared: read it, never write it.
func ContextParams(sig *types.Signature) []int {
	var idx []int
	for i := 0; i < sig.Params().Len(); i++ {
		if isContextParam(sig.Params().At(i).Type()) {
			if idx == nil && i < len(oneParam) {
				// The usual case, one context parameter, allocates
				// nothing (the model asks per call): a slice of
				// oneParam, of capacity 1 so that an append copies.
				idx = oneParam[i : i+1 : i+1]
				continue
			}
			idx = append(idx, i)
		}
	}
	return idx
}

var oneParam = [...]int{0, 1, 2, 3, 4, 5, 6, 7}

// isContextParam reports whether a parameter of type t is given a context
// by its caller: t is context.Context, or a type parameter whose
// constraint has no type terms and context.Context's methods
// (func f[C context.Context](c C)): every instance of the function takes
// a context there, and the body can only use it as one.
func isContextParam(t types.Type) bool {
	if IsContext(t) {
		return true
	}
	tp, ok := t.(*types.TypeParam)
	if !ok {
		return false
	}
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	return ok && iface.IsMethodSet() && IsContextLike(tp)
}

// returnsContext reports whether one of sig's results is a context.Context:
// such a call derives a context rather than using one.
func returnsContext(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		if IsContext(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// methodNamed returns the method name of t's method set (t or *t), or nil.
func methodNamed(t types.Type, name string) *types.Func {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	fn, _ := obj.(*types.Func)
	return fn
}

// hasContextMethod reports whether values of t have a method
// Context() context.Context, the accessor every gRPC stream has.
func hasContextMethod(t types.Type) bool {
	fn := methodNamed(t, "Context")
	if fn == nil {
		return false
	}
	sig := fn.Signature()
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && IsContext(sig.Results().At(0).Type())
}

// isServerStream reports whether t is a gRPC server-side stream: it embeds or
// implements grpc.ServerStream (SetHeader, SendHeader, SetTrailer, Context,
// SendMsg, RecvMsg). Both the generic grpc.*StreamingServer types and the
// older generated Xxx_YyyServer interfaces qualify.
func isServerStream(t types.Type) bool {
	return hasContextMethod(t) && methodNamed(t, "SetTrailer") != nil && methodNamed(t, "SendMsg") != nil
}

// isClientStream reports whether t is a gRPC client-side stream
// (grpc.ClientStream: Header, Trailer, CloseSend, Context, SendMsg, RecvMsg).
func isClientStream(t types.Type) bool {
	return hasContextMethod(t) && methodNamed(t, "CloseSend") != nil && methodNamed(t, "RecvMsg") != nil
}

// isCallOptionSlice reports whether t is []grpc.CallOption, the type of the
// trailing variadic parameter of every generated client method and of
// ClientConn.Invoke/NewStream.
func isCallOptionSlice(t types.Type) bool {
	s, ok := types.Unalias(t).(*types.Slice)
	return ok && lint.IsNamed(s.Elem(), grpcPath, "CallOption")
}

// TakesContext reports whether a function with signature sig is given a
// context by its caller: a context.Context parameter, or a parameter with a
// Context() context.Context method (a gRPC stream, an *http.Request).
func TakesContext(sig *types.Signature) bool {
	for i := 0; i < sig.Params().Len(); i++ {
		if t := sig.Params().At(i).Type(); isContextParam(t) || hasContextMethod(t) {
			return true
		}
	}
	return false
}

// IsContextLike reports whether t is context.Context or a type with its
// method set (Deadline, Done, Err, Value), such as a framework's context.
func IsContextLike(t types.Type) bool {
	if t == nil {
		return false
	}
	if IsContext(t) {
		return true
	}
	for _, name := range []string{"Deadline", "Done", "Err", "Value"} {
		if methodNamed(t, name) == nil {
			return false
		}
	}
	return true
}

// IsStreamLike reports whether t is a gRPC stream, server or client side,
// generic or generated by an older protoc-gen-go-grpc.
func IsStreamLike(t types.Type) bool {
	return t != nil && (isServerStream(t) || isClientStream(t))
}

// InMainModule reports whether the package a pass analyzes belongs to a
// module being developed (the main module or a workspace module) rather than
// to the standard library or a versioned dependency. go vet before Go 1.28
// does not set Module.Main; a main module there is one without a version.
// Drivers without module information (Bazel's nogo leaves Module nil, the
// x/tools checker gives an empty one when packages were loaded without
// NeedModule): there every package outside the standard library counts.
func InMainModule(pass *analysis.Pass) bool {
	mod := pass.Module
	if mod == nil || mod.Path == "" {
		first, _, _ := strings.Cut(pass.Pkg.Path(), "/")
		return strings.Contains(first, ".")
	}
	return mod.Main || mod.Version == ""
}

// ReturnsContextCarrier reports whether call's first result carries the
// context it was given (it has a Context() context.Context method, like
// *http.Request): the caller can replace that context before it is used.
func ReturnsContextCarrier(info *types.Info, call *ast.CallExpr) bool {
	t := info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		if tuple.Len() == 0 {
			return false
		}
		t = tuple.At(0).Type()
	}
	return t != nil && hasContextMethod(t)
}
