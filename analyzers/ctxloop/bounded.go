package ctxloop

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
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
	// fields: the fields of a local variable (or the function's receiver
	// or parameter) that the loop steps through a cursor method
	// (cursorFields: l.readChar() moves l.ch through l.input), by variable.
	fields map[*types.Var]map[*types.Var]bool
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
// len, cap, min and max, conversions, and an Unwrap function (isUnwrap),
// which steps down an error's finite chain as cur.next steps down a list)
// and without receiving.
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
			if isUnwrap(lint.Callee(info, n)) {
				return free
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
				} else if isVar && lv.fields[v][fieldVar(info, n)] {
					steps = true // l.ch, which l.readChar() steps
					return false
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
func walksData(info *types.Info, decls funcDecls, cursors map[*ast.FuncDecl][]*types.Var, fn ast.Node, f *ast.ForStmt, at inspector.Cursor) bool {
	lv := assignedIn(info, f)
	lv.fields = cursorSteps(info, decls, cursors, fn, f)
	if len(lv.stepped) == 0 && len(lv.fields) == 0 {
		return false
	}
	if f.Cond != nil && dataExit(info, fn, f.Cond, lv) {
		return true
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return dataExit(info, fn, n.Cond, lv) && (exits(at, n.Body, f) || n.Else != nil && exits(at, n.Else, f))
	})
}

// cursorSteps returns the fields that calls in the loop's body (outside
// function literals) of cursor methods step, by the variable they are
// called on: a local variable, or a receiver or parameter of fn.
func cursorSteps(info *types.Info, decls funcDecls, cursors map[*ast.FuncDecl][]*types.Var, fn ast.Node, f *ast.ForStmt) map[*types.Var]map[*types.Var]bool {
	var out map[*types.Var]map[*types.Var]bool
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !ok || len(n.Args) > 0 {
				return true
			}
			id, ok := ast.Unparen(sel.X).(*ast.Ident)
			if !ok {
				return true
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || v.IsField() || v.Pos() < fn.Pos() || v.Pos() >= fn.End() {
				return true
			}
			decl := decls.of(lint.Callee(info, n))
			if decl == nil {
				return true
			}
			fs, seen := cursors[decl]
			if !seen {
				fs = cursorFields(info, decl)
				cursors[decl] = fs
			}
			for _, field := range fs {
				if out == nil {
					out = make(map[*types.Var]map[*types.Var]bool)
				}
				if out[v] == nil {
					out[v] = make(map[*types.Var]bool)
				}
				out[v][field] = true
			}
		}
		return true
	})
	return out
}

// cursorFields returns the fields of its receiver that a cursor method
// assigns: a method without parameters whose body only computes, without
// calls (callFree), loops, channel operations, goroutines or package
// variables, and assigns its receiver's fields (func (l *Lexer) readChar()
// { if l.readPosition >= len(l.input) { l.ch = 0 } else { l.ch =
// l.input[l.readPosition] }; l.readPosition++ }). A loop that calls it
// steps through the receiver's own data, as cur = cur.next steps through a
// list, so an exit on such a field (l.ch == 0) is a data exit.
func cursorFields(info *types.Info, decl *ast.FuncDecl) []*types.Var {
	if decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 || decl.Type.Params.NumFields() > 0 {
		return nil
	}
	recv, ok := info.Defs[decl.Recv.List[0].Names[0]].(*types.Var)
	if !ok {
		return nil
	}
	var fields []*types.Var
	assigned := func(lhs ast.Expr) { // recv.f = ..., recv.f++
		if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == recv {
				if fv := fieldVar(info, sel); fv != nil {
					fields = append(fields, fv)
				}
			}
		}
	}
	pure := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt, *ast.SelectStmt, *ast.SendStmt, *ast.ForStmt, *ast.RangeStmt:
			pure = false
		case *ast.ExprStmt:
			pure = pure && callFree(info, n.X)
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				pure = pure && callFree(info, r)
			}
		case *ast.IfStmt:
			pure = pure && callFree(info, n.Cond)
		case *ast.SwitchStmt:
			pure = pure && (n.Tag == nil || callFree(info, n.Tag))
		case *ast.CaseClause:
			for _, e := range n.List {
				pure = pure && callFree(info, e)
			}
		case *ast.AssignStmt:
			for _, r := range n.Rhs {
				pure = pure && callFree(info, r)
			}
			for _, l := range n.Lhs {
				assigned(l)
			}
		case *ast.IncDecStmt:
			assigned(n.X)
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
				pure = false // a package variable: shared state
			}
		}
		return pure
	})
	if !pure {
		return nil
	}
	return fields
}

