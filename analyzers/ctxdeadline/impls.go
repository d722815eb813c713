package ctxdeadline

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// implMethods is the fact of a client interface a package declares in a
// hand-written file (dragonfly's managerclient.V2, dfdaemonclient.Client):
// what the package's own implementations of it do with their contexts,
// joined over every concrete type the package's functions return as that
// interface (see implsOf). A direct call on a value of that interface whose
// origin is not in view (a struct field set from a constructor's
// parameter, a pool's Get) is judged by it: when every implementation's
// method adds its own deadline, or makes no RPC, the call is bounded.
// Generated client interfaces get no fact (their constructors are not
// looked into): a call on one stays judged by its shape.
type implMethods struct {
	// Methods, as in ctorMethods: the interface's methods that reach a
	// deadline-less RPC in some implementation, or that some
	// implementation has no body for; the others reach none.
	Methods []ctorMethod // by Name
}

func (*implMethods) AFact() {}

func (f *implMethods) String() string {
	return "implMethods" + strings.TrimPrefix((*ctorMethods)(f).String(), "ctorMethods")
}

// methodsOf returns the entries of t's methods of iface that take a
// context, as a constructor's fact lists them (see ctorMethods), and
// whether iface has such a method.
func (s *state) methodsOf(t types.Type, iface *types.Interface, facts factTable) ([]ctorMethod, bool) {
	var out []ctorMethod
	takesContext := false
	for im := range iface.Methods() {
		if len(grpcctx.ContextParams(im.Signature())) == 0 {
			continue
		}
		takesContext = true
		obj, _, _ := types.LookupFieldOrMethod(t, false, im.Pkg(), im.Name())
		m, _ := obj.(*types.Func)
		switch {
		case m == nil || m.Pkg() != s.pass.Pkg || types.IsInterface(m.Signature().Recv().Type()):
			out = append(out, ctorMethod{Name: im.Name(), Shape: true})
		case facts.Has(m):
			f, _ := facts.Local(m)
			out = append(out, ctorMethod{Name: im.Name(), Params: f.Params})
		}
	}
	slices.SortFunc(out, func(a, b ctorMethod) int { return cmp.Compare(a.Name, b.Name) })
	return out, takesContext
}

// exportImplFacts computes and exports the implMethods fact of each
// exported interface this package declares in a hand-written file whose
// implementations are known (implsOf), and keeps them for this package's
// own calls.
func (s *state) exportImplFacts(facts factTable) {
	s.impls = make(map[*types.TypeName]*implMethods)
	for _, im := range s.implsOf() {
		iface := im.obj.Type().Underlying().(*types.Interface)
		byName := make(map[string]*ctorMethod)
		var names []string
		takesContext := false
		for _, t := range im.types {
			methods, ok := s.methodsOf(t, iface, facts)
			takesContext = takesContext || ok
			for _, m := range methods {
				e := byName[m.Name]
				if e == nil {
					e = &ctorMethod{Name: m.Name}
					byName[m.Name] = e
					names = append(names, m.Name)
				}
				e.Shape = e.Shape || m.Shape
				e.Params = append(e.Params, m.Params...)
			}
		}
		if !takesContext {
			continue
		}
		slices.Sort(names)
		fact := new(implMethods)
		for _, n := range names {
			fact.Methods = append(fact.Methods, *byName[n])
		}
		s.impls[im.obj] = fact
		if im.obj.Exported() {
			s.pass.ExportObjectFact(im.obj, fact)
		}
	}
}

// An impls is an interface of this package and the concrete types its
// functions return as it.
type impls struct {
	obj   *types.TypeName
	types []types.Type
}

