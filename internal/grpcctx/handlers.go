package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// HandlerKind says what kind of server-side function a Handler is.
type HandlerKind uint8

const (
	Unary             HandlerKind = iota + 1 // func(ctx, *Req) (*Resp, error)
	Streaming                                // func(*Req, stream) error or func(stream) error
	UnaryInterceptor                         // grpc.UnaryServerInterceptor
	StreamInterceptor                        // grpc.StreamServerInterceptor
	// ContextFunc is any other function with a context parameter, taken as
	// its request context by checks widened beyond handlers.
	ContextFunc
)

var kindNames = [...]string{"", "unary handler", "streaming handler", "unary interceptor", "stream interceptor", "function"}

func (k HandlerKind) String() string { return kindNames[k] }

// IsInterceptor reports whether k is a server interceptor.
func (k HandlerKind) IsInterceptor() bool { return k == UnaryInterceptor || k == StreamInterceptor }

// A Handler is a function whose body runs on behalf of one RPC: a method of a
// type that implements a generated service server interface, or a server
// interceptor. Function literals inside it belong to its scope.
type Handler struct {
	Kind HandlerKind
	Func ast.Node // *ast.FuncDecl or *ast.FuncLit
	// Name is the name messages use: the method or function name, or
	// "literal in F" for an interceptor written as a function literal.
	Name string
	// Ctx is the request context parameter (unary handlers and
	// interceptors), possibly named "_"; nil for streaming handlers.
	Ctx *types.Var
	// Stream is the stream parameter of streaming handlers and stream
	// interceptors; its Context method yields the request context.
	Stream *types.Var
}

// Describe returns "handler Find", "interceptor logUnary" or "function f",
// for messages.
func (h *Handler) Describe() string {
	switch {
	case h.Kind.IsInterceptor():
		return "interceptor " + h.Name
	case h.Kind == ContextFunc:
		return "function " + h.Name
	}
	return "handler " + h.Name
}

// serviceInterfaces returns the service server interfaces visible to pkg:
// the second parameter type of every registration function
// func(grpc.ServiceRegistrar | *grpc.Server, I) declared in pkg or in a
// package it imports. A method signature that mentions a service's messages
// forces the import, so direct imports suffice; and a registration function
// names grpc's types, so only packages that import grpc are scanned.
func serviceInterfaces(pkg *types.Package) []*types.Named {
	var out []*types.Named
	seen := make(map[*types.Named]bool)
	for _, p := range append([]*types.Package{pkg}, pkg.Imports()...) {
		if !importsGRPC(p) {
			continue
		}
		scope := p.Scope()
		for _, name := range scope.Names() {
			fn, ok := scope.Lookup(name).(*types.Func)
			if !ok {
				continue
			}
			if iface := registeredInterface(fn.Signature()); iface != nil && !seen[iface] {
				seen[iface] = true
				out = append(out, iface)
			}
		}
	}
	return out
}

// importsGRPC reports whether p imports google.golang.org/grpc directly.
func importsGRPC(p *types.Package) bool {
	for _, imp := range p.Imports() {
		if imp.Path() == grpcPath {
			return true
		}
	}
	return false
}

// registeredInterface returns I when sig is func(grpc.ServiceRegistrar, I)
// or func(*grpc.Server, I) (the oldest generated form) for a named interface
// I with at least one exported method.
func registeredInterface(sig *types.Signature) *types.Named {
	if sig.Recv() != nil || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return nil
	}
	reg := sig.Params().At(0).Type()
	if !lint.IsNamed(reg, grpcPath, "ServiceRegistrar") && !isPointerTo(reg, grpcPath, "Server") {
		return nil
	}
	named, ok := types.Unalias(sig.Params().At(1).Type()).(*types.Named)
	if !ok {
		return nil
	}
	iface, ok := named.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	for m := range iface.Methods() {
		if m.Exported() {
			return named
		}
	}
	return nil
}

// handlerMethods returns, for every method declared in pkg that serves an
// RPC, its kind. A type serves a service when its pointer's method set has
// every exported method of the service interface with an identical
// signature; the unexported mustEmbedUnimplementedXxxServer method is not
// required, so types that do not embed UnimplementedXxxServer count too.
// Methods promoted from an embedded type declared in pkg count as well.
func handlerMethods(pkg *types.Package, services []*types.Named) map[*types.Func]HandlerKind {
	out := make(map[*types.Func]HandlerKind)
	if len(services) == 0 {
		return out
	}
	_, concrete := namedTypes(pkg)
	for _, named := range concrete {
		ptr := types.NewPointer(named)
		for _, svc := range services {
			methods, ok := implementsService(ptr, svc)
			if !ok {
				continue
			}
			for impl, want := range methods {
				if impl.Pkg() == pkg {
					out[impl] = kindOf(want.Signature())
				}
			}
		}
	}
	return out
}

