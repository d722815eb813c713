package ctxdeadline

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/grpccancelcheck/grpccancelcheck/internal/division"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// Shapes of one package for BenchmarkDetached, each with n pieces. Every
// shape calls a hand-written client interface's methods (a context first,
// ...grpc.CallOption last) on context.Background().
var detachedShapes = []struct {
	name string
	body func(n int) string
}{
	// n exported helpers that take no context, each calling the next,
	// declared last first, the last making the detached RPC: ctxdetach's
	// detachedCall fact passes through all of them to run's call.
	{"helpers", func(n int) string {
		var b strings.Builder
		for i := n - 1; i >= 0; i-- {
			if i == n-1 {
				fmt.Fprintf(&b, "func F%d(c Client) { _, _ = c.M0(context.Background(), nil) }\n", i)
			} else {
				fmt.Fprintf(&b, "func F%d(c Client) { F%d(c) }\n", i, i+1)
			}
		}
		b.WriteString("func run(c Client) { F0(c) }\n")
		return b.String()
	}},
	// a dispatch table of n method values and 2n calls through it.
	{"table", func(n int) string {
		var b strings.Builder
		b.WriteString("func run(c Client, k string) {\n\tm := map[string]call{\n")
		for i := range n {
			fmt.Fprintf(&b, "\t\t\"m%d\": c.M%d,\n", i, i)
		}
		b.WriteString("\t}\n")
		for i := range n {
			fmt.Fprintf(&b, "\t_, _ = m[\"m%d\"](context.Background(), nil)\n", i)
			fmt.Fprintf(&b, "\tif f, ok := m[k]; ok {\n\t\t_, _ = f(context.Background(), nil)\n\t}\n")
		}
		b.WriteString("}\n")
		return b.String()
	}},
	// n function-typed fields set in one composite literal, each called,
	// and n local variables, each a copy of the one before.
	{"fields", func(n int) string {
		var b strings.Builder
		b.WriteString("type calls struct {\n")
		for i := range n {
			fmt.Fprintf(&b, "\tf%d call\n", i)
		}
		b.WriteString("}\n\nfunc run(c Client) {\n\ts := calls{\n")
		for i := range n {
			fmt.Fprintf(&b, "\t\tf%d: c.M%d,\n", i, i)
		}
		b.WriteString("\t}\n\tv0 := c.M0\n")
		for i := range n {
			fmt.Fprintf(&b, "\t_, _ = s.f%d(context.Background(), nil)\n", i)
			if i > 0 {
				fmt.Fprintf(&b, "\tv%d := v%d\n", i, i-1)
			}
			fmt.Fprintf(&b, "\t_, _ = v%d(context.Background(), nil)\n", i)
		}
		b.WriteString("}\n")
		return b.String()
	}},
	// a wrapper that calls its callback with a client made from a
	// connection (a callbackClients fact), and a callback whose client is
	// used by n function literals nested in each other, each passing it
	// with context.Background() to a helper whose RPC is on it.
	{"callbacks", func(n int) string {
		var b strings.Builder
		b.WriteString("func newClient(cc grpc.ClientConnInterface) Client { return nil }\n")
		b.WriteString("func with(conn *grpc.ClientConn, fn func(Client) error) error { return fn(newClient(conn)) }\n")
		b.WriteString("func fetch(ctx context.Context, c Client) { _, _ = c.M0(ctx, nil) }\n")
		b.WriteString("func run(conn *grpc.ClientConn) {\n\t_ = with(conn, func(c Client) error {\n")
		for range n {
			b.WriteString("\tfetch(context.Background(), c)\n\tfunc() {\n")
		}
		for range n {
			b.WriteString("\t}()\n")
		}
		b.WriteString("\treturn nil\n\t})\n}\n")
		return b.String()
	}},
}

// detachedSource is the package around a shape's body: a client interface
// with n methods of one shape.
func detachedSource(n int, body string) string {
	var b strings.Builder
	b.WriteString("package p\n\nimport (\n\t\"context\"\n\n\t\"google.golang.org/grpc\"\n)\n\n")
	b.WriteString("type call = func(context.Context, *int, ...grpc.CallOption) (*int, error)\n\ntype Client interface {\n")
	for i := range max(n, 1) {
		fmt.Fprintf(&b, "\tM%d(ctx context.Context, in *int, opts ...grpc.CallOption) (*int, error)\n", i)
	}
	b.WriteString("}\n\n")
	return b.String() + body
}

// BenchmarkDetached measures the Model and one ctxdeadline run, beside
// ctxdetach, on one package of each shape with 4, 16 and 64 pieces, on
// packages type-checked once (grpc from the fixture module's export data).
func BenchmarkDetached(b *testing.B) {
	imp := grpcImporter(b)
	for _, shape := range detachedShapes {
		for _, n := range []int{4, 16, 64} {
			b.Run(fmt.Sprintf("%s/%d", shape.name, n), func(b *testing.B) {
				fset := token.NewFileSet()
				f, err := parser.ParseFile(fset, "p.go", detachedSource(n, shape.body(n)), 0)
				if err != nil {
					b.Fatal(err)
				}
				info := &types.Info{
					Types: make(map[ast.Expr]types.TypeAndValue), Defs: make(map[*ast.Ident]types.Object),
					Uses: make(map[*ast.Ident]types.Object), Implicits: make(map[ast.Node]types.Object),
					Selections: make(map[*ast.SelectorExpr]*types.Selection), Scopes: make(map[ast.Node]*types.Scope),
					Instances: make(map[*ast.Ident]types.Instance),
				}
				pkg, err := (&types.Config{Importer: imp}).Check("example.com/p", fset, []*ast.File{f}, info)
				if err != nil {
					b.Fatal(err)
				}
				a := New(Config{Ctxdetach: division.Handlers})
				var reports int
				b.ResetTimer()
				for b.Loop() {
					reports = 0
					pass := &analysis.Pass{
						Fset: fset, Files: []*ast.File{f}, Pkg: pkg, TypesInfo: info,
						Module:            &analysis.Module{Path: "example.com/p", Main: true},
						ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
						ExportObjectFact:  func(types.Object, analysis.Fact) {},
						ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
						ExportPackageFact: func(analysis.Fact) {},
						ReadFile:          func(string) ([]byte, error) { return nil, nil },
						Report:            func(analysis.Diagnostic) { reports++ },
					}
					pass.Analyzer = grpcctx.Analyzer
					m, err := grpcctx.Analyzer.Run(pass)
					if err != nil {
						b.Fatal(err)
					}
					pass.Analyzer = a
					pass.ResultOf = map[*analysis.Analyzer]any{grpcctx.Analyzer: m}
					if _, err := a.Run(pass); err != nil {
						b.Fatal(err)
					}
				}
				if reports == 0 {
					b.Fatal("nothing reported: the shape measures nothing")
				}
				b.ReportMetric(float64(reports), "findings")
			})
		}
	}
}

// grpcImporter imports google.golang.org/grpc and the standard library
// from the export data of the fixture module's build.
func grpcImporter(b *testing.B) types.Importer {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: fixturetest.Dir(b)},
		"google.golang.org/grpc", "context")
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		b.Fatalf("load: %v", err)
	}
	byPath := make(map[string]*types.Package)
	for _, p := range pkgs {
		byPath[p.PkgPath] = p.Types
	}
	return importerFunc(func(path string) (*types.Package, error) {
		if p := byPath[path]; p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("no package %s", path)
	})
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
