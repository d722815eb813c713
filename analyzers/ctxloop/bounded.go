package ctxloop

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// What separates a bounded computation written as for {} from a search:
// the exits of a bounded loop test local state that the loop itself
// advances, computed without calls, against a bound the loop does not
// change. A counter it steps (y++, and y > maxYear), a cursor it moves
// through data in memory (cur = v.next, v, ok := m[cur], and !ok or
// cur == target): how long such a loop runs is a property of that data,
// and a context check would not make it end any sooner in practice.
//
// A search's exits test what calls compute (!s.Next(), hash(n) == target,
// a value assigned from a call): how long it runs depends on work whose
// bound the analyzer cannot see, and it is reported. So is a loop whose
// exits read shared state (a field, a package variable, an atomic load:
// another goroutine ends it), and a loop that waits (it polls). An
// optimistic update that leaves when its CompareAndSwap succeeds is not such
// a spin (casLoop).

// loopVars is what one walk of a loop learns about the local variables it
// assigns: plain (call-free) steps, or values from calls and receives, or
// assignments the analyzer cannot see (in a function literal, through
// their address).
type loopVars struct {
	stepped map[*types.Var]bool // assigned in the loop, every time without a call
	opaque  map[*types.Var]bool // assigned from a call or receive, in a closure, or through &v
}

// assignedIn walks the loop's post statement and body (not its init).
func assignedIn(info *types.Info, f *ast.ForStmt) loopVars {
	lv := loopVars{stepped: make(map[*types.Var]bool), opaque: make(map[*types.Var]bool)}
	set := func(lhs ast.Expr, plain bool) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok {
			return
		}
		if plain && !lv.opaque[v] {
			lv.stepped[v] = true
		} else {
			lv.opaque[v] = true
			delete(lv.stepped, v)
		}
	}
	var walk func(n ast.Node, inLit bool)
	walk = func(root ast.Node, inLit bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				if !inLit {
					walk(n.Body, true)
					return false
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					plain := !inLit
					if len(n.Lhs) == len(n.Rhs) {
						plain = plain && callFree(info, n.Rhs[i])
					} else {
						plain = plain && len(n.Rhs) == 1 && callFree(info, n.Rhs[0])
					}
					set(l, plain)
				}
			case *ast.IncDecStmt:
				set(n.X, !inLit)
			case *ast.RangeStmt:
				plain := !inLit && callFree(info, n.X) && !isChan(info.TypeOf(n.X))
				if t := info.TypeOf(n.X); t == nil {
					plain = false
				} else if _, isSig := t.Underlying().(*types.Signature); isSig {
					plain = false // an iterator function: values from calls
				}
				if n.Key != nil {
					set(n.Key, plain)
				}
				if n.Value != nil {
					set(n.Value, plain)
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					plain := !inLit && (len(n.Values) == 0 || len(n.Values) == len(n.Names) && callFree(info, n.Values[i]) ||
						len(n.Values) == 1 && callFree(info, n.Values[0]))
					set(name, plain)
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					set(n.X, false)
				}
			}
			return true
		})
	}
	if f.Post != nil {
		walk(f.Post, false)
	}
	walk(f.Body, false)
	return lv
}

// callFree reports whether e computes its value without calls (other than
// len, cap, min and max, and conversions) and without receiving.
func callFree(info *types.Info, e ast.Expr) bool {
	free := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			free = false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				free = false
			}
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && tv.IsType() {
				return free // a conversion
			}
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if b, ok := info.Uses[id].(*types.Builtin); ok {
					switch b.Name() {
					case "len", "cap", "min", "max":
						return free
					}
				}
			}
			free = false
		}
		return free
	})
	return free
}

