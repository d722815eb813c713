package grpcctx

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// readsValues is the fact of a function that uses its context parameters
// only to read values carried by them: ctx.Value, a test against nil, or
// passing them on to another such function. metadata.FromIncomingContext,
// peer.FromContext, grpc.Method and trace.SpanFromContext are such
// functions. A call of one can neither block on the context nor tell its
// caller that the context was cancelled, so handing it a context observes
// nothing and carries nothing upstream.
type readsValues struct{}

func (*readsValues) AFact() {}

func (*readsValues) String() string { return "readsValues" }

// ReadsOnlyValues reports whether fn uses its context parameters only to
// read values from them (see readsValues). Unknown functions (no fact: an
// interface method, a function value, a package analyzed without facts)
// do not.
func (m *Model) ReadsOnlyValues(fn *types.Func) bool {
	return fn != nil && m.valueReaders.Has(fn.Origin())
}

// findValueReaders imports the readsValues facts of the functions this
// package refers to, decides which of its own functions only read values
// from their contexts, and exports their facts. Its own functions are
// decided together (a greatest fixed point): mutually recursive readers
// are readers.
func (m *Model) findValueReaders(pass *analysis.Pass) {
	m.valueReaders = lint.NewFactTable[readsValues](pass)
	m.valueReaders.ImportUses(func(fn *types.Func) bool { return len(ContextParams(fn.Origin().Signature())) > 0 })

	// deps[f] are this package's functions f hands its context to; f is a
	// reader while they all are.
	deps := make(map[*types.Func][]*types.Func)
	for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		lint.Enter(pass, decl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil || len(ContextParams(fn.Signature())) == 0 {
			continue
		}
		if callees, ok := m.onlyReadsValues(pass.TypesInfo, cur, fn); ok {
			m.valueReaders.Set(fn, new(readsValues))
			deps[fn] = callees
		}
	}
	lint.Leave(pass)
	lint.Propagate(m.valueReaders.Funcs(), func(fn *types.Func) bool {
		if !m.valueReaders.Has(fn) {
			return false
		}
		for _, callee := range deps[fn] {
			if !m.valueReaders.Has(callee) {
				m.valueReaders.Delete(fn)
				return true
			}
		}
		return false
	})
	m.valueReaders.Export()
}

// onlyReadsValues reports whether every use of fn's context parameters in
// the declaration at decl reads a value, as far as this package can tell:
// callees are the functions of this package that receive one of them, whose
// own verdict it then depends on.
func (m *Model) onlyReadsValues(info *types.Info, decl inspector.Cursor, fn *types.Func) (callees []*types.Func, ok bool) {
	sig := fn.Signature()
	params := make(map[types.Object]bool)
	for _, i := range ContextParams(sig) {
		params[sig.Params().At(i)] = true
	}
	for cur := range decl.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if !params[info.Uses[id]] {
			continue
		}
		switch p := cur.Parent().Node().(type) {
		case *ast.SelectorExpr: // ctx.Value(key)
			call, ok := cur.Parent().Parent().Node().(*ast.CallExpr)
			if p.Sel.Name != "Value" || !ok || call.Fun != p {
				return nil, false
			}
		case *ast.BinaryExpr: // ctx == nil
			other := p.Y
			if p.Y == id {
				other = p.X
			}
			if p.Op != token.EQL && p.Op != token.NEQ || !info.Types[other].IsNil() {
				return nil, false
			}
		case *ast.CallExpr: // reader(ctx)
			callee := lint.Callee(info, p)
			if callee == nil || !isContextArg(m.info, callee.Signature(), p, id) {
				return nil, false
			}
			callee = callee.Origin()
			switch {
			case callee.Pkg() == m.pkg:
				callees = append(callees, callee)
			case !m.valueReaders.Has(callee):
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return callees, true
}

// isContextArg reports whether arg is passed for a (non-variadic)
// context.Context parameter of sig, the callee's signature, in call.
func isContextArg(info *types.Info, sig *types.Signature, call *ast.CallExpr, arg ast.Expr) bool {
	args := lint.Args(info, call)
	for _, i := range ContextParams(sig) {
		if i < len(args) && args[i] == arg && !(sig.Variadic() && i == sig.Params().Len()-1) {
			return true
		}
	}
	return false
}
