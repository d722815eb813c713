package ctxdetach

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// keepsParams is the fact of a function that keeps a context parameter
// (by index), or a context derived from it, in a value that outlives the
// call: a struct it builds (&container{ctx: ctx}) or a field it sets. The
// context is then the lifetime of that value, not of one call: buildkit's
// container.NewContainer(ctx, ...) makes a container whose processes run
// on ctx. Where the caller keeps that value too (stored in a field or a
// map for later RPCs), a context detached from the request is the
// object's lifetime, on purpose.
type keepsParams struct {
	Params []int
}

func (*keepsParams) AFact() {}

func (f *keepsParams) String() string {
	return fmt.Sprintf("keepsParams(%v)", f.Params)
}

// exportKeeps finds this package's function declarations that keep a
// context parameter in a composite literal or a field, exports their
// keepsParams facts and returns the table. Only declarations with a
// context parameter are looked at, and in them only composite literal
// elements and assignments to fields or elements of context type.
func exportKeeps(pass *analysis.Pass, m *grpcctx.Model) *lint.FactTable[keepsParams, *keepsParams] {
	out := lint.NewFactTable[keepsParams](pass)
	info := pass.TypesInfo
	for cur := range m.Inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := info.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil {
			continue
		}
		sig := fn.Signature()
		ctxParams := grpcctx.ContextParams(sig)
		if len(ctxParams) == 0 {
			continue
		}
		var kept []int
		keep := func(e ast.Expr) {
			if !grpcctx.IsContext(info.TypeOf(e)) {
				return
			}
			o := m.Origin(e)
			if o.Root != grpcctx.Param || o.Var == nil {
				return
			}
			for _, i := range ctxParams {
				if sig.Params().At(i) == o.Var && !slices.Contains(kept, i) {
					kept = append(kept, i)
				}
			}
		}
		for c := range cur.Preorder((*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)) {
			switch n := c.Node().(type) {
			case *ast.CompositeLit:
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						elt = kv.Value
					}
					keep(elt)
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					switch ast.Unparen(lhs).(type) {
					case *ast.SelectorExpr, *ast.IndexExpr:
						if len(n.Rhs) == len(n.Lhs) {
							keep(n.Rhs[i])
						}
					}
				}
			}
		}
		if len(kept) > 0 {
			slices.Sort(kept)
			out.Set(fn, &keepsParams{Params: kept})
		}
	}
	out.Export()
	return out
}