// implsOf returns this package's interfaces, declared in hand-written
// files, whose implementations are known: every function declared in a
// hand-written file whose first result is the interface (alone, or with an
// error) returns, on every return statement, nil (with an error), a value
// of a named, non-generic type of this package declared in a hand-written
// file, a type assertion to the interface (a value the package stored
// before, dragonfly's pool.Get), or the result of another such function of
// this package; and at least one concrete type is returned. Any other
// return (another package's value, a variable of another interface type)
// leaves the interface without a fact. The types are those returned and
// every other named type of the package that implements the interface
// (an exported type may be made elsewhere and stored in it). In source
// order.
func (s *state) implsOf() []impls {
	pass := s.pass
	info := pass.TypesInfo
	generated := make(map[*token.File]bool)
	for _, f := range pass.Files {
		if lint.IsGeneratedFile(f) {
			generated[pass.Fset.File(f.FileStart)] = true
		}
	}
	handWritten := func(obj types.Object) bool {
		return obj.Pkg() == pass.Pkg && !generated[pass.Fset.File(obj.Pos())]
	}
	// iface returns the interface of this package t names, or nil.
	iface := func(t types.Type) *types.TypeName {
		n, ok := types.Unalias(t).(*types.Named)
		if !ok || !types.IsInterface(n) || n.TypeParams().Len() > 0 || !handWritten(n.Obj()) {
			return nil
		}
		return n.Obj()
	}
	// resultIface returns the interface fn's first result is when fn
	// returns it alone or with an error.
	resultIface := func(sig *types.Signature) *types.TypeName {
		res := sig.Results()
		switch {
		case res.Len() == 1:
		case res.Len() == 2 && types.Identical(res.At(1).Type(), types.Universe.Lookup("error").Type()):
		default:
			return nil
		}
		return iface(res.At(0).Type())
	}
	var order []*types.TypeName
	found := make(map[*types.TypeName][]types.Type)
	bad := make(map[*types.TypeName]bool)
	for _, file := range pass.Files {
		if generated[pass.Fset.File(file.FileStart)] {
			continue
		}
		for _, d := range file.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil {
				continue
			}
			fn, ok := info.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			obj := resultIface(fn.Signature())
			if obj == nil || bad[obj] {
				continue
			}
			if _, seen := found[obj]; !seen {
				order = append(order, obj)
				found[obj] = nil
			}
			r := &returns{decl: decl, obj: obj, resultIface: resultIface, handWritten: handWritten}
			ast.Inspect(decl.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.ReturnStmt:
					if len(n.Results) == 0 {
						bad[obj] = true // named results: not followed
						return false
					}
					t, ok := s.returnedImpl(n.Results[0], r, nil)
					if !ok {
						bad[obj] = true
						return false
					}
					if t != nil && !slices.ContainsFunc(found[obj], func(u types.Type) bool { return types.Identical(u, t) }) {
						found[obj] = append(found[obj], t)
					}
				}
				return !bad[obj]
			})
		}
	}
	// Every other type of the package that implements the interface may
	// be made elsewhere and stored in it (an exported type returned as
	// itself): it joins too.
	var named []*types.Named
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || !handWritten(tn) {
			continue
		}
		if n, ok := tn.Type().(*types.Named); ok && !types.IsInterface(n) && n.TypeParams().Len() == 0 {
			named = append(named, n)
		}
	}
	index := lint.NewImplIndex(named)
	var out []impls
	for _, obj := range order {
		if bad[obj] || len(found[obj]) == 0 {
			continue
		}
		iface := obj.Type().Underlying().(*types.Interface)
		ts := found[obj]
		for _, n := range index.Candidates(iface) {
			for _, t := range []types.Type{n, types.NewPointer(n)} {
				if types.Implements(t, iface) {
					if !slices.ContainsFunc(ts, func(u types.Type) bool { return types.Identical(u, t) }) {
						ts = append(ts, t)
					}
					break
				}
			}
		}
		out = append(out, impls{obj, ts})
	}
	return out
}

// returns is what returnedImpl needs of one function: the function, the
// interface obj it returns, implsOf's tests, and the values its body
// stores in its local variables of type obj, by variable, from one walk
// of the body made on the first question.
type returns struct {
	decl        *ast.FuncDecl
	obj         *types.TypeName
	resultIface func(*types.Signature) *types.TypeName
	handWritten func(types.Object) bool
	stores      map[*types.Var][]ast.Expr
	verdicts    map[*types.Var]bool // a variable's stores add no type
}

