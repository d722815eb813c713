package grpcctx

import (
	"go/ast"
	"go/types"
	"sync"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A reachIndex says which of this package's functions that take no
// context handler scope reaches, and what runs for this package's
// interface methods. It is built on the first question, by one walk of
// the package, and read-only after.
type reachIndex struct {
	once    sync.Once
	ignores map[*ast.FuncDecl]*types.Func   // see ContextIgnoringDecl
	ignored map[*types.Func]bool            // the same, by function
	impls   map[*types.Func][]*types.Func   // interface method -> the methods that may run
	methods []*types.Func                   // the keys of impls, in scope order
	reached map[*ast.FuncDecl]*Handler      // helper -> a handler whose scope calls it
	through map[*ast.FuncDecl][]*types.Func // helper -> the interface methods its first path went through; none for a static path
}

// namedTypes returns the non-generic named types pkg declares, interfaces
// and others apart, in the order of its scope.
func namedTypes(pkg *types.Package) (ifaces, others []*types.Named) {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue
		}
		if types.IsInterface(named) {
			ifaces = append(ifaces, named)
		} else {
			others = append(others, named)
		}
	}
	return ifaces, others
}

// Signature returns the signature of fn, a FuncDecl or FuncLit, or nil.
func Signature(info *types.Info, fn ast.Node) *types.Signature {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := info.Defs[fn.Name].(*types.Func); ok {
			return obj.Signature()
		}
	case *ast.FuncLit:
		sig, _ := info.TypeOf(fn).(*types.Signature)
		return sig
	}
	return nil
}

func (m *Model) reach() *reachIndex {
	ix := &m.cache.reach
	ix.once.Do(func() { ix.build(m) })
	return ix
}

// Implementations returns what may run for im, a method of a named
// interface of this package: the method of that name of every named type
// of this package that implements the interface (value or pointer), in
// the order of the package's scope. It returns nil when im is not such a
// method, when no type here implements it, or when one of the types gets
// the method from an embedded interface, whose body is unknown: then
// something the package does not show may run too.
func (m *Model) Implementations(im *types.Func) []*types.Func {
	if m.inspect == nil {
		return nil
	}
	return m.reach().impls[im]
}

// ContextIgnoringDecl returns the function fn declares when fn is a
// FuncDecl of this package, not a handler, that takes a context.Context
// and never uses it: every such parameter is blank, unnamed or never
// referred to, and no other parameter carries a context (a stream, an
// *http.Request). Its callers hand it a context that it drops; like a
// function that takes none (ContextFreeDecl), its behaviour goes to its
// callers as a fact. It returns nil otherwise.
func (m *Model) ContextIgnoringDecl(fn ast.Node) *types.Func {
	d, ok := fn.(*ast.FuncDecl)
	if !ok || m.inspect == nil {
		return nil
	}
	return m.reach().ignores[d]
}

// IgnoresContext reports whether fn, a function of this package, is a
// ContextIgnoringDecl.
func (m *Model) IgnoresContext(fn *types.Func) bool {
	return m.inspect != nil && m.reach().ignored[fn.Origin()]
}

// InterfaceMethods returns the methods of this package's named interfaces
// that have Implementations, in the order of the package's scope.
func (m *Model) InterfaceMethods() []*types.Func {
	if m.inspect == nil {
		return nil
	}
	return m.reach().methods
}

// ReachedFrom returns the handler whose scope calls decl, a function
// declaration of this package that takes no context (see
// ContextFreeDecl) or ignores the one it takes (ContextIgnoringDecl):
// a call in the handler's scope, or directly in the body of another such
// function it reaches (not in a function literal there, which may run
// later or not at all), of decl itself or of an interface method decl
// implements (see Implementations). It returns nil when no handler
// reaches decl. A detached context in such a function is ctxdetach's
// finding at the handler's call (its detachedCall fact), so that one bug
// gets one finding.
func (m *Model) ReachedFrom(decl *ast.FuncDecl) *Handler {
	if m.inspect == nil || len(m.handlers) == 0 {
		return nil
	}
	return m.reach().reached[decl]
}

// ReachedThrough returns, for a function ReachedFrom a handler, the
// interface methods whose calls the way from handler scope to it goes
// through, in order: none when static calls alone reach it, which are
// preferred. A detached context in it becomes ctxdetach's finding at the
// handler's call only where each of those methods has the fact too, that
// is where every implementation of each detaches.
func (m *Model) ReachedThrough(decl *ast.FuncDecl) []*types.Func {
	if m.inspect == nil || len(m.handlers) == 0 {
		return nil
	}
	return m.reach().through[decl]
}