// fieldVar returns the field sel selects, if it selects one.
func fieldVar(info *types.Info, sel *ast.SelectorExpr) *types.Var {
	if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
		return v
	}
	return nil
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
//
// The CompareAndSwap may be an operand of || (if cur <= peak ||
// v.CompareAndSwap(peak, cur) { break }: leave when there is nothing to
// update, or when the update wins).
func casLoop(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	var cas func(e ast.Expr) bool
	cas = func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.CallExpr:
			return isCAS(info, e)
		case *ast.BinaryExpr:
			return e.Op == token.LOR && (cas(e.X) || cas(e.Y))
		}
		return false
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return cas(n.Cond) && exits(at, n.Body, f)
	})
}

func isCAS(info *types.Info, call *ast.CallExpr) bool {
	fn := lint.Callee(info, call)
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

// indexWalk reports whether the loop indexes, on every iteration, an array,
// or a local slice or string it does not assign, with a counter it steps by
// a constant on every iteration and assigns nowhere else: for { if a[i] ==
// x { break }; i += 2 } (goyacc's scan of its exception table). Such a loop
// ends within len(a) iterations at the latest, since past the end the index
// panics: a bounded computation whatever its exits test. A counter that
// only feeds calls (hash(n)) or indexes what a call returns bounds nothing.
func indexWalk(info *types.Info, fn ast.Node, f *ast.ForStmt) bool {
	steps := make(map[*types.Var]int) // counters stepped on every iteration, by how many statements
	var indexes []*ast.IndexExpr      // evaluated on every iteration
	if f.Post != nil {
		if v := stepOf(info, f.Post); v != nil {
			steps[v]++
		}
	}
	if f.Cond != nil {
		indexes = everyTime(f.Cond, indexes)
	}
	for _, st := range f.Body.List {
		switch s := st.(type) {
		case *ast.IfStmt:
			if s.Init != nil {
				indexes = everyTime(s.Init, indexes)
			}
			indexes = everyTime(s.Cond, indexes)
		case *ast.SwitchStmt:
			if s.Init != nil {
				indexes = everyTime(s.Init, indexes)
			}
			if s.Tag != nil {
				indexes = everyTime(s.Tag, indexes)
			}
		case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt:
			indexes = everyTime(s, indexes)
		case *ast.IncDecStmt:
			if v := stepOf(info, s); v != nil {
				steps[v]++
			}
		}
		if a, ok := st.(*ast.AssignStmt); ok {
			if v := stepOf(info, a); v != nil {
				steps[v]++
			}
		}
		if mayContinue(st) {
			break // what follows may be skipped
		}
	}
	if len(steps) == 0 || len(indexes) == 0 {
		return false
	}
	lv := assignedIn(info, f)
	set := assignments(info, f)
	for v, n := range steps {
		if n != 1 || set[v] != 1 {
			delete(steps, v) // stepped twice, or also set otherwise: not monotonic
		}
	}
	for _, ix := range indexes {
		if v := counterOf(info, ix.Index); v != nil && steps[v] > 0 && fixedLength(info, fn, ix.X, lv) {
			return true
		}
	}
	return false
}

// stepOf returns the local variable s steps by a constant (i++, i--, i +=
// 2, i -= 2), or nil.
func stepOf(info *types.Info, s ast.Stmt) *types.Var {
	var x ast.Expr
	switch s := s.(type) {
	case *ast.IncDecStmt:
		x = s.X
	case *ast.AssignStmt:
		if (s.Tok != token.ADD_ASSIGN && s.Tok != token.SUB_ASSIGN) || len(s.Lhs) != 1 || len(s.Rhs) != 1 {
			return nil
		}
		if tv, ok := info.Types[s.Rhs[0]]; !ok || tv.Value == nil || tv.Value.Kind() != constant.Int || constant.Sign(tv.Value) == 0 {
			return nil
		}
		x = s.Lhs[0]
	default:
		return nil
	}
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	if b, ok := v.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
		return nil
	}
	return v
}

