// Package grpcctx is the shared gRPC/context model of grpccancelcheck.
//
// Its Analyzer reports nothing. Its result, a *Model, answers the questions
// every check asks: which functions are gRPC handlers or server
// interceptors and what their request context is, which calls are outbound
// gRPC calls, and where a context value came from. Everything is matched
// through types, never through the spelling of identifiers.
package grpcctx

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Analyzer computes the Model of a package.
var Analyzer = &analysis.Analyzer{
	Name:       "grpcctx",
	Doc:        "compute the gRPC handler and context model shared by grpccancelcheck's analyzers",
	URL:        "https://github.com/grpccancelcheck/grpccancelcheck/tree/main/internal/grpcctx",
	Run:        run,
	ResultType: reflect.TypeFor[*Model](),
	FactTypes:  []analysis.Fact{new(readsValues), new(returnedContext), new(outboundParams), new(boundsCalls), new(callbackClients), new(serves)},
}

// A Model is the gRPC/context view of one package. It is read-only once
// built, apart from internal caches guarded by a mutex, so analyzers that
// share it may query it concurrently.
type Model struct {
	pkg     *types.Package
	fset    *token.FileSet
	info    *types.Info
	inspect *inspector.Inspector // nil when light
	light   bool

	handlers  []*Handler                    // roots, in source order
	scope     map[ast.Node]*Handler         // FuncDecl or FuncLit -> handler whose scope it is in
	requestOf map[*types.Var]*Handler       // request context parameters
	streamOf  map[*types.Var]*Handler       // stream parameters
	params    map[*types.Var]paramInfo      // context parameters of every function
	defs      map[*types.Var][]*def         // definitions of context variables
	declFn    map[*types.Var]ast.Node       // function declaring a local context variable
	addrTaken map[*types.Var]bool           // context variables whose address is taken
	doneChans map[*types.Var]bool           // variables assigned a context's Done()
	twins     map[*types.Func]*types.Func   // functions that take no context -> their outbound variants that do
	concrete  map[*types.Func]types.Type    // constructors -> the one type they return
	ctors     []*types.Func                 // constructors, in source order
	helpers   map[*ast.FuncDecl]*types.Func // ContextFreeDecl of every declaration
	generated map[*token.File]bool          // files marked generated (lint.IsGeneratedFile): no constructor there
	served    map[string]bool               // services the test program registers (Served)

	// Facts of functions, this package's and the ones it uses.
	valueReaders  *lint.FactTable[readsValues, *readsValues]         // functions that only read values from their contexts
	outbound      *lint.FactTable[outboundParams, *outboundParams]   // context parameters that reach outbound work
	callbacks     *lint.FactTable[callbackClients, *callbackClients] // callbacks given a client made from a connection
	boundingFuncs *lint.FactTable[boundsCalls, *boundsCalls]         // interceptors that bound their calls, and their makers

	// returns holds the returnedContext facts of the functions this
	// package calls.
	returns *returnFacts

	mu      sync.Mutex
	cfgs    map[ast.Node]*flowGraph
	waiting map[*Handler]bool // HandlerWaits' answers

	cache    originCache    // origins that do not depend on the query that computed them
	clients  clientIndex    // values stored in interface-typed variables, built on first use
	closesIx closeIndex     // variables holding connections that are closed, built on first use
	funcs    funcValueIndex // what function values may hold, built on first use (funcvalues.go)
}

type paramInfo struct {
	fn    ast.Node // *ast.FuncDecl or *ast.FuncLit
	index int
}

// A def is one definition of a context variable.
type def struct {
	node ast.Node // the AssignStmt, ValueSpec or range key/value ident, as the CFG lists it
	rhs  ast.Expr // the value stored, or nil when unknown (zero value, range)
	fn   ast.Node // enclosing function, nil at package level
}

