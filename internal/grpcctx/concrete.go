package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// returnsConcrete is the fact of a constructor: a function, declared in a
// hand-written file, whose one result is an interface and whose every
// return statement returns a value of the same hand-written named type T
// of its package (&T{...}, T{...} or new(T)). A method called on its
// result is T's. thanos' storepb.ServerAsClient is one: it returns a
// StoreClient that calls the server in-process, no RPC.
//
// Generated code makes no such fact: NewEchoClient's result stays a
// client interface, judged by its shape.
type returnsConcrete struct {
	Type    string // T's name
	Pointer bool   // the result is *T
}

func (*returnsConcrete) AFact() {}

func (f *returnsConcrete) String() string {
	if f.Pointer {
		return "returnsConcrete(*" + f.Type + ")"
	}
	return "returnsConcrete(" + f.Type + ")"
}

// resolve returns the type the fact names in pkg, or nil when pkg's scope
// does not hold it (export data may leave unexported types out).
func (f *returnsConcrete) resolve(pkg *types.Package) types.Type {
	tn, ok := pkg.Scope().Lookup(f.Type).(*types.TypeName)
	if !ok {
		return nil
	}
	if f.Pointer {
		return types.NewPointer(tn.Type())
	}
	return tn.Type()
}

// ConcreteMethod returns the method that call, an interface method called
// on the result of a constructor (see returnsConcrete), runs:
// ServerAsClient(srv).Series(ctx, req) runs serverAsClient.Series. It
// returns nil for any other call.
func (m *Model) ConcreteMethod(call *ast.CallExpr) *types.Func {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s, ok := m.info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal || !types.IsInterface(s.Recv()) {
		return nil
	}
	ctor, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn := typeutil.StaticCallee(m.info, ctor)
	if fn == nil {
		return nil
	}
	t := m.concrete[fn.Origin()]
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, false, s.Obj().Pkg(), sel.Sel.Name)
	method, _ := obj.(*types.Func)
	return method
}

// findConstructors records this package's constructors and exports
// their facts.
func (m *Model) findConstructors(pass *analysis.Pass) {
	for _, file := range pass.Files {
		if m.generated[pass.Fset.File(file.FileStart)] {
			continue
		}
		for _, d := range file.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			res := fn.Signature().Results()
			if res.Len() != 1 || !types.IsInterface(res.At(0).Type()) {
				continue
			}
			if fact := m.constructed(pass.TypesInfo, decl); fact != nil {
				if t := fact.resolve(pass.Pkg); t != nil {
					m.concrete[fn] = t
					pass.ExportObjectFact(fn, fact)
				}
			}
		}
	}
}

// constructed returns the fact of decl when every return statement in its
// body (not in function literals) returns the same named type of this
// package, declared in a hand-written file and not generic.
func (m *Model) constructed(info *types.Info, decl *ast.FuncDecl) *returnsConcrete {
	var fact *returnsConcrete
	ok := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			f := m.concreteValue(info, n)
			if f == nil || fact != nil && *f != *fact {
				ok = false
			}
			fact = f
		}
		return ok
	})
	if !ok {
		return nil
	}
	return fact
}

// concreteValue returns the type ret returns, if it is a value of a named
// type of this package made right there.
func (m *Model) concreteValue(info *types.Info, ret *ast.ReturnStmt) *returnsConcrete {
	if len(ret.Results) != 1 {
		return nil
	}
	var t types.Type
	pointer := false
	switch e := ast.Unparen(ret.Results[0]).(type) {
	case *ast.UnaryExpr: // &T{...}
		if lit, ok := ast.Unparen(e.X).(*ast.CompositeLit); ok {
			t, pointer = info.TypeOf(lit), true
		}
	case *ast.CompositeLit: // T{...}
		t = info.TypeOf(e)
	case *ast.CallExpr: // new(T)
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok && len(e.Args) == 1 {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
				t, pointer = info.TypeOf(e.Args[0]), true
			}
		}
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() != m.pkg || named.TypeParams().Len() > 0 ||
		m.generated[m.fset.File(named.Obj().Pos())] {
		return nil
	}
	return &returnsConcrete{Type: named.Obj().Name(), Pointer: pointer}
}
