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
	a, ok := m.assignments()[call]
	if !ok {
		return false
	}
	id, ok := ast.Unparen(a.lhs).(*ast.Ident)
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
	// function literals included. A literal at package level has none (the
	// zero Cursor, whose Node would panic).
	if a.decl == (inspector.Cursor{}) {
		return false
	}
	return m.usedAsValues(a.decl)[v]
}

// An assignment is where a context constructor's cancel function goes:
// the second left-hand side of the assignment or declaration whose one
// value the call is, and the function declaration around it (the zero
// Cursor at package level).
type assignment struct {
	lhs  ast.Expr
	decl inspector.Cursor
}

// assignments indexes, once per Model, every assignment or declaration of
// two names from one call (ctx, cancel := ...) by that call: a cursor for
// each call would search the file from its root.
func (m *Model) assignments() map[*ast.CallExpr]assignment {
	m.cache.assignOnce.Do(func() {
		index := make(map[*ast.CallExpr]assignment)
		var decl inspector.Cursor
		for cur := range m.inspect.Root().Preorder((*ast.FuncDecl)(nil), (*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
			switch n := cur.Node().(type) {
			case *ast.FuncDecl:
				decl = cur
			case *ast.AssignStmt:
				if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
					if call, ok := n.Rhs[0].(*ast.CallExpr); ok {
						index[call] = assignment{n.Lhs[1], within(decl, n)}
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == 2 && len(n.Values) == 1 {
					if call, ok := n.Values[0].(*ast.CallExpr); ok {
						index[call] = assignment{n.Names[1], within(decl, n)}
					}
				}
			}
		}
		m.cache.assigns = index
	})
	return m.cache.assigns
}

// within returns decl when n lies in it, else the zero Cursor.
func within(decl inspector.Cursor, n ast.Node) inspector.Cursor {
	if decl == (inspector.Cursor{}) {
		return decl // at package level, before any declaration
	}
	if d := decl.Node(); d != nil && d.Pos() <= n.Pos() && n.End() <= d.End() {
		return decl
	}
	return inspector.Cursor{}
}

// usedAsValues returns the variables that decl uses other than by calling
// them (cancel(), defer cancel(), go cancel()) or assigning them anew:
// stored, returned, sent, passed on, captured as a value. One walk per
// declaration, however many cancel functions it makes.
func (m *Model) usedAsValues(decl inspector.Cursor) map[*types.Var]bool {
	fd := decl.Node().(*ast.FuncDecl)
	if used, ok := m.cache.values.get(fd); ok {
		return used
	}
	used := make(map[*types.Var]bool)
	for c := range decl.Preorder((*ast.Ident)(nil)) {
		v, ok := m.info.Uses[c.Node().(*ast.Ident)].(*types.Var)
		if !ok || used[v] {
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
		used[v] = true
	}
	m.cache.values.set(fd, used)
	return used
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