// implementsService matches t's methods against svc's exported methods and
// returns the implementing method for each interface method.
func implementsService(t types.Type, svc *types.Named) (map[*types.Func]*types.Func, bool) {
	iface := svc.Underlying().(*types.Interface)
	methods := make(map[*types.Func]*types.Func)
	for m := range iface.Methods() {
		if !m.Exported() {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(t, false, m.Pkg(), m.Name())
		impl, ok := obj.(*types.Func)
		if !ok || !types.Identical(impl.Type(), m.Type()) {
			return nil, false
		}
		methods[impl] = m
	}
	return methods, true
}

// kindOf classifies a service method by its signature: streaming when its
// last parameter is a server stream. Which of the three streaming kinds it
// is no check needs.
func kindOf(sig *types.Signature) HandlerKind {
	params := sig.Params()
	if params.Len() == 0 || !isServerStream(params.At(params.Len()-1).Type()) {
		return Unary // params.Len() == 0: not a generated shape; treated as unary
	}
	return Streaming
}

// interceptorSigs holds the underlying signatures of the grpc server
// interceptor types, when pkg imports grpc (writing an interceptor requires
// naming grpc's info and handler types, hence the import).
type interceptorSigs struct {
	unary, stream *types.Signature
}

func lookupInterceptorSigs(pkg *types.Package) interceptorSigs {
	var s interceptorSigs
	for _, p := range append([]*types.Package{pkg}, pkg.Imports()...) {
		if p.Path() != grpcPath {
			continue
		}
		if obj, ok := p.Scope().Lookup("UnaryServerInterceptor").(*types.TypeName); ok {
			s.unary, _ = obj.Type().Underlying().(*types.Signature)
		}
		if obj, ok := p.Scope().Lookup("StreamServerInterceptor").(*types.TypeName); ok {
			s.stream, _ = obj.Type().Underlying().(*types.Signature)
		}
	}
	return s
}

// kind returns the interceptor kind of sig, or 0.
func (s interceptorSigs) kind(sig *types.Signature) HandlerKind {
	switch {
	case s.unary != nil && types.Identical(sig, s.unary):
		return UnaryInterceptor
	case s.stream != nil && types.Identical(sig, s.stream):
		return StreamInterceptor
	}
	return 0
}

// newHandler fills in the request context or stream parameter of fn.
func newHandler(kind HandlerKind, fn ast.Node, name string, sig *types.Signature) *Handler {
	h := &Handler{Kind: kind, Func: fn, Name: name}
	params := sig.Params()
	switch kind {
	case Unary, UnaryInterceptor:
		if params.Len() > 0 && IsContext(params.At(0).Type()) {
			h.Ctx = params.At(0)
		}
	case StreamInterceptor:
		h.Stream = params.At(1)
	default:
		h.Stream = params.At(params.Len() - 1)
	}
	return h
}

// litName names a function literal at cur: after the variable it is
// assigned to, if any (var authStream = func(...)), and its enclosing
// declaration: "literal in streamInterceptor", "authStream",
// "check in main".
func litName(cur inspector.Cursor) string {
	lit := cur.Node()
	name := "literal"
	switch p := cur.Parent().Node().(type) {
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == lit && i < len(p.Names) && p.Names[i].Name != "_" {
				name = p.Names[i].Name
			}
		}
	case *ast.AssignStmt:
		for i, r := range p.Rhs {
			if id, ok := p.Lhs[i].(*ast.Ident); ok && r == lit && len(p.Lhs) == len(p.Rhs) && id.Name != "_" {
				name = id.Name
			}
		}
	}
	for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
		if decl, ok := c.Node().(*ast.FuncDecl); ok {
			return name + " in " + decl.Name.Name
		}
	}
	return name
}

// IsTesting reports whether t is *testing.T, *testing.B, *testing.F or
// testing.TB: a function that takes one is a test's helper, whatever else
// it takes, not code that serves an RPC.
func IsTesting(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "testing" {
		return false
	}
	switch named.Obj().Name() {
	case "T", "B", "F", "TB":
		return true
	}
	return false
}
