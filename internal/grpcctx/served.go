package grpcctx

import (
	"go/types"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// serves is the package fact of a package that registers another
// package's gRPC services on a server: pb.RegisterEchoServer(s, impl), in
// every generated style, or s.RegisterService(&pb.Echo_ServiceDesc, impl).
// Services holds their keys (see ServiceOf), sorted.
type serves struct{ Services []string }

func (*serves) AFact() {}

func (f *serves) String() string { return "serves(" + strings.Join(f.Services, ", ") + ")" }

// findServed exports the serves fact of the package, and, for a package
// in the modules under development that has test files, gathers the
// services that its program registers: its own and those of every package
// it depends on. It looks only at the packages this one imports that
// import grpc and declare a registration function (generated code), so
// most packages cost a look at their imports' import lists.
func (m *Model) findServed(pass *analysis.Pass) {
	keys := make(map[types.Object]string)
	for _, imp := range pass.Pkg.Imports() {
		if !slices.ContainsFunc(imp.Imports(), func(p *types.Package) bool { return p.Path() == grpcPath }) {
			continue // generated service code imports grpc: its signatures name grpc.ServiceRegistrar
		}
		scope := imp.Scope()
		for _, name := range scope.Names() {
			if key, ok := registration(scope.Lookup(name)); ok {
				keys[scope.Lookup(name)] = key
			}
		}
	}
	var own []string
	if len(keys) > 0 {
		seen := make(map[string]bool)
		for _, obj := range pass.TypesInfo.Uses {
			if key, ok := keys[obj]; ok && !seen[key] {
				seen[key] = true
				own = append(own, key)
			}
		}
		slices.Sort(own)
		if len(own) > 0 {
			pass.ExportPackageFact(&serves{Services: own})
		}
	}
	if !InMainModule(pass) || !hasTestFiles(pass) {
		return
	}
	m.served = make(map[string]bool)
	for _, key := range own {
		m.served[key] = true
	}
	for _, f := range pass.AllPackageFacts() {
		if s, ok := f.Fact.(*serves); ok {
			for _, key := range s.Services {
				m.served[key] = true
			}
		}
	}
}

// registration reports whether obj registers a gRPC service on a server,
// and the service's key: a generated RegisterXxxServer function (its
// first parameter a grpc.ServiceRegistrar, or *grpc.Server in the oldest
// style) or an Xxx_ServiceDesc variable.
func registration(obj types.Object) (string, bool) {
	switch obj := obj.(type) {
	case *types.Func:
		name, ok := strings.CutPrefix(obj.Name(), "Register")
		if !ok {
			return "", false
		}
		if name, ok = strings.CutSuffix(name, "Server"); !ok || name == "" {
			return "", false
		}
		params := obj.Signature().Params()
		if params.Len() != 2 {
			return "", false
		}
		first := params.At(0).Type()
		if ptr, ok := first.(*types.Pointer); ok {
			first = ptr.Elem()
		}
		if !lint.IsNamed(first, grpcPath, "ServiceRegistrar") && !lint.IsNamed(first, grpcPath, "Server") {
			return "", false
		}
		return obj.Pkg().Path() + "." + name, true
	case *types.Var:
		name, ok := strings.CutSuffix(obj.Name(), "_ServiceDesc")
		if !ok || name == "" || !lint.IsNamed(obj.Type(), grpcPath, "ServiceDesc") {
			return "", false
		}
		return obj.Pkg().Path() + "." + name, true
	}
	return "", false
}

func hasTestFiles(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		if lint.InTestFile(pass.Fset, f.FileStart) {
			return true
		}
	}
	return false
}

// ServiceOf returns the key of the service whose generated client declares
// method (pb.EchoClient.Unary, in any generated style: "example.com/pb.Echo"),
// or "" when method is not a generated client's.
func ServiceOf(method *types.Func) string {
	recv := method.Signature().Recv()
	if recv == nil || method.Pkg() == nil {
		return ""
	}
	t := recv.Type()
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	name, ok := strings.CutSuffix(named.Obj().Name(), "Client")
	if !ok || name == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(name)
	name = string(unicode.ToUpper(r)) + name[size:]
	if _, ok := registration(method.Pkg().Scope().Lookup("Register" + name + "Server")); !ok {
		return ""
	}
	return method.Pkg().Path() + "." + name
}

// Served reports whether the test program of this package registers the
// service with key on a server of its own (see ServiceOf): the package or
// one it depends on has a serves fact naming it. False outside the modules
// under development and in packages without test files.
func (m *Model) Served(key string) bool { return key != "" && m.served[key] }
