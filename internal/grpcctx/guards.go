package grpcctx

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A Guard is a condition on one of a function's flags: a parameter of a
// boolean, integer or string type (or a named type of one) that the body
// never assigns or takes the address of. Work under the guard runs only
// when the flag's value is one of Values (In), or none of them (!In).
// Values are constants' exact strings (constant.Value.ExactString).
//
// Guards come from the branches around the work: if retry { ... },
// if mode == remote { ... }, case BlockAccess: (default: is !In of every
// case's values), and an if statement before it that returns when its
// condition holds (if !retry { return }). A call that passes a constant
// the guard rules out does not reach the work: createVolume(id,
// MountAccess) never runs the fallocate of its case BlockAccess.
type Guard struct {
	Flag   int
	Values []string
	In     bool
}

func (g Guard) String() string {
	switch {
	case g.In && len(g.Values) == 1:
		return fmt.Sprintf("%d is %s", g.Flag, g.Values[0])
	case g.In:
		return fmt.Sprintf("%d in {%s}", g.Flag, strings.Join(g.Values, ", "))
	}
	return fmt.Sprintf("%d not in {%s}", g.Flag, strings.Join(g.Values, ", "))
}

func (g Guard) equal(h Guard) bool {
	return g.Flag == h.Flag && g.In == h.In && slices.Equal(g.Values, h.Values)
}

// Off reports whether call passes, for g's flag, a constant that g rules
// out, so that the work under g does not run for this call.
func (g Guard) Off(info *types.Info, call *ast.CallExpr) bool {
	args := lint.Args(info, call)
	if g.Flag >= len(args) {
		return false
	}
	tv, ok := info.Types[args[g.Flag]]
	if !ok || tv.Value == nil {
		return false
	}
	return slices.Contains(g.Values, tv.Value.ExactString()) != g.In
}

// SwitchedOff reports whether one of gs is off at call.
func SwitchedOff(info *types.Info, call *ast.CallExpr, gs []Guard) bool {
	for _, g := range gs {
		if g.Off(info, call) {
			return true
		}
	}
	return false
}

// IntersectGuards returns the guards of a and b that are the same in both:
// the conditions under which work in both places runs. It keeps a's order.
func IntersectGuards(a, b []Guard) []Guard {
	var out []Guard
	for _, g := range a {
		if slices.ContainsFunc(b, g.equal) {
			out = append(out, g)
		}
	}
	return out
}

// SortedGuards returns gs, the guards of one node by flag, as a slice
// sorted by flag.
func SortedGuards(gs map[int]Guard) []Guard {
	out := slices.Collect(maps.Values(gs))
	slices.SortFunc(out, func(a, b Guard) int { return cmp.Compare(a.Flag, b.Flag) })
	return out
}

// flagParams returns decl's flags (see Guard) by parameter index.
func flagParams(info *types.Info, decl *ast.FuncDecl) map[*types.Var]int {
	var flags map[*types.Var]int
	i := 0
	for _, field := range decl.Type.Params.List {
		names := field.Names
		if len(names) == 0 {
			i++
			continue
		}
		for _, name := range names {
			if v, ok := info.Defs[name].(*types.Var); ok && isFlagType(v.Type()) {
				if flags == nil {
					flags = make(map[*types.Var]int)
				}
				flags[v] = i
			}
			i++
		}
	}
	if flags == nil {
		return nil
	}
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		var lhs []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			lhs = n.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{n.X}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				lhs = []ast.Expr{n.X}
			}
		}
		for _, l := range lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok {
					delete(flags, v)
				}
			}
		}
		return true
	})
	return flags
}

// isFlagType reports whether t is a boolean, integer or string type:
// those whose constants compare exactly by their ExactString.
func isFlagType(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsBoolean|types.IsInteger|types.IsString) != 0
}

