package lint

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// Call matching: what a call invokes, as the type checker resolved it,
// never by how the source spells it. The analyzers and the model share
// these; what a call means for gRPC and contexts is the model's
// (internal/grpcctx).

// Callee returns the function or method call invokes (for interface
// methods, the abstract method), or nil for conversions, builtins and calls
// of function values.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// Args returns call's arguments as its callee's signature numbers them:
// without the receiver a method expression takes first (T.M(recv, ctx)).
func Args(info *types.Info, call *ast.CallExpr) []ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodExpr && len(call.Args) > 0 {
			return call.Args[1:]
		}
	}
	return call.Args
}

// IsNamed reports whether t is the named type pkgPath.name, or an
// instance of that generic type.
func IsNamed(t types.Type, pkgPath, name string) bool {
	t = types.Unalias(t)
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	obj := n.Origin().Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkgPath
}

// IsFunc reports whether fn is one of the package-level functions or
// methods pkgPath.name (for methods, name is the method name).
func IsFunc(fn *types.Func, pkgPath string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkgPath {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// IsMethodOf reports whether fn is one of the named methods of the type
// pkgPath.typeName (value or pointer receiver).
func IsMethodOf(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	recv := fn.Signature().Recv()
	if recv == nil || !IsFunc(fn, pkgPath, names...) {
		return false
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return IsNamed(t, pkgPath, typeName)
}