// dataExit reports whether cond, a test that leaves the loop, compares
// local state the loop steps (lv.stepped) with constants and values the
// loop does not change, without calls, fields of shared objects or
// package variables.
func dataExit(info *types.Info, fn ast.Node, cond ast.Expr, lv loopVars) bool {
	if !callFree(info, cond) {
		return false
	}
	ok, steps := true, false
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// A field of a value the loop steps (cur.next) is data the
			// loop walks; a qualified constant is a bound; any other
			// field is shared state.
			if _, isConst := info.Uses[n.Sel].(*types.Const); isConst {
				return false
			}
			if id, isID := ast.Unparen(n.X).(*ast.Ident); isID {
				if v, isVar := info.Uses[id].(*types.Var); isVar && lv.stepped[v] {
					return true
				}
			}
			ok = false
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Var:
				switch {
				case obj.IsField() || obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope():
					ok = false
				case obj.Pos() < fn.Pos() || obj.Pos() >= fn.End():
					ok = false // captured from an enclosing function: shared
				case lv.opaque[obj]:
					ok = false
				case lv.stepped[obj]:
					steps = true
				}
			}
		}
		return ok
	})
	return ok && steps
}

// walksData reports whether a loop that does not wait is a bounded
// computation: one of its exits (its condition, or an if statement in its
// body that leaves it) is a data exit.
func walksData(info *types.Info, fn ast.Node, f *ast.ForStmt, at inspector.Cursor) bool {
	lv := assignedIn(info, f)
	if len(lv.stepped) == 0 {
		return false
	}
	if f.Cond != nil && dataExit(info, fn, f.Cond, lv) {
		return true
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return dataExit(info, fn, n.Cond, lv) && (exits(at, n.Body, f) || n.Else != nil && exits(at, n.Else, f))
	})
}

// someIf reports whether an if statement in the loop's body (outside
// function literals) satisfies ok.
func someIf(f *ast.ForStmt, ok func(*ast.IfStmt) bool) bool {
	found := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			found = found || ok(n)
		}
		return !found
	})
	return found
}

// casLoop reports whether the loop leaves when a sync/atomic
// CompareAndSwap in its body succeeds (for { old := x.Load(); if
// x.CompareAndSwap(old, f(old)) { return } }): an optimistic update. It goes
// round again only when another goroutine changed the value in between, so
// it ends as soon as it wins a race; unlike a spin that waits for another
// goroutine to set a flag, it never waits for anyone.
func casLoop(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	return someIf(f, func(n *ast.IfStmt) bool {
		call, ok := ast.Unparen(n.Cond).(*ast.CallExpr)
		return ok && isCAS(info, call) && exits(at, n.Body, f)
	})
}

func isCAS(info *types.Info, call *ast.CallExpr) bool {
	fn := grpcctx.Callee(info, call)
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" && strings.HasPrefix(fn.Name(), "CompareAndSwap")
}

// searchCond reports whether cond is a search flag: a boolean variable or
// field, its negation, or an equality of a variable or field with the zero
// value of its type (for found == "", for res == nil): the loop runs while
// nothing is found yet. A comparison with another value (for tok != EOF,
// for e != nil) iterates to an end instead, and is not a flag.
func searchCond(info *types.Info, cond ast.Expr) bool {
	if isFlag(info, cond) {
		return true
	}
	b, ok := cond.(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL {
		return false
	}
	x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
	if !isVarOrField(info, x) {
		x, y = y, x
	}
	return isVarOrField(info, x) && isZero(info, y)
}

func isVarOrField(info *types.Info, e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		_, ok := info.Uses[e].(*types.Var)
		return ok
	case *ast.SelectorExpr:
		_, ok := info.Uses[e.Sel].(*types.Var)
		return ok
	}
	return false
}

// isZero reports whether e is nil or a constant zero value: "", 0, false.
func isZero(info *types.Info, e ast.Expr) bool {
	if isNil(e) {
		return true
	}
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	switch v := tv.Value.ExactString(); v {
	case `""`, "0", "false", "0.0":
		return true
	}
	return false
}