// A GuardScan finds, for one function, the guards under which a node of
// its body runs.
type GuardScan struct {
	info *types.Info
	decl *ast.FuncDecl
	// flags are decl's flags (flagParams), found on the first question:
	// most functions scanned are never asked about, and finding them walks
	// the body.
	flags   map[*types.Var]int
	flagsOK bool
	// early holds, for each block asked about, the guards implied by the
	// if statements that leave the function before each statement of it
	// (prefix[i]: those among List[:i]); computed once per block, so a
	// block of n calls costs O(n), not O(n²).
	early map[*ast.BlockStmt][]map[int]Guard
	// switches holds each switch on a flag's clause guards (switchGuards).
	switches map[*ast.SwitchStmt]map[*ast.CaseClause]Guard
}

// NewGuardScan returns the guard scan of decl.
func NewGuardScan(info *types.Info, decl *ast.FuncDecl) *GuardScan {
	return &GuardScan{info: info, decl: decl}
}

// At returns the guards, by flag, under which the node at cur runs: those
// of the if statements whose branch holds it, of the switch clauses that
// hold it, and of the if statements before it in an enclosing block that
// leave the function when their condition holds (if !retry { return }).
// It stops at a function literal. Any enclosing condition is one the
// node runs under, so where two constrain one flag either will do.
func (gs *GuardScan) At(cur inspector.Cursor) map[int]Guard {
	if !gs.flagsOK {
		gs.flags, gs.flagsOK = flagParams(gs.info, gs.decl), true
	}
	if len(gs.flags) == 0 {
		return nil
	}
	var g map[int]Guard
	add := func(m map[int]Guard) {
		for k, v := range m {
			if g == nil {
				g = make(map[int]Guard)
			}
			g[k] = v
		}
	}
	child := cur
	for p := cur.Parent(); p.Node() != nil; child, p = p, p.Parent() {
		switch n := p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return g
		case *ast.IfStmt:
			switch child.Node() {
			case n.Body:
				add(gs.implied(n.Cond, true))
			case n.Else:
				add(gs.implied(n.Cond, false))
			}
		case *ast.CaseClause:
			if child.Node().Pos() > n.Colon {
				add(gs.clause(p, n))
			}
		case *ast.BlockStmt:
			add(gs.before(n, child.Node()))
		}
	}
	return g
}

// clause returns the guard of the case clause cc at cur, of a switch on a
// flag (switch mode { case a, b: ... default: ... }) whose cases are all
// constants and none falls through.
func (gs *GuardScan) clause(cur inspector.Cursor, cc *ast.CaseClause) map[int]Guard {
	sw, ok := cur.Parent().Parent().Node().(*ast.SwitchStmt)
	if !ok || sw.Init != nil || sw.Tag == nil {
		return nil
	}
	id, ok := ast.Unparen(sw.Tag).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := gs.info.Uses[id].(*types.Var)
	flag, ok := gs.flags[v]
	if !ok {
		return nil
	}
	g := gs.switchGuards(sw, flag)[cc]
	if g.Values == nil {
		return nil
	}
	return map[int]Guard{flag: g}
}

// switchGuards returns the guard of each case clause of sw, a switch on
// flag: none (an empty map) when a case is not a constant or one falls
// through. Computed once per switch, so that a switch of n clauses costs
// O(n) whatever the number of nodes asked about.
func (gs *GuardScan) switchGuards(sw *ast.SwitchStmt, flag int) map[*ast.CaseClause]Guard {
	if out, ok := gs.switches[sw]; ok {
		return out
	}
	if gs.switches == nil {
		gs.switches = make(map[*ast.SwitchStmt]map[*ast.CaseClause]Guard)
	}
	out := make(map[*ast.CaseClause]Guard)
	gs.switches[sw] = out
	var all []string
	var deflt *ast.CaseClause
	for _, s := range sw.Body.List {
		c := s.(*ast.CaseClause)
		if n := len(c.Body); n > 0 {
			if br, ok := c.Body[n-1].(*ast.BranchStmt); ok && br.Tok == token.FALLTHROUGH {
				clear(out)
				return out
			}
		}
		if c.List == nil {
			deflt = c
			continue
		}
		var vs []string
		for _, e := range c.List {
			tv, ok := gs.info.Types[e]
			if !ok || tv.Value == nil {
				clear(out)
				return out
			}
			vs = append(vs, tv.Value.ExactString())
		}
		all = append(all, vs...)
		slices.Sort(vs)
		out[c] = Guard{Flag: flag, Values: slices.Compact(vs), In: true}
	}
	if deflt != nil && len(all) > 0 {
		slices.Sort(all)
		out[deflt] = Guard{Flag: flag, Values: slices.Compact(all), In: false}
	}
	return out
}