func (ix *reachIndex) build(m *Model) {
	defer lint.Aside()() // the package's index, not the asking function's work
	ix.impls = make(map[*types.Func][]*types.Func)
	ix.reached = make(map[*ast.FuncDecl]*Handler)
	ix.ignores = make(map[*ast.FuncDecl]*types.Func)
	ix.ignored = make(map[*types.Func]bool)
	used := make(map[*types.Var]bool)
	for _, obj := range m.info.Uses {
		if v, ok := obj.(*types.Var); ok && m.params[v].fn != nil {
			used[v] = true
		}
	}
	uses := make(map[*ast.FuncDecl]bool) // declarations with a context parameter, true when one is used
	for v, p := range m.params {
		if d, ok := p.fn.(*ast.FuncDecl); ok {
			uses[d] = uses[d] || used[v]
		}
	}
	for d, u := range uses {
		fn, ok := m.info.Defs[d.Name].(*types.Func)
		if u || !ok || d.Body == nil || m.scope[d] != nil {
			continue
		}
		carrier := false
		for v := range fn.Signature().Params().Variables() {
			carrier = carrier || !IsContext(v.Type()) && hasContextMethod(v.Type())
		}
		if !carrier {
			ix.ignores[d] = fn
			ix.ignored[fn] = true
		}
	}
	ifaces, impls := namedTypes(m.pkg)
	index := lint.NewImplIndex(impls)
	for _, iface := range ifaces {
		it := iface.Underlying().(*types.Interface)
		var found []types.Type
		for _, t := range index.Candidates(it) {
			if types.Implements(t, it) {
				found = append(found, t)
			} else if p := types.NewPointer(t); types.Implements(p, it) {
				found = append(found, p)
			}
		}
		for im := range it.Methods() {
			if im.Pkg() != m.pkg {
				continue // from an embedded interface of another package
			}
			var ms []*types.Func
			for _, t := range found {
				obj, _, _ := types.LookupFieldOrMethod(t, false, im.Pkg(), im.Name())
				cm, ok := obj.(*types.Func)
				if !ok || cm.Pkg() != m.pkg || types.IsInterface(cm.Signature().Recv().Type()) {
					ms = nil
					break
				}
				ms = append(ms, cm)
			}
			if len(ms) > 0 && ix.impls[im] == nil {
				ix.impls[im] = ms
				ix.methods = append(ix.methods, im)
			}
		}
	}
	if len(m.handlers) == 0 {
		return
	}

	decls := make(map[*types.Func]*ast.FuncDecl, len(m.helpers)+len(ix.ignores))
	for d, fn := range m.helpers {
		decls[fn] = d
	}
	for d, fn := range ix.ignores {
		decls[fn] = d
	}
	// callsIn lists the calls in each function, literals apart.
	callsIn := make(map[ast.Node][]*ast.CallExpr)
	var inScope []ast.Node // functions in handler scope with calls, in source order
	for cur := range m.inspect.Root().Preorder((*ast.CallExpr)(nil)) {
		fn := lint.EnclosingFuncOf(cur)
		if fn == nil {
			continue
		}
		if callsIn[fn] == nil && m.scope[fn] != nil {
			inScope = append(inScope, fn)
		}
		callsIn[fn] = append(callsIn[fn], cur.Node().(*ast.CallExpr))
	}
	// Two rounds over the calls: static calls alone first, then
	// interface calls too, so that a function static calls reach has no
	// interface method on its way (ReachedThrough). The second round
	// starts again from handler scope and from every function the first
	// reached, in the order reached.
	ix.through = make(map[*ast.FuncDecl][]*types.Func)
	var order []*ast.FuncDecl
	visit := func(from *Handler, path []*types.Func, call *ast.CallExpr, dynamic bool) {
		var targets []*types.Func
		var im *types.Func
		if fn := typeutil.StaticCallee(m.info, call); fn != nil {
			targets = []*types.Func{fn.Origin()}
		} else if fn := lint.Callee(m.info, call); fn != nil && dynamic {
			targets, im = ix.impls[fn], fn
		}
		if im != nil {
			path = append(path[:len(path):len(path)], im)
		}
		for _, fn := range targets {
			if d := decls[fn]; d != nil && ix.reached[d] == nil {
				ix.reached[d] = from
				if len(path) > 0 {
					ix.through[d] = path
				}
				order = append(order, d)
			}
		}
	}
	for _, dynamic := range []bool{false, true} {
		for _, fn := range inScope {
			for _, call := range callsIn[fn] {
				visit(m.scope[fn], nil, call, dynamic)
			}
		}
		for i := 0; i < len(order); i++ {
			d := order[i]
			for _, call := range callsIn[d] {
				visit(ix.reached[d], ix.through[d], call, dynamic)
			}
		}
	}
}
