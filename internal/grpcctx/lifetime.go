package grpcctx

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
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
		defer lint.Aside()() // the package's index, not the asking function's work
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

// ResultKept reports whether the first result of call is kept beyond the
// function declaration the call is in: assigned straight to a field, an
// element or a package-level variable (s.conns[id], err = open(...)), or
// to a local variable that the declaration stores in one
// (lbf.ctrs[id] = ctr, s.all = append(s.all, ctr), a sync.Map's
// Store(id, ctr)). Such a result is an object with a life of its own: a
// container that later RPCs use, a session, a subscription. A result that
// is only used, returned or discarded is not kept.
func (m *Model) ResultKept(call *ast.CallExpr) bool {
	cur, ok := m.Cursor(call)
	if !ok {
		return false
	}
	var lhs ast.Expr
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && p.Rhs[0] == ast.Expr(call) {
			lhs = p.Lhs[0]
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && p.Values[0] == ast.Expr(call) {
			lhs = p.Names[0]
		}
	}
	if lhs == nil {
		return false
	}
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return true // s.ctr = ..., s.ctrs[id] = ..., *p = ...
	}
	v, ok := m.info.ObjectOf(id).(*types.Var)
	if !ok || id.Name == "_" {
		return false
	}
	if v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
		return true
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		return m.storedLocals(c)[v]
	}
	return false
}

// storedLocals returns the variables that the declaration at decl stores
// beyond itself: that appear in the right-hand side of an assignment to a
// field, an element or a package-level variable, or in the arguments of a
// sync.Map's Store, LoadOrStore or Swap. One walk per declaration.
func (m *Model) storedLocals(decl inspector.Cursor) map[*types.Var]bool {
	fd := decl.Node().(*ast.FuncDecl)
	if stored, ok := m.cache.stored.get(fd); ok {
		return stored
	}
	stored := make(map[*types.Var]bool)
	mark := func(exprs []ast.Expr) {
		for _, e := range exprs {
			ast.Inspect(e, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if v, ok := m.info.Uses[id].(*types.Var); ok {
						stored[v] = true
					}
				}
				return true
			})
		}
	}
	for c := range decl.Preorder((*ast.AssignStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			if slices.ContainsFunc(n.Lhs, m.outsideLocals) {
				mark(n.Rhs)
			}
		case *ast.CallExpr:
			if f := typeutil.StaticCallee(m.info, n); f != nil && lint.IsMethodOf(f, "sync", "Map", "Store", "LoadOrStore", "Swap") {
				mark(n.Args)
			}
		}
	}
	m.cache.stored.set(fd, stored)
	return stored
}

// outsideLocals reports whether lhs, the left-hand side of an assignment,
// names a place beyond the function's local variables: a field, an
// element, what a pointer points to, or a package-level variable.
func (m *Model) outsideLocals(lhs ast.Expr) bool {
	switch l := ast.Unparen(lhs).(type) {
	case *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr, *ast.StarExpr:
		return true
	case *ast.Ident:
		v, ok := m.info.ObjectOf(l).(*types.Var)
		return ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
	}
	return false
}

// cancelTimed reports whether the cancel function returned by call (a
// context.WithCancel or WithCancelCause) is armed on a timer in the
// function that makes it: given to time.AfterFunc, or called by the
// function literal given to it. The timer is a watchdog (swarmkit's raft
// transport resets it after each message sent): the context cannot outlive
// it, as if it had a deadline.
func (m *Model) cancelTimed(call *ast.CallExpr) bool {
	a, ok := m.assignments()[call]
	if !ok || a.decl == (inspector.Cursor{}) {
		return false
	}
	id, ok := ast.Unparen(a.lhs).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := m.info.ObjectOf(id).(*types.Var)
	return ok && m.timedVars(a.decl)[v]
}

// timedVars returns the variables that the declaration at decl gives to
// time.AfterFunc as its function, or calls in the literal it gives. One
// walk per declaration.
func (m *Model) timedVars(decl inspector.Cursor) map[*types.Var]bool {
	fd := decl.Node().(*ast.FuncDecl)
	if timed, ok := m.cache.timed.get(fd); ok {
		return timed
	}
	timed := make(map[*types.Var]bool)
	for c := range decl.Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		if len(call.Args) != 2 || !lint.IsFunc(typeutil.StaticCallee(m.info, call), "time", "AfterFunc") {
			continue
		}
		switch f := ast.Unparen(call.Args[1]).(type) {
		case *ast.Ident:
			if v, ok := m.info.Uses[f].(*types.Var); ok {
				timed[v] = true
			}
		case *ast.FuncLit:
			ast.Inspect(f.Body, func(n ast.Node) bool {
				if inner, ok := n.(*ast.CallExpr); ok {
					if id, ok := ast.Unparen(inner.Fun).(*ast.Ident); ok {
						if v, ok := m.info.Uses[id].(*types.Var); ok {
							timed[v] = true
						}
					}
				}
				return true
			})
		}
	}
	m.cache.timed.set(fd, timed)
	return timed
}
