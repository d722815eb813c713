package ctxloop

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// chanAccessor is the fact of a method that returns one of its receiver's
// fields, a channel, and does nothing else (func (c *Connection) ErrorCh()
// chan error { return c.errorChan }): a wait on, or a close of, its result
// is one on the field, in the method's package and in every package that
// calls it (istio's per-stream xds.Connection, whose channels the xDS
// servers of other packages close and wait on through such methods).
type chanAccessor struct {
	Field string // the field's name, in the method's package
}

func (*chanAccessor) AFact() {}

func (f *chanAccessor) String() string { return "chanAccessor(" + f.Field + ")" }

// findAccessors exports the chanAccessor facts of pkg's methods. Like
// findSnapshots it runs on every package, and looks only at methods
// without parameters whose one result is a channel.
func findAccessors(pass *analysis.Pass) *lint.FactTable[chanAccessor, *chanAccessor] {
	t := lint.NewFactTable[chanAccessor](pass)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil || len(fd.Body.List) != 1 {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			sig := fn.Signature()
			if !accessorShape(fn) {
				continue
			}
			ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			sel, ok := ast.Unparen(ret.Results[0]).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			x, ok := ast.Unparen(sel.X).(*ast.Ident)
			if !ok || sig.Recv() == nil || pass.TypesInfo.Uses[x] != sig.Recv() {
				continue
			}
			if s, ok := pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.FieldVal {
				t.Set(fn, &chanAccessor{Field: sel.Sel.Name})
			}
		}
	}
	t.Export()
	return t
}

// accessorShape reports whether fn could be a channel accessor: a method
// without parameters whose one result is a channel.
func accessorShape(fn *types.Func) bool {
	sig := fn.Signature()
	return sig.Recv() != nil && sig.Params().Len() == 0 && sig.Results().Len() == 1 && isChan(sig.Results().At(0).Type())
}

// accessedField returns the field fn, a method with the chanAccessor fact,
// returns.
func accessedField(t *lint.FactTable[chanAccessor, *chanAccessor], fn *types.Func) *types.Var {
	if fn == nil || fn.Signature().Recv() == nil {
		return nil
	}
	f, ok := t.Lookup(fn.Origin())
	if !ok {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(fn.Signature().Recv().Type(), true, fn.Pkg(), f.Field)
	v, _ := obj.(*types.Var)
	if v == nil || !v.IsField() {
		return nil
	}
	return v.Origin()
}