func run(pass *analysis.Pass) (any, error) {
	if !InMainModule(pass) && !usesContext(pass) {
		m := &Model{pkg: pass.Pkg, fset: pass.Fset, info: pass.TypesInfo, light: true}
		m.findServed(pass)
		return m, nil
	}
	m := &Model{
		pkg:       pass.Pkg,
		fset:      pass.Fset,
		info:      pass.TypesInfo,
		inspect:   inspector.New(codeFiles(pass)),
		scope:     make(map[ast.Node]*Handler),
		requestOf: make(map[*types.Var]*Handler),
		streamOf:  make(map[*types.Var]*Handler),
		params:    make(map[*types.Var]paramInfo),
		defs:      make(map[*types.Var][]*def),
		declFn:    make(map[*types.Var]ast.Node),
		addrTaken: make(map[*types.Var]bool),
		doneChans: make(map[*types.Var]bool),
		helpers:   make(map[*ast.FuncDecl]*types.Func),
		cfgs:      make(map[ast.Node]*flowGraph),
		generated: make(map[*token.File]bool),
	}
	for _, f := range pass.Files {
		if lint.IsGeneratedFile(f) {
			m.generated[pass.Fset.File(f.FileStart)] = true
		}
	}
	methods := handlerMethods(pass.Pkg, serviceInterfaces(pass.Pkg))
	sigs := lookupInterceptorSigs(pass.Pkg)
	m.collect(pass, methods, sigs)
	m.findValueReaders(pass)
	m.findConstructors(pass)
	m.findReturnedContexts(pass)
	m.findOutbound(pass)
	m.findBoundingInterceptors(pass)
	m.findCallbackClients(pass)
	m.findServed(pass)
	return m, nil
}

// codeFiles returns the files the Model looks at: all of them in the
// modules under development; in a dependency, all but the generated files
// that do not import package context. Those are most of a dependency's
// code where it matters (protobuf messages' marshalling, Kubernetes'
// deep copies) and hold nothing the analyzers would use: no function
// that takes or makes a context, no helper of the user's.
func codeFiles(pass *analysis.Pass) []*ast.File {
	if InMainModule(pass) {
		return pass.Files
	}
	files := make([]*ast.File, 0, len(pass.Files))
	for _, f := range pass.Files {
		if !ast.IsGenerated(f) || importsContext(f) {
			files = append(files, f)
		}
	}
	return files
}

func importsContext(f *ast.File) bool {
	for _, imp := range f.Imports {
		if isContextPackage(strings.Trim(imp.Path.Value, "`\"")) {
			return true
		}
	}
	return false
}

// isContextPackage reports whether path is package context or
// golang.org/x/net/context, whose Context is an alias of it.
func isContextPackage(path string) bool {
	return path == contextPath || path == "golang.org/x/net/context"
}

// Light reports whether the Model was made without looking at the
// package's code, which leaves it empty: the package is a dependency
// (outside the modules under development, so nothing is reported in it)
// that uses no context.Context (see usesContext). None of its functions
// takes, makes or hands on a context, so it can have no fact of its own;
// the one thing an analyzer may still owe it is a fact passed on by its
// calls to other packages' functions (ctxdetach's helpers). Most
// dependencies are such packages, and the driver keeps every package's
// results until it exits: building no inspector for them saves both the
// time and the memory.
func (m *Model) Light() bool { return m.light }

// Inspector returns the package's inspector, built by the Model (the
// Model is the only analyzer that requires no other); nil when Light.
func (m *Model) Inspector() *inspector.Inspector { return m.inspect }

// usesContext reports whether the package's code can use a
// context.Context: it imports package context (or golang.org/x/net/context,
// whose Context is an alias of it), or one of its functions has a
// parameter or result of that type (through an alias another package
// declares).
func usesContext(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if isContextPackage(imp.Path()) {
			return true
		}
	}
	for _, obj := range pass.TypesInfo.Defs {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		sig := fn.Signature()
		for _, tuple := range []*types.Tuple{sig.Params(), sig.Results()} {
			for v := range tuple.Variables() {
				if IsContext(v.Type()) {
					return true
				}
			}
		}
	}
	return false
}