// assignments counts, for each variable, the statements in the loop's
// post statement and body (function literals included) that may change
// it: assignments, increments, range clauses, and taking its address.
func assignments(info *types.Info, f *ast.ForStmt) map[*types.Var]int {
	n := make(map[*types.Var]int)
	note := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if v, ok := info.ObjectOf(id).(*types.Var); ok {
				n[v]++
			}
		}
	}
	count := func(root ast.Node) {
		ast.Inspect(root, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.AssignStmt:
				for _, l := range x.Lhs {
					note(l)
				}
			case *ast.IncDecStmt:
				note(x.X)
			case *ast.RangeStmt:
				if x.Key != nil {
					note(x.Key)
				}
				if x.Value != nil {
					note(x.Value)
				}
			case *ast.UnaryExpr:
				if x.Op == token.AND {
					note(x.X)
				}
			}
			return true
		})
	}
	if f.Post != nil {
		count(f.Post)
	}
	count(f.Body)
	return n
}

// everyTime appends the index expressions of n that are evaluated whenever n
// is: not those in the right operand of && or ||, nor in function literals.
func everyTime(n ast.Node, acc []*ast.IndexExpr) []*ast.IndexExpr {
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				acc = everyTime(x.X, acc)
				return false
			}
		case *ast.IndexExpr:
			acc = append(acc, x)
		}
		return true
	})
	return acc
}

// mayContinue reports whether st holds a continue statement (outside
// nested loops and function literals, or with a label) or a goto: the rest
// of the body may be skipped.
func mayContinue(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			// a plain continue in there is the inner loop's; a labeled one may be ours
			ast.Inspect(x, func(y ast.Node) bool {
				if b, ok := y.(*ast.BranchStmt); ok && (b.Tok == token.CONTINUE && b.Label != nil || b.Tok == token.GOTO) {
					found = true
				}
				return !found
			})
			return false
		case *ast.BranchStmt:
			if x.Tok == token.CONTINUE || x.Tok == token.GOTO {
				found = true
			}
		}
		return !found
	})
	return found
}

