package ctxloop

import (
	"go/ast"
	"go/types"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Goroutines that a handler starts directly and that run a function of the
// package: go receiveThread(con, reqCh), or go func() { errc <-
// sws.recvLoop() }(). The function runs for the RPC when the call hands it
// something of the handler's own (its stream, a channel or object it made):
// its loops' blocking points are judged as the goroutine's, with its
// parameters standing for what the handler passed (istio#10822: the
// receive thread's send on the handler's one-slot channel).
//
// Not followed: go s.loop() whose receiver and arguments are the server's
// (a long-lived worker, ended by its own quit channel), go statements in
// the helpers a handler calls (a constructor or Start method starts a
// worker for its object, not for the RPC), goroutines started under
// sync.Once, and functions that take a context (judged by what they do
// with it).

// A spawn is a function of the package that a goroutine started by a
// handler runs.
type spawn struct {
	h     *grpcctx.Handler          // the handler that starts the goroutine
	self  *grpcctx.Handler          // the function as a pseudo handler: its stream parameter, if any
	alias map[*types.Var]*types.Var // its receiver and parameters -> the handler's variables passed
}

// spawns maps each followed function declaration to its first spawn, in
// source order.
type spawns map[*ast.FuncDecl]*spawn

// findSpawns walks the package's go statements once.
func findSpawns(info *types.Info, m *grpcctx.Model, sc *scopes, decls funcDecls) spawns {
	out := make(spawns)
	if len(m.Handlers()) == 0 {
		return out
	}
	for cur := range m.Inspector().Root().Preorder((*ast.GoStmt)(nil)) {
		h := sc.requestScope(cur)
		if h == nil {
			continue
		}
		g := cur.Node().(*ast.GoStmt)
		var calls []*ast.CallExpr
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			// The calls made directly in the literal's body.
			ast.Inspect(lit.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					calls = append(calls, n)
				}
				return true
			})
		} else {
			calls = append(calls, g.Call)
		}
		for _, call := range calls {
			decl := decls.of(lint.Callee(info, call))
			if decl == nil || out[decl] != nil || m.HandlerOf(decl) != nil || takesContext(info, decl) {
				continue
			}
			if !handsOwn(info, h, call) {
				continue
			}
			out[decl] = &spawn{h: h, self: spawnedAs(info, decl), alias: bindParams(info, decl, call)}
		}
	}
	return out
}

// funcDecls indexes the package's function declarations that have a body
// by their objects, built once per pass. The callee of every call and go
// statement the producer index and findSpawns look at is looked up here:
// a lookup with the inspector's FindByPos from the root stepped over
// every declaration before the one it found, which made a file of
// thousands of functions started by go statements quadratic
// (internal/stress's GoStatements).
type funcDecls map[*types.Func]*ast.FuncDecl

// indexDecls indexes the declarations of the files the model inspects
// (in a dependency, generated files that do not import context are not).
func indexDecls(info *types.Info, m *grpcctx.Model) funcDecls {
	idx := make(funcDecls)
	for file := range m.Inspector().Root().Children() {
		for _, d := range file.Node().(*ast.File).Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					idx[fn] = fd
				}
			}
		}
	}
	return idx
}

// of returns the declaration of fn when it is a function of the package
// with a body.
func (idx funcDecls) of(fn *types.Func) *ast.FuncDecl {
	if fn == nil {
		return nil
	}
	return idx[fn.Origin()]
}

// handsOwn reports whether call's receiver or arguments mention a variable
// declared in the handler's function (its stream, request, a channel or
// object it made), other than the handler's receiver.
func handsOwn(info *types.Info, h *grpcctx.Handler, call *ast.CallExpr) bool {
	var recv types.Object
	if d, ok := h.Func.(*ast.FuncDecl); ok && d.Recv != nil && len(d.Recv.List) == 1 && len(d.Recv.List[0].Names) == 1 {
		recv = info.Defs[d.Recv.List[0].Names[0]]
	}
	found := false
	mention := func(e ast.Expr) {
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() && v != recv &&
					h.Func.Pos() <= v.Pos() && v.Pos() < h.Func.End() {
					found = true
				}
			}
			return !found
		})
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		mention(sel.X)
	}
	for _, a := range call.Args {
		mention(a)
	}
	return found
}

// spawnedAs is the pseudo handler of a spawned function: its first server
// stream parameter, if any, gives the request context.
func spawnedAs(info *types.Info, decl *ast.FuncDecl) *grpcctx.Handler {
	self := &grpcctx.Handler{Kind: grpcctx.ContextFunc, Func: decl, Name: decl.Name.Name}
	if obj, ok := info.Defs[decl.Name].(*types.Func); ok {
		params := obj.Signature().Params()
		for i := 0; i < params.Len(); i++ {
			if isServerStreamType(params.At(i).Type()) {
				self.Stream = params.At(i)
				break
			}
		}
	}
	return self
}

// bindParams maps the receiver and parameters of decl to the local
// variables the call passes for them.
func bindParams(info *types.Info, decl *ast.FuncDecl, call *ast.CallExpr) map[*types.Var]*types.Var {
	alias := make(map[*types.Var]*types.Var)
	bind := func(name *ast.Ident, arg ast.Expr) {
		p, _ := info.Defs[name].(*types.Var)
		if a := channelVar(info, arg); p != nil && a != nil {
			alias[p] = a
		}
	}
	if decl.Recv != nil && len(decl.Recv.List) == 1 && len(decl.Recv.List[0].Names) == 1 {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			bind(decl.Recv.List[0].Names[0], sel.X)
		}
	}
	i := 0
	for _, field := range decl.Type.Params.List {
		for _, name := range field.Names {
			if _, variadic := field.Type.(*ast.Ellipsis); variadic || i >= len(call.Args) {
				return alias
			}
			bind(name, call.Args[i])
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return alias
}

// of returns the spawn of fn, when fn is a followed function declaration.
func (sp spawns) of(fn ast.Node) *spawn {
	if d, ok := fn.(*ast.FuncDecl); ok {
		return sp[d]
	}
	return nil
}

// takesContext reports whether decl has a context.Context parameter (a
// stream, whose context the function reaches through it, is no such
// parameter).
func takesContext(info *types.Info, decl *ast.FuncDecl) bool {
	obj, ok := info.Defs[decl.Name].(*types.Func)
	if !ok {
		return true
	}
	params := obj.Signature().Params()
	for i := 0; i < params.Len(); i++ {
		if grpcctx.IsContext(params.At(i).Type()) {
			return true
		}
	}
	return false
}