// collect walks the package once: it finds handler roots, records context
// parameters, and indexes every definition of a context variable.
func (m *Model) collect(pass *analysis.Pass, methods map[*types.Func]HandlerKind, sigs interceptorSigs) {
	info := m.info
	filter := []ast.Node{
		(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.AssignStmt)(nil),
		(*ast.ValueSpec)(nil), (*ast.RangeStmt)(nil), (*ast.UnaryExpr)(nil),
	}
	for cur := range m.inspect.Root().Preorder(filter...) {
		lint.Enter(pass, cur.Node())
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			fn, _ := info.Defs[n.Name].(*types.Func)
			if fn == nil {
				continue
			}
			sig := fn.Signature()
			m.addParams(n, sig)
			if !TakesContext(sig) {
				m.helpers[n] = fn
			}
			if kind, ok := methods[fn]; ok {
				m.addHandler(newHandler(kind, n, n.Name.Name, sig))
			} else if kind := sigs.kind(sig); kind != 0 {
				m.addHandler(newHandler(kind, n, n.Name.Name, sig))
			}
		case *ast.FuncLit:
			sig, _ := info.TypeOf(n).(*types.Signature)
			if sig == nil {
				continue
			}
			m.addParams(n, sig)
			if kind := sigs.kind(sig); kind != 0 {
				m.addHandler(newHandler(kind, n, litName(cur), sig))
			}
		case *ast.AssignStmt:
			fn := lint.EnclosingFuncOf(cur)
			for i, lhs := range n.Lhs {
				if len(n.Lhs) == len(n.Rhs) {
					m.noteDone(lhs, n.Rhs[i])
				}
				v := m.contextVar(lhs)
				if v == nil {
					continue
				}
				d := &def{node: n, fn: fn}
				if len(n.Lhs) == len(n.Rhs) {
					d.rhs = n.Rhs[i]
				} else if len(n.Rhs) == 1 {
					d.rhs = n.Rhs[0] // a tuple: the call's context result
				}
				m.addDef(v, d, n.Tok == token.DEFINE)
			}
		case *ast.ValueSpec:
			fn := lint.EnclosingFuncOf(cur)
			for i, name := range n.Names {
				if len(n.Names) == len(n.Values) {
					m.noteDone(name, n.Values[i])
				}
				v := m.contextVar(name)
				if v == nil {
					continue
				}
				d := &def{node: n, fn: fn}
				if len(n.Names) == len(n.Values) {
					d.rhs = n.Values[i]
				} else if len(n.Values) == 1 {
					d.rhs = n.Values[0]
				}
				m.addDef(v, d, true)
			}
		case *ast.RangeStmt:
			fn := lint.EnclosingFuncOf(cur)
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if v := m.contextVar(e); v != nil {
					m.addDef(v, &def{node: e, fn: fn}, n.Tok == token.DEFINE)
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := m.contextVar(n.X); v != nil {
					m.addrTaken[v] = true
				}
			}
		}
	}
	lint.Leave(pass)
	m.scopeLiterals()
}

// contextVar returns the context variable e names, if it is one.
func (m *Model) contextVar(e ast.Expr) *types.Var {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, ok := m.info.ObjectOf(id).(*types.Var)
	if !ok || v.IsField() || !IsContext(v.Type()) {
		return nil
	}
	return v
}

// noteDone records lhs as a Done channel when rhs is ctx.Done().
func (m *Model) noteDone(lhs, rhs ast.Expr) {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok {
		return
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" || !IsContextLike(m.info.TypeOf(sel.X)) {
		return
	}
	if id, ok := lhs.(*ast.Ident); ok {
		if v, ok := m.info.ObjectOf(id).(*types.Var); ok {
			m.doneChans[v] = true
		}
	}
}

// IsDoneChannel reports whether v is assigned a context's Done() channel.
func (m *Model) IsDoneChannel(v *types.Var) bool { return m.doneChans[v] }

func (m *Model) addDef(v *types.Var, d *def, declares bool) {
	m.defs[v] = append(m.defs[v], d)
	if declares && m.declFn[v] == nil && d.fn != nil {
		m.declFn[v] = d.fn
	}
}

func (m *Model) addParams(fn ast.Node, sig *types.Signature) {
	for i := 0; i < sig.Params().Len(); i++ {
		if v := sig.Params().At(i); isContextParam(v.Type()) {
			m.params[v] = paramInfo{fn: fn, index: i}
		}
	}
}