// before returns the guards implied by the if statements of b, before the
// statement st, that end in a return (and so leave the function when
// their condition holds).
func (gs *GuardScan) before(b *ast.BlockStmt, st ast.Node) map[int]Guard {
	prefix, ok := gs.early[b]
	if !ok {
		if gs.early == nil {
			gs.early = make(map[*ast.BlockStmt][]map[int]Guard)
		}
		prefix = make([]map[int]Guard, len(b.List))
		var acc map[int]Guard
		for i, s := range b.List {
			prefix[i] = acc
			if ifs, isIf := s.(*ast.IfStmt); isIf && ifs.Else == nil && ifs.Init == nil && len(ifs.Body.List) > 0 {
				if _, ret := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); ret {
					if m := gs.implied(ifs.Cond, false); len(m) > 0 {
						next := make(map[int]Guard, len(acc)+len(m))
						maps.Copy(next, acc)
						maps.Copy(next, m)
						acc = next
					}
				}
			}
		}
		gs.early[b] = prefix
	}
	i, found := slices.BinarySearchFunc(b.List, st.Pos(), func(s ast.Stmt, pos token.Pos) int { return cmp.Compare(s.Pos(), pos) })
	if !found {
		return nil
	}
	return prefix[i]
}

// implied returns the guards, by flag, that follow from cond being holds:
// retry, !retry, mode == remote, mode != local, a && retry when true,
// a || !retry when false.
func (gs *GuardScan) implied(cond ast.Expr, holds bool) map[int]Guard {
	var out map[int]Guard
	set := func(v *types.Var, value string, in bool) {
		flag := gs.flags[v]
		if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsBoolean != 0 && !in {
			value, in = strconv.FormatBool(value != "true"), true // one form for a bool: retry is false
		}
		if out == nil {
			out = make(map[int]Guard)
		}
		out[flag] = Guard{Flag: flag, Values: []string{value}, In: in}
	}
	flagOf := func(e ast.Expr) *types.Var {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if v, ok := gs.info.Uses[id].(*types.Var); ok && hasFlag(gs.flags, v) {
				return v
			}
		}
		return nil
	}
	var walk func(e ast.Expr, holds bool)
	walk = func(e ast.Expr, holds bool) {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			if v := flagOf(e); v != nil {
				if b, ok := v.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsBoolean != 0 {
					set(v, strconv.FormatBool(holds), true)
				}
			}
		case *ast.UnaryExpr:
			if e.Op == token.NOT {
				walk(e.X, !holds)
			}
		case *ast.BinaryExpr:
			switch {
			case e.Op == token.LAND && holds || e.Op == token.LOR && !holds:
				walk(e.X, holds)
				walk(e.Y, holds)
			case e.Op == token.EQL || e.Op == token.NEQ:
				v, other := flagOf(e.X), e.Y
				if v == nil {
					v, other = flagOf(e.Y), e.X
				}
				if tv, ok := gs.info.Types[other]; v != nil && ok && tv.Value != nil {
					set(v, tv.Value.ExactString(), holds == (e.Op == token.EQL))
				}
			}
		}
	}
	walk(cond, holds)
	return out
}

func hasFlag(flags map[*types.Var]int, v *types.Var) bool {
	_, ok := flags[v]
	return ok
}