// counterOf returns the variable of an index of the form i, i+c, c+i or
// i-c, with c constant.
func counterOf(info *types.Info, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if b, ok := e.(*ast.BinaryExpr); ok && (b.Op == token.ADD || b.Op == token.SUB) {
		isConst := func(x ast.Expr) bool { tv, ok := info.Types[x]; return ok && tv.Value != nil }
		switch {
		case isConst(b.Y):
			e = ast.Unparen(b.X)
		case b.Op == token.ADD && isConst(b.X):
			e = ast.Unparen(b.Y)
		default:
			return nil
		}
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}

// fixedLength reports whether x, the operand of an index, has a length the
// loop cannot change: an array (or a pointer to one), or a slice or string
// held by a local variable of fn that the loop does not assign.
func fixedLength(info *types.Info, fn ast.Node, x ast.Expr, lv loopVars) bool {
	t := info.TypeOf(x)
	if t == nil {
		return false
	}
	u := t.Underlying()
	if p, ok := u.(*types.Pointer); ok {
		u = p.Elem().Underlying()
	}
	switch u := u.(type) {
	case *types.Array:
		return callFree(info, x)
	case *types.Slice:
	case *types.Basic:
		if u.Info()&types.IsString == 0 {
			return false
		}
	default:
		return false
	}
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && !v.IsField() && v.Pos() >= fn.Pos() && v.Pos() < fn.End() && !lv.stepped[v] && !lv.opaque[v]
}

// runsDry reports whether the loop leaves when a call it makes reports
// that there is nothing more: an if statement in the body that leaves the
// loop tests, alone or as an operand of ||,
//   - the negated boolean result of a call (if !p.more() { break }), or of
//     a variable the loop assigns from a call as its last result (tok, ok
//     := p.next(); if !ok { return });
//   - the result of a producer call, or a variable the loop assigns from
//     one, for equality with a constant or nil (r := l.next(); if r == eof
//     { return }; if n := it.Next(); n == nil { break }): a producer's
//     arguments mention no variable that the loop carries from one
//     iteration to the next, so what it returns is the next piece of its
//     own input, not a function of a candidate (hash(n) == 0 is a search).
//
// That is how a parser, lexer or decoder consumes its input, the way for
// it.Next() { } iterates results and a loop that leaves on a call's error
// reads a finite source. A search leaves when it finds (if _, ok :=
// s.Match(t); ok { return }), not when its producer runs dry. Calls of
// package sync and sync/atomic read shared state, not data, and do not
// count.
func runsDry(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	lv := assignedIn(info, f)
	carried := func(v *types.Var) bool {
		return (lv.stepped[v] || lv.opaque[v]) && (v.Pos() < f.Body.Lbrace || v.Pos() > f.Body.Rbrace)
	}
	results, sets := loopAssignments(info, f)
	// A cursor of call: a carried variable that the loop sets, every
	// time, from what call returned (start = page[len(page)-1].End): the
	// next call goes on where the last one ended, a walk of its input
	// page by page, not a function of a candidate.
	cursor := func(v *types.Var, call *ast.CallExpr) bool {
		rhs := sets[v]
		for _, r := range rhs {
			from := false
			for _, x := range results[call] {
				from = from || mentions(info, r, x)
			}
			if !from {
				return false
			}
		}
		return len(rhs) > 0
	}
	producer := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || !dataCall(info, call) {
			return false
		}
		varies := false
		ast.Inspect(call, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && carried(v) && !cursor(v, call) {
					varies = true
				}
			}
			return !varies
		})
		return !varies
	}
	okFrom := make(map[*types.Var]bool)   // the last, bool result of a call
	produced := make(map[*types.Var]bool) // the first result of a producer call
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Rhs) != 1 || !dataCall(info, n.Rhs[0]) {
				return true
			}
			if id, ok := n.Lhs[len(n.Lhs)-1].(*ast.Ident); ok {
				if v, ok := info.ObjectOf(id).(*types.Var); ok && isBool(v.Type()) {
					okFrom[v] = true
				}
			}
			if id, ok := n.Lhs[0].(*ast.Ident); ok && producer(n.Rhs[0]) {
				if v, ok := info.ObjectOf(id).(*types.Var); ok {
					produced[v] = true
				}
			}
		}
		return true
	})
	isConst := func(e ast.Expr) bool {
		tv, ok := info.Types[e]
		return ok && tv.Value != nil || isNil(e)
	}
	fromProducer := func(e ast.Expr) bool {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			v, ok := info.Uses[id].(*types.Var)
			return ok && produced[v]
		}
		return producer(e)
	}
	// len(page) == 0: an empty page from a producer.
	emptied := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return false
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if b, isB := info.Uses[id].(*types.Builtin); !ok || !isB || b.Name() != "len" {
			return false
		}
		return fromProducer(call.Args[0])
	}
	var dry func(e ast.Expr) bool
	dry = func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.BinaryExpr:
			switch e.Op {
			case token.LOR:
				return dry(e.X) || dry(e.Y)
			case token.EQL:
				return isConst(e.Y) && (fromProducer(e.X) || emptied(e.X)) || isConst(e.X) && (fromProducer(e.Y) || emptied(e.Y))
			}
		case *ast.UnaryExpr:
			if e.Op != token.NOT {
				return false
			}
			switch x := ast.Unparen(e.X).(type) {
			case *ast.CallExpr:
				return dataCall(info, x) && isBool(info.TypeOf(x))
			case *ast.Ident:
				v, ok := info.Uses[x].(*types.Var)
				return ok && okFrom[v]
			}
		}
		return false
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return dry(n.Cond) && exits(at, n.Body, f)
	})
}

