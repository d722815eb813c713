package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// ConcreteMethod returns the method that call, an interface method called
// on the result of a constructor of this package (directly, or through
// variables every assignment of which is a call of a constructor
// returning the same type: c := WithBefore(cc); c = WithOptions(c), see
// Client.Made; fn is the function around call), runs: ServerAsClient(srv).Series(ctx, req) runs
// serverAsClient.Series. It returns nil for any other call.
//
// A constructor is a function, declared in a hand-written file, whose one
// result is an interface (or an interface and an error, with return nil,
// err on its failing paths) and whose every return statement returns a value
// of the same hand-written, non-generic named type T of its package
// (&T{...}, T{...} or new(T)). thanos' storepb.ServerAsClient is one: it
// returns a StoreClient that calls the server in process, no RPC.
// Generated constructors (NewEchoClient) are not looked into.
//
// Only this package's constructors are known: a fact about another
// package's could not name T where T is unexported, as it mostly is, and
// go vet, which sees other packages through export data only, would then
// judge the call differently from the standalone command.
func (m *Model) ConcreteMethod(call *ast.CallExpr, fn ast.Node) *types.Func {
	if len(m.concrete) == 0 {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s, ok := m.info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal || !types.IsInterface(s.Recv()) {
		return nil
	}
	t := m.ClientValue(sel.X, fn).Made
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, false, s.Obj().Pkg(), sel.Sel.Name)
	method, _ := obj.(*types.Func)
	return method
}

// Constructors returns this package's constructors (see ConcreteMethod),
// in source order.
func (m *Model) Constructors() []*types.Func { return m.ctors }

// Constructed returns the concrete type the constructor fn returns, or nil
// when fn is not one of this package's constructors.
func (m *Model) Constructed(fn *types.Func) types.Type { return m.concrete[fn.Origin()] }

// findConstructors records this package's constructors.
func (m *Model) findConstructors(pass *analysis.Pass) {
	m.concrete = make(map[*types.Func]types.Type)
	for _, file := range pass.Files {
		if m.generated[pass.Fset.File(file.FileStart)] {
			continue
		}
		for _, d := range file.Decls {
			lint.Enter(pass, d)
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			if !ctorResults(fn.Signature().Results()) {
				continue
			}
			if t := m.constructed(pass.TypesInfo, decl); t != nil {
				m.concrete[fn] = t
				m.ctors = append(m.ctors, fn)
			}
		}
	}
	lint.Leave(pass)
}

// ctorResults reports whether a constructor may have these results: an
// interface, or an interface and an error (func GetClient(target string)
// (Client, error), which returns nil and the error when the dial fails).
func ctorResults(res *types.Tuple) bool {
	switch res.Len() {
	case 1:
		return types.IsInterface(res.At(0).Type())
	case 2:
		return types.IsInterface(res.At(0).Type()) && types.Identical(res.At(1).Type(), types.Universe.Lookup("error").Type())
	}
	return false
}

// constructed returns the type decl constructs when every return
// statement in its body (not in function literals) returns the same named
// type of this package, declared in a hand-written file and not generic;
// with an error result, a return of nil (and the error) makes nothing and
// does not count, but one return at least must make the value.
func (m *Model) constructed(info *types.Info, decl *ast.FuncDecl) types.Type {
	var t types.Type
	ok := true
	for ret := range lint.Returns(decl.Body) {
		if len(ret.Results) == 2 && isNil(info, ret.Results[0]) {
			continue // return nil, err
		}
		rt := m.concreteValue(info, ret)
		if rt == nil || t != nil && !types.Identical(rt, t) {
			ok = false
			break
		}
		t = rt
	}
	if !ok {
		return nil
	}
	return t
}

// concreteValue returns the type ret returns, if it is a value of a named
// type of this package made right there.
func (m *Model) concreteValue(info *types.Info, ret *ast.ReturnStmt) types.Type {
	if len(ret.Results) != 1 && (len(ret.Results) != 2 || !isNil(info, ret.Results[1])) {
		return nil // one value, or the value and a nil error
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
	if pointer {
		return types.NewPointer(named)
	}
	return named
}