// returnedImpl classifies e, the first result of a return statement of
// r.decl, a function whose first result is the interface r.obj (see implsOf):
// the concrete type it returns, or nil with ok for a value that adds no
// type (nil, a type assertion to obj, a call of another function of this
// package returning obj, a local variable of type obj that decl sets only
// to such values); ok is false for anything else. visiting cuts cycles
// between local variables.
func (s *state) returnedImpl(e ast.Expr, r *returns, visiting map[*types.Var]bool) (types.Type, bool) {
	info := s.pass.TypesInfo
	decl, obj := r.decl, r.obj
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.IsNil() {
		return nil, true
	}
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if ok && types.Identical(v.Type(), obj.Type()) && v.Pos() > decl.Body.Lbrace && v.Pos() < decl.Body.Rbrace {
			if ok, known := r.verdicts[v]; known {
				return nil, ok
			}
			if visiting[v] {
				return nil, true
			}
			if visiting == nil {
				visiting = make(map[*types.Var]bool)
			}
			visiting[v] = true
			if r.stores == nil {
				r.stores = localStores(info, decl.Body, obj.Type())
				r.verdicts = make(map[*types.Var]bool)
			}
			ok := true
			for _, rhs := range r.stores[v] {
				if rhs == nil {
					ok = false
					break
				}
				// A concrete value through a variable is not followed.
				if t, k := s.returnedImpl(rhs, r, visiting); !k || t != nil {
					ok = false
					break
				}
			}
			delete(visiting, v)
			if len(visiting) == 0 {
				r.verdicts[v] = ok // computed with no cycle cut on the way
			}
			return nil, ok
		}
	case *ast.TypeAssertExpr:
		if e.Type != nil && info.TypeOf(e.Type) == obj.Type() {
			return nil, true
		}
	case *ast.CallExpr:
		if callee := typeutil.StaticCallee(info, e); callee != nil && callee.Pkg() == s.pass.Pkg && r.resultIface(callee.Signature()) == obj {
			return nil, true
		}
	}
	t := info.TypeOf(e)
	if tup, ok := t.(*types.Tuple); ok && tup.Len() > 0 {
		t = tup.At(0).Type()
	}
	if t == nil || types.IsInterface(t) {
		return nil, false
	}
	base := t
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		base = p.Elem()
	}
	n, ok := types.Unalias(base).(*types.Named)
	if !ok || n.TypeParams().Len() > 0 || !r.handWritten(n.Obj()) {
		return nil, false
	}
	return t, true
}

// implBounded reports whether u, a direct call of an interface method on
// a client whose origin is not in view, is bounded by the implementations
// its interface's package declares (implMethods): each one's method adds
// its own deadline or makes no RPC.
func (s *state) implBounded(u use) bool {
	if u.iface == nil {
		return false
	}
	fact, ok := s.impls[u.iface]
	if !ok && u.iface.Pkg() != s.pass.Pkg {
		fact = new(implMethods)
		ok = s.pass.ImportObjectFact(u.iface, fact)
	}
	if !ok {
		return false
	}
	m, body := (*ctorMethods)(fact).method(u.ifaceMethod)
	return body && len(m.Params) == 0
}

// unknownIface returns the interface g's receiver is and g's method name,
// when g is a call of a method of an interface that implBounded may judge
// (a named interface of a hand-written file) on a client not known to be a
// network client; else nil.
func unknownIface(info *types.Info, g grpcctx.GRPCCall, client grpcctx.Client) (*types.TypeName, string) {
	if client.Kind == grpcctx.ClientConn {
		return nil, "" // a client built from a connection in view: an RPC
	}
	sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	sn, ok := info.Selections[sel]
	if !ok || sn.Kind() != types.MethodVal {
		return nil, ""
	}
	n, ok := types.Unalias(sn.Recv()).(*types.Named)
	if !ok || !types.IsInterface(n) {
		return nil, ""
	}
	return n.Obj(), sel.Sel.Name
}

// localStores returns the values body assigns to its variables of type
// t, by variable: for c, err := f(), the call; nil for a store that is not
// a plain assignment of one value (a second result, a range value, an
// address taken).
func localStores(info *types.Info, body *ast.BlockStmt, t types.Type) map[*types.Var][]ast.Expr {
	out := make(map[*types.Var][]ast.Expr)
	var v *types.Var // the variable is last matched
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok = info.ObjectOf(id).(*types.Var)
		return ok && types.Identical(v.Type(), t)
	}
	// store records the value stored by the i-th of n names or
	// expressions assigned values.
	store := func(i, n int, values []ast.Expr) {
		switch {
		case len(values) == 0: // var c Client: the zero value, nil
		case n == len(values):
			out[v] = append(out[v], values[i])
		case i == 0 && len(values) == 1:
			out[v] = append(out[v], values[0])
		default:
			out[v] = append(out[v], nil)
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if is(lhs) {
					store(i, len(n.Lhs), n.Rhs)
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if is(name) {
					store(i, len(n.Names), n.Values)
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil && is(e) {
					out[v] = append(out[v], nil)
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && is(n.X) {
				out[v] = append(out[v], nil) // its address escapes
			}
		}
		return true
	})
	return out
}