// fixpoint reports whether the loop iterates a call to a fixed point: an
// if statement that leaves it compares next, assigned in the loop from a
// call that is given cur, with cur, and the loop then sets cur = next (for
// { parent := path.Dir(s); if parent == s { break }; s = parent }). Each
// round is pure computation on the last one's result, which converges
// (a path loses an element each time) rather than waits or searches.
func fixpoint(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	type pair struct{ next, cur *types.Var }
	from := make(map[*types.Var]*ast.CallExpr) // next := f(...)
	copies := make(map[pair]bool)              // cur = next
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
				return true
			}
			l := varOf(info, n.Lhs[0])
			if l == nil {
				return true
			}
			if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && dataCall(info, call) {
				from[l] = call
			} else if r := varOf(info, n.Rhs[0]); r != nil {
				copies[pair{next: r, cur: l}] = true
			}
		}
		return true
	})
	if len(from) == 0 || len(copies) == 0 {
		return false
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		b, ok := ast.Unparen(n.Cond).(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL || !exits(at, n.Body, f) {
			return false
		}
		x, y := varOf(info, b.X), varOf(info, b.Y)
		if x == nil || y == nil {
			return false
		}
		for _, p := range []pair{{x, y}, {y, x}} {
			if call := from[p.next]; call != nil && copies[p] && mentions(info, call, p.cur) {
				return true
			}
		}
		return false
	})
}

// dataCall reports whether e is a call of a function or method, not a
// conversion, a builtin, or a function of package sync or sync/atomic.
func dataCall(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	if tv, ok := info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return false
	}
	if fn := lint.Callee(info, call); fn != nil && fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "sync", "sync/atomic":
			return false
		}
	}
	return true
}

func isBool(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// sampling reports whether the loop draws a random candidate on every
// round and leaves when the candidate is not taken: for { id =
// rand.Uint64(); if reg.Get(id) == nil && !reg.Removed(id) { break } }, or
// _, ok := m[id]; if !ok { break }. Rejection sampling of a fresh
// identifier repeats only on a collision, which a large candidate space
// makes as rare as it likes; how long it runs is not the RPC's business. A
// random search, which leaves on a hit (if hash(n) < target { break }), is
// still a finding. A draw is a call of math/rand, math/rand/v2 or
// crypto/rand in the right-hand side of an assignment directly in the
// loop's body; the exit is an if that leaves the loop whose condition is
// a conjunction of absence tests (x == nil, !x), one of which mentions the
// draw or a variable the loop's body assigns from one that does.
func sampling(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	drawn := make(map[*types.Var]bool)
	mentionsDrawn := func(e ast.Node) bool {
		for v := range drawn {
			if mentions(info, e, v) {
				return true
			}
		}
		return false
	}
	for _, st := range f.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			continue
		}
		if !draws(info, as.Rhs[0]) && (len(drawn) == 0 || !mentionsDrawn(as.Rhs[0])) {
			continue
		}
		for _, l := range as.Lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok {
				if v, ok := info.ObjectOf(id).(*types.Var); ok {
					drawn[v] = true
				}
			}
		}
	}
	if len(drawn) == 0 {
		return false
	}
	var absent func(e ast.Expr) bool
	absent = func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.BinaryExpr:
			switch e.Op {
			case token.LAND:
				return absent(e.X) && absent(e.Y)
			case token.EQL:
				return isNil(e.X) || isNil(e.Y)
			}
		case *ast.UnaryExpr:
			return e.Op == token.NOT
		}
		return false
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return absent(n.Cond) && mentionsDrawn(n.Cond) && exits(at, n.Body, f)
	})
}

