package lint

import (
	"go/ast"
	"iter"

	"golang.org/x/tools/go/ast/inspector"
)

// EnclosingFuncOf returns the innermost FuncDecl or FuncLit around cur, not
// counting cur itself, or nil at package level.
func EnclosingFuncOf(cur inspector.Cursor) ast.Node {
	// A plain walk up: Cursor.Enclosing allocates its type mask and
	// iterator, and this runs for most nodes the analyzers look at.
	for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return n
		}
	}
	return nil
}

// FuncBody returns the body of fn, a FuncDecl or FuncLit, or nil (a
// declaration without one, or any other node).
func FuncBody(fn ast.Node) *ast.BlockStmt {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		return fn.Body
	case *ast.FuncLit:
		return fn.Body
	}
	return nil
}

// InGoStmt reports whether cur lies inside a go statement within root: code
// that may still run after root has returned.
func InGoStmt(cur inspector.Cursor, root ast.Node) bool {
	for c := range cur.Enclosing((*ast.GoStmt)(nil)) {
		return c.Node().Pos() >= root.Pos() && c.Node().End() <= root.End()
	}
	return false
}

// InDeferStmt reports whether cur lies in a defer statement within root:
// the deferred call, or the body of a deferred function literal. That is
// cleanup, which runs when the function returns, often because the
// request failed or was cancelled, and so must not depend on the request
// context.
func InDeferStmt(cur inspector.Cursor, root ast.Node) bool {
	for c := range cur.Enclosing((*ast.DeferStmt)(nil)) {
		return c.Node().Pos() >= root.Pos() && c.Node().End() <= root.End()
	}
	return false
}

// Returns yields the return statements of a function body, not those of
// the function literals in it (their returns are their own), in source
// order.
func Returns(body *ast.BlockStmt) iter.Seq[*ast.ReturnStmt] {
	return func(yield func(*ast.ReturnStmt) bool) {
		if body == nil {
			return
		}
		stop := false
		ast.Inspect(body, func(n ast.Node) bool {
			if stop {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				stop = !yield(n)
				return false
			}
			return true
		})
	}
}
