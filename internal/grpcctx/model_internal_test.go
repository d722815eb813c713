package grpcctx

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// A source is one type-checked package of test code, from which a fresh
// Model can be built as often as a benchmark needs.
type source struct {
	fset  *token.FileSet
	files []*ast.File
	pkg   *types.Package
	info  *types.Info
}

// stdImporter reads the standard library's export data once per test
// binary: every package of test code imports context.
var stdImporter = sync.OnceValue(func() types.Importer { return importer.Default() })

// load parses and type-checks src, a file of package p (its path
// example.com/p puts it in the module under development).
func load(tb testing.TB, src string) *source { return loadPkg(tb, "example.com/p", src) }

// loadPkg parses and type-checks src as the package at path, which may
// import the packages deps (by their paths) and the standard library.
func loadPkg(tb testing.TB, path, src string, deps ...*source) *source {
	tb.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path+"/p.go", src, parser.ParseComments)
	if err != nil {
		tb.Fatal(err)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Implicits:  make(map[ast.Node]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:     make(map[ast.Node]*types.Scope),
		Instances:  make(map[*ast.Ident]types.Instance),
	}
	imp := importerFunc(func(p string) (*types.Package, error) {
		for _, d := range deps {
			if d.pkg.Path() == p {
				return d.pkg, nil
			}
		}
		return stdImporter().Import(p)
	})
	pkg, err := (&types.Config{Importer: imp}).Check(path, fset, []*ast.File{f}, info)
	if err != nil {
		tb.Fatal(err)
	}
	return &source{fset: fset, files: []*ast.File{f}, pkg: pkg, info: info}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// A factStore holds the object facts the Models built from it export, for
// the Models of the packages that import theirs, as a driver does.
type factStore map[types.Object][]analysis.Fact

// model builds the Model of s as the Analyzer would, with no facts to
// import.
func (s *source) model(tb testing.TB) *Model { return s.modelWith(tb, nil) }

// modelWith builds the Model of s, importing facts from facts and
// exporting its own there (when facts is not nil).
func (s *source) modelWith(tb testing.TB, facts factStore) *Model {
	tb.Helper()
	pass := &analysis.Pass{
		Analyzer:  Analyzer,
		Fset:      s.fset,
		Files:     s.files,
		Pkg:       s.pkg,
		TypesInfo: s.info,
		ImportObjectFact: func(obj types.Object, f analysis.Fact) bool {
			for _, have := range facts[obj] {
				if reflect.TypeOf(have) == reflect.TypeOf(f) {
					reflect.ValueOf(f).Elem().Set(reflect.ValueOf(have).Elem())
					return true
				}
			}
			return false
		},
		ExportObjectFact: func(obj types.Object, f analysis.Fact) {
			if facts != nil {
				facts[obj] = append(facts[obj], f)
			}
		},
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportPackageFact: func(analysis.Fact) {},
		Report:            func(analysis.Diagnostic) {},
	}
	res, err := run(pass)
	if err != nil {
		tb.Fatal(err)
	}
	return res.(*Model)
}

// calls returns the first argument of every call of the function named
// name in s, in source order.
func (s *source) calls(name string) []ast.Expr {
	var args []ast.Expr
	for _, f := range s.files {
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == name && len(c.Args) > 0 {
					args = append(args, c.Args[0])
				}
			}
			return true
		})
	}
	return args
}