// draws reports whether e calls a function of math/rand, math/rand/v2 or
// crypto/rand (or a method of their generators), outside function
// literals.
func draws(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if fn := lint.Callee(info, n); fn != nil && fn.Pkg() != nil {
				switch fn.Pkg().Path() {
				case "math/rand", "math/rand/v2", "crypto/rand":
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// isUnwrap reports whether fn is a package-level function named Unwrap of
// type func(error) error: the standard library's errors.Unwrap or one of
// the error packages that mirror it (github.com/pkg/errors,
// cockroachdb/errors, mailgun/errors), each one step down the chain.
func isUnwrap(fn *types.Func) bool {
	if fn == nil || fn.Name() != "Unwrap" {
		return false
	}
	sig := fn.Signature()
	return sig.Recv() == nil && sig.Params().Len() == 1 && sig.Results().Len() == 1 &&
		isErrorType(sig.Params().At(0).Type()) && isErrorType(sig.Results().At(0).Type())
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// inMemory reports whether a loop that does not wait computes on memory
// only: neither its condition, post statement nor body (function literals
// aside) makes a call other than a builtin (append, delete, len), a
// conversion or an Unwrap, nor receives, and no exit of it spins on shared state (spins). Such a loop
// in a helper is a bounded computation over data the helper holds
// (fabric's endorsement plan: for endorsers == nil { ... p.nextLayout++
// ... }), however its exits are written: it gives its function no fact.
// In handler scope it is judged as before.
func inMemory(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	for _, n := range []ast.Node{f.Cond, f.Post, f.Body} {
		if n == nil {
			continue
		}
		free := true
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.UnaryExpr:
				free = n.Op != token.ARROW
			case *ast.CallExpr:
				tv, ok := info.Types[n.Fun]
				free = ok && (tv.IsType() || tv.IsBuiltin()) || isUnwrap(lint.Callee(info, n))
			}
			return free
		})
		if !free {
			return false
		}
	}
	return !spins(info, f, at)
}

// spins reports whether an exit of the loop (its condition, or an if
// statement that leaves it) reads a field or a package variable and
// mentions nothing the loop assigns: it waits for another goroutine to
// change shared state (for !s.done {}, for lock.token == "" { ... }).
func spins(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	assigned := make(map[string]bool) // what the loop assigns, as written
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				assigned[types.ExprString(ast.Unparen(l))] = true
			}
		case *ast.IncDecStmt:
			assigned[types.ExprString(ast.Unparen(n.X))] = true
		}
		return true
	})
	shared := func(cond ast.Expr) bool {
		reads, moves := false, false
		ast.Inspect(cond, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if assigned[types.ExprString(n)] {
					moves = true
				}
				if v, ok := info.Uses[n.Sel].(*types.Var); ok && v.IsField() {
					reads = true
				}
			case *ast.Ident:
				if assigned[n.Name] {
					moves = true
				}
				if v, ok := info.Uses[n].(*types.Var); ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
					reads = true
				}
			}
			return !moves
		})
		return reads && !moves
	}
	if f.Cond != nil && shared(f.Cond) {
		return true
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return shared(n.Cond) && exits(at, n.Body, f)
	})
}

