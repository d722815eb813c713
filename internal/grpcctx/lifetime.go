package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// cancelKept reports whether the cancel function returned by call (a
// context.WithCancel, WithTimeout, WithDeadline or one of their Cause
// variants) is kept beyond the function that makes it: assigned straight
// to a field or an element, or held in a variable that is used other than
// by calling it (stored, returned, sent, passed on, captured as a value).
// A cancel function that is only called, directly or deferred, or
// discarded, is not kept.
func (m *Model) cancelKept(call *ast.CallExpr) bool {
	if kept, ok := m.cache.keeps.get(call); ok {
		return kept
	}
	kept := m.computeCancelKept(call)
	m.cache.keeps.set(call, kept)
	return kept
}

func (m *Model) computeCancelKept(call *ast.CallExpr) bool {
	cur, ok := m.Cursor(call)
	if !ok {
		return false
	}
	var lhs ast.Expr
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != 2 || len(p.Rhs) != 1 {
			return false
		}
		lhs = p.Lhs[1]
	case *ast.ValueSpec:
		if len(p.Names) != 2 || len(p.Values) != 1 {
			return false
		}
		lhs = p.Names[1]
	default:
		return false
	}
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return true // s.cancel = ..., cancels[id] = ...
	}
	v, ok := m.info.ObjectOf(id).(*types.Var)
	if !ok || id.Name == "_" {
		return false
	}
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return true // a package-level variable
	}
	// Every use of a local v lies in the declaration around call,
	// function literals included.
	var scope inspector.Cursor
	found := false
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		scope, found = c, true
	}
	if !found {
		return false
	}
	kept := false
	for c := range scope.Preorder((*ast.Ident)(nil)) {
		if m.info.Uses[c.Node().(*ast.Ident)] != v {
			continue
		}
		switch p := c.Parent().Node().(type) {
		case *ast.CallExpr:
			if p.Fun == c.Node() {
				continue // cancel(), defer cancel(), go cancel()
			}
		case *ast.AssignStmt:
			if isLHS(p, c.Node()) {
				continue // assigned anew: that definition is judged on its own
			}
		}
		kept = true
		break
	}
	return kept
}

// isLHS reports whether n is one of as's left-hand sides.
func isLHS(as *ast.AssignStmt, n ast.Node) bool {
	for _, l := range as.Lhs {
		if l == n {
			return true
		}
	}
	return false
}