func (m *Model) addHandler(h *Handler) {
	m.handlers = append(m.handlers, h)
	m.scope[h.Func] = h
	if h.Ctx != nil {
		m.requestOf[h.Ctx] = h
	}
	if h.Stream != nil {
		m.streamOf[h.Stream] = h
	}
}

// scopeLiterals assigns every function literal inside a handler to the
// innermost handler around it.
func (m *Model) scopeLiterals() {
	if len(m.handlers) == 0 {
		return
	}
	serverLifetime := make(map[ast.Node]bool)
	for cur := range m.inspect.Root().Preorder((*ast.FuncLit)(nil)) {
		if m.scope[cur.Node()] != nil {
			continue // a root itself
		}
		if m.runsOnce(cur) {
			serverLifetime[cur.Node()] = true
			continue
		}
		for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			if serverLifetime[c.Node()] {
				break
			}
			if h := m.scope[c.Node()]; h != nil {
				m.scope[cur.Node()] = h
				break
			}
		}
	}
}

// Handlers returns the package's handlers and interceptors in source order.
func (m *Model) Handlers() []*Handler { return m.handlers }

// HandlerOf returns the handler whose scope the function fn (a FuncDecl or
// FuncLit) belongs to, or nil.
func (m *Model) HandlerOf(fn ast.Node) *Handler { return m.scope[fn] }

// enclosingFunc is lint.EnclosingFuncOf for a node of the package: the
// innermost FuncDecl or FuncLit containing n, other than n.
func (m *Model) enclosingFunc(n ast.Node) ast.Node {
	cur, ok := m.Cursor(n)
	if !ok {
		return nil
	}
	switch c := cur.Node().(type) {
	case *ast.FuncDecl, *ast.FuncLit:
		if c != n {
			return c // the innermost node that spans n (FindByPos)
		}
	}
	return lint.EnclosingFuncOf(cur)
}

// Cursor returns the inspector cursor of n.
func (m *Model) Cursor(n ast.Node) (inspector.Cursor, bool) {
	return findByPos(m.inspect.Root(), n.Pos(), n.End(), m.kidsOf)
}

// RequestContextExpr returns the source text of the request context to use
// in place of the expression at, inside h's scope, when there is exactly one
// candidate: a context variable visible and unshadowed at at whose origin
// there is the request, or, when there is none, h's stream as
// "stream.Context()". ok is false when there is no candidate or more than
// one, so that a fix would have to guess.
func (m *Model) RequestContextExpr(h *Handler, at ast.Node) (expr string, ok bool) {
	pos := at.Pos()
	scope := m.pkg.Scope().Innermost(pos)
	if scope == nil {
		return "", false
	}
	// Only the variables that may carry the request (see requestCands)
	// are asked about, the nearest declaration first, and the walk stops
	// at a second candidate: then a fix would have to guess. Each call
	// costs the candidates it meets, not every name in scope, so that a
	// finding in a function of thousands of statements stays cheap.
	var cands []*types.Var
scopes:
	for s := scope; s != nil && s != m.pkg.Scope(); s = s.Parent() {
		vars := m.requestCands(s)
		i, _ := slices.BinarySearchFunc(vars, pos, func(v *types.Var, p token.Pos) int { return cmp.Compare(v.Pos(), p) })
		for _, v := range slices.Backward(vars[:i]) {
			if _, obj := scope.LookupParent(v.Name(), pos); obj != v {
				continue // not declared yet at pos, or shadowed
			}
			if o := newQuery(m).variable(v, at); o.Root == Request || h.Kind == ContextFunc && o.Root == Param && o.Var == h.Ctx {
				if cands = append(cands, v); len(cands) > 1 {
					break scopes
				}
			}
		}
	}
	switch {
	case len(cands) == 1:
		return cands[0].Name(), true
	case len(cands) == 0 && h.Stream != nil && h.Stream.Name() != "_":
		if _, obj := scope.LookupParent(h.Stream.Name(), pos); obj == h.Stream {
			return h.Stream.Name() + ".Context()", true
		}
	}
	return "", false
}

