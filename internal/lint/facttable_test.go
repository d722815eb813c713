package lint

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
)

type mark struct{ N int }

func (*mark) AFact() {}

// testPass type-checks src as package p, which uses strings.ToUpper and
// strings.ToLower, and returns a pass whose imported facts are given and
// whose exports are recorded, and p's functions by name.
func testPass(t *testing.T, src string, given map[string]int, exported *[]string) (*analysis.Pass, map[string]*types.Func) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: make(map[*ast.Ident]types.Object), Defs: make(map[*ast.Ident]types.Object)}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	fns := make(map[string]*types.Func)
	for _, obj := range info.Defs {
		if fn, ok := obj.(*types.Func); ok {
			fns[fn.Name()] = fn
		}
	}
	pass := &analysis.Pass{
		Pkg:       pkg,
		TypesInfo: info,
		ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
			n, ok := given[obj.Pkg().Path()+"."+obj.Name()]
			if ok {
				fact.(*mark).N = n
			}
			return ok
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			*exported = append(*exported, obj.Name())
		},
	}
	return pass, fns
}

const src = `package p

import "strings"

func c() string { return strings.ToUpper("c") }
func a() string { return strings.ToLower("a") }
func b() {}
`

func TestFactTableLocal(t *testing.T) {
	var exported []string
	pass, fns := testPass(t, src, nil, &exported)
	tab := NewFactTable[mark](pass)
	tab.Set(fns["c"], &mark{1})
	tab.Set(fns["a"], &mark{2})
	if tab.Add(fns["c"], &mark{3}) {
		t.Error("Add replaced the fact of c")
	}
	tab.Set(fns["b"], &mark{4})
	tab.Delete(fns["a"])
	tab.Set(fns["a"], &mark{5}) // set again: keeps its first place
	if f, ok := tab.Lookup(fns["c"]); !ok || f.N != 1 {
		t.Errorf("Lookup(c) = %v, %v; want {1}, true", f, ok)
	}
	tab.Delete(fns["b"])
	if tab.Has(fns["b"]) {
		t.Error("b has a fact after Delete")
	}
	tab.Export()
	if want := []string{"c", "a"}; !slices.Equal(exported, want) {
		t.Errorf("exported %v; want %v, in the order first set", exported, want)
	}
}

func TestFactTableImport(t *testing.T) {
	var exported []string
	given := map[string]int{"strings.ToUpper": 7, "strings.ToLower": 8, "strings.Repeat": 9}
	pass, _ := testPass(t, src, given, &exported)
	var strs *types.Package
	var toUpper, toLower *types.Func
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok {
			strs = fn.Pkg()
			switch fn.Name() {
			case "ToUpper":
				toUpper = fn
			case "ToLower":
				toLower = fn
			}
		}
	}
	repeat := strs.Scope().Lookup("Repeat").(*types.Func)

	lazy := NewFactTable[mark](pass)
	if f, ok := lazy.Lookup(repeat); !ok || f.N != 9 {
		t.Errorf("lazy Lookup(Repeat) = %v, %v; want {9}, true: asked of the pass", f, ok)
	}

	eager := NewFactTable[mark](pass)
	eager.ImportUses(func(fn *types.Func) bool { return fn.Name() == "ToUpper" })
	if eager.Imported() != 1 {
		t.Errorf("Imported() = %d; want 1", eager.Imported())
	}
	if f, ok := eager.Lookup(toUpper); !ok || f.N != 7 {
		t.Errorf("Lookup(ToUpper) = %v, %v; want {7}, true", f, ok)
	}
	if eager.Has(toLower) || eager.Has(repeat) {
		t.Error("after ImportUses, Lookup asked the pass for a function it did not import")
	}
	var none *FactTable[mark, *mark]
	if none.Has(toUpper) {
		t.Error("a nil table has a fact")
	}
	if len(exported) != 0 {
		t.Errorf("exported %v; want nothing", exported)
	}
}
