package lint

import (
	"go/types"
	"slices"
	"testing"
)

const implsSrc = `package p

type I interface{ M(); N() }
type Empty interface{}

type A struct{}
func (A) M() {}
func (A) N() {}

type B struct{}
func (B) M() {}

type C struct{ A } // promoted

type D struct{}
func (*D) M() {}
func (*D) N() {}

type E int
`

// TestImplIndex checks that the candidates are every type that implements
// the interface (value or pointer), in the package's order, and that an
// interface without methods gets every type.
func TestImplIndex(t *testing.T) {
	pass, _ := testPass(t, implsSrc, nil, nil)
	pkg := pass.Pkg
	var named []*types.Named
	for _, name := range pkg.Scope().Names() {
		if n, ok := pkg.Scope().Lookup(name).Type().(*types.Named); ok && !types.IsInterface(n) {
			named = append(named, n)
		}
	}
	x := NewImplIndex(named)
	iface := pkg.Scope().Lookup("I").Type().Underlying().(*types.Interface)
	var got []string
	for _, n := range x.Candidates(iface) {
		if types.Implements(n, iface) || types.Implements(types.NewPointer(n), iface) {
			got = append(got, n.Obj().Name())
		}
	}
	var want []string
	for _, n := range named {
		if types.Implements(n, iface) || types.Implements(types.NewPointer(n), iface) {
			want = append(want, n.Obj().Name())
		}
	}
	if !slices.Equal(got, want) || len(want) != 3 {
		t.Errorf("implementers among the candidates: %v; want %v (A, C, D)", got, want)
	}
	if len(x.Candidates(iface)) >= len(named) {
		t.Errorf("candidates %d of %d types: the index filters nothing", len(x.Candidates(iface)), len(named))
	}
	empty := pkg.Scope().Lookup("Empty").Type().Underlying().(*types.Interface)
	if c := x.Candidates(empty); len(c) != len(named) {
		t.Errorf("an interface without methods: %d candidates, want all %d", len(c), len(named))
	}
}