// retries reports whether a loop that does not wait carries nothing from
// one round to the next: it assigns no variable declared before it (a
// parameter included), no field and no element, steps nothing, and calls
// no method on and takes the address of no local declared before it (the
// state of var s Searcher; s.Next() is carried); and no exit spins on
// shared state (spins). Every round then starts afresh, and the loop goes
// round again only when another goroutine changed what its calls read
// between two rounds (seaweedfs's RegisterVolumeLayout: for { vl :=
// t.GetVolumeLayout(...); if vl.RegisterVolume(&v, dn) { return } }), an
// optimistic retry like casLoop's. Such a loop in a helper gives no fact.
func retries(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	before := func(e ast.Expr) (*types.Var, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := info.Uses[id].(*types.Var)
		return v, ok && !v.IsField() && (v.Pos() < f.Pos() || v.Pos() > f.End())
	}
	local := func(e ast.Expr) bool {
		v, ok := before(e)
		return ok && v.Kind() == types.LocalVar
	}
	carries := false
	for _, n := range []ast.Node{f.Cond, f.Post, f.Body} {
		if n == nil {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if _, ok := ast.Unparen(l).(*ast.Ident); !ok {
						carries = true // a field or an element
					} else if _, ok := before(l); ok && n.Tok != token.DEFINE {
						carries = true
					}
				}
			case *ast.IncDecStmt:
				carries = true
			case *ast.UnaryExpr:
				carries = carries || n.Op == token.AND && local(n.X)
			case *ast.CallExpr:
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && local(sel.X) {
					if _, isMethod := info.Selections[sel]; isMethod {
						carries = true
					}
				}
			}
			return !carries
		})
		if carries {
			return false
		}
	}
	return !spins(info, f, at)
}

// loopAssignments returns, for the loop's body (function literals aside),
// the variables each call's results are assigned to (page, err :=
// list(start)), and the right-hand sides each variable is assigned from.
func loopAssignments(info *types.Info, f *ast.ForStmt) (results map[*ast.CallExpr][]*types.Var, sets map[*types.Var][]ast.Expr) {
	results = make(map[*ast.CallExpr][]*types.Var)
	sets = make(map[*types.Var][]ast.Expr)
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) > 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					for _, l := range n.Lhs {
						if v := varOf(info, l); v != nil {
							results[call] = append(results[call], v)
							sets[v] = append(sets[v], n.Rhs[0])
						}
					}
				}
				return true
			}
			for i, l := range n.Lhs {
				if i >= len(n.Rhs) {
					break
				}
				v := varOf(info, l)
				if v == nil {
					continue
				}
				sets[v] = append(sets[v], n.Rhs[i])
				if call, ok := ast.Unparen(n.Rhs[i]).(*ast.CallExpr); ok {
					results[call] = append(results[call], v)
				}
			}
		}
		return true
	})
	return results, sets
}

// varOf returns the variable the identifier e names (defined or used),
// or nil.
func varOf(info *types.Info, e ast.Expr) *types.Var {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		v, _ := info.ObjectOf(id).(*types.Var)
		return v
	}
	return nil
}

// walksUp reports whether the loop walks a finite tree or list through a
// field of a node's own type: it sets a cursor (a variable or a slice's
// element) from that field of a node (invs[idx] = i.parent, cur =
// cur.next) and leaves when the field is nil (if i.parent == nil { ...;
// return }). Each round moves the cursors one step toward the root or
// the end, which a finite structure reaches (bb-remote-execution's
// breadth-first walk up its invocation tree, round 6's R1 shape). Such a
// loop in a helper gives no fact.
func walksUp(info *types.Info, f *ast.ForStmt, at inspector.Cursor) bool {
	steps := make(map[*types.Var]bool) // the self-typed fields the loop steps through
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
				return true
			}
			sel, ok := ast.Unparen(n.Rhs[0]).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			fld, ok := info.Uses[sel.Sel].(*types.Var)
			if !ok || !fld.IsField() {
				return true
			}
			t := info.TypeOf(sel)
			if _, isPtr := types.Unalias(t).(*types.Pointer); isPtr && types.Identical(t, info.TypeOf(sel.X)) && types.Identical(t, info.TypeOf(n.Lhs[0])) {
				steps[fld] = true
			}
		}
		return true
	})
	if len(steps) == 0 {
		return false
	}
	atEnd := func(e ast.Expr) bool {
		b, ok := ast.Unparen(e).(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL {
			return false
		}
		x := b.X
		if isNil(x) {
			x = b.Y
		} else if !isNil(b.Y) {
			return false
		}
		sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		fld, ok := info.Uses[sel.Sel].(*types.Var)
		return ok && steps[fld]
	}
	return someIf(f, func(n *ast.IfStmt) bool {
		return atEnd(n.Cond) && exits(at, n.Body, f)
	})
}