// requestCands returns the context variables declared in scope s whose
// value anywhere may be the request context or a context parameter, in
// order of declaration, computed once per scope. Wherever a variable is
// read its origin is the join of some of its sources (its definitions, a
// parameter's incoming value), and a join keeps a root only when every
// part has it: a variable none of whose sources has the root Request or
// Param never has it.
func (m *Model) requestCands(s *types.Scope) []*types.Var {
	if vars, ok := m.cache.cands.get(s); ok {
		return vars
	}
	var vars []*types.Var
	for _, name := range s.Names() {
		v, ok := s.Lookup(name).(*types.Var)
		if !ok || v.Name() == "_" || !IsContext(v.Type()) || m.addrTaken[v] {
			continue
		}
		_, isParam := m.params[v]
		may := m.requestOf[v] != nil || isParam
		for _, d := range m.defs[v] {
			if may {
				break
			}
			o := newQuery(m).get(nodeKey{kind: defValue, d: d})
			may = o.Root == Request || o.Root == Param || isBottom(o)
		}
		if may {
			vars = append(vars, v)
		}
	}
	slices.SortFunc(vars, func(a, b *types.Var) int { return cmp.Compare(a.Pos(), b.Pos()) })
	m.cache.cands.set(s, vars)
	return vars
}

// ContextFunc returns fn (a FuncDecl or FuncLit) as a ContextFunc pseudo
// handler whose request context is its first context parameter, or nil when
// fn has none.
func (m *Model) ContextFunc(fn ast.Node) *Handler {
	v := m.firstContextParam(fn)
	if v == nil {
		return nil
	}
	name := "literal"
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		name = fn.Name.Name
	case *ast.FuncLit:
		if cur, ok := m.Cursor(fn); ok {
			name = litName(cur)
		}
	}
	return &Handler{Kind: ContextFunc, Func: fn, Name: name, Ctx: v}
}

// TakesContext reports whether ContextFunc(fn) is not nil, without making
// the Handler: the analyzers ask it of the function around every call.
func (m *Model) TakesContext(fn ast.Node) bool { return m.firstContextParam(fn) != nil }

// firstContextParam returns the first context.Context parameter of fn (a
// FuncDecl or FuncLit), or nil.
func (m *Model) firstContextParam(fn ast.Node) *types.Var {
	var sig *types.Signature
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := m.info.Defs[fn.Name].(*types.Func); ok {
			sig = obj.Signature()
		}
	case *ast.FuncLit:
		sig, _ = m.info.TypeOf(fn).(*types.Signature)
	}
	if sig == nil {
		return nil
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if v := sig.Params().At(i); IsContext(v.Type()) {
			return v
		}
	}
	return nil
}

// runsOnce reports whether the literal at cur is the function of
// (*sync.Once).Do, sync.OnceFunc, OnceValue or OnceValues: it runs once for
// the server's lifetime, not on behalf of the RPC that happens to run it.
func (m *Model) runsOnce(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := lint.Callee(m.info, call)
	return lint.IsFunc(fn, "sync", "Do", "OnceFunc", "OnceValue", "OnceValues") &&
		(fn.Name() != "Do" || fn.Signature().Recv() != nil && isPointerTo(fn.Signature().Recv().Type(), "sync", "Once"))
}

// ContextFreeDecl returns the function declared by fn when fn is a
// FuncDecl that takes no context (see TakesContext): a helper, in the
// analyzers' words, whose behaviour they carry to its callers as a fact.
func ContextFreeDecl(info *types.Info, fn ast.Node) *types.Func {
	d, ok := fn.(*ast.FuncDecl)
	if !ok {
		return nil
	}
	obj, ok := info.Defs[d.Name].(*types.Func)
	if !ok || TakesContext(obj.Signature()) {
		return nil
	}
	return obj
}

// ContextFreeDecl is the function ContextFreeDecl for fn, a FuncDecl or
// FuncLit of the package, computed once per declaration when the Model is
// built.
func (m *Model) ContextFreeDecl(fn ast.Node) *types.Func {
	if d, ok := fn.(*ast.FuncDecl); ok {
		return m.helpers[d]
	}
	return nil
}
