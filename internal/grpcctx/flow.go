package grpcctx

import (
	"cmp"
	"go/ast"
	"go/types"
	"slices"
	"sync"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A flowGraph is the control-flow graph of one function, built only for the
// functions with a context variable that has more than one definition
// (counting a parameter's incoming value).
type flowGraph struct {
	g     *cfg.CFG
	preds map[*cfg.Block][]*cfg.Block
	where map[ast.Node]location // block-level node -> where it sits
	// body is the function's body, and its cursor when the Model has an
	// inspector (hasBody): locate finds a use's block-level node from
	// there, up the use's ancestors.
	body    *ast.BlockStmt
	bodyCur inspector.Cursor
	hasBody bool
	// at maps every node of the function's body outside function
	// literals to the innermost block-level node around it: locate's
	// answer without an inspector, or for a node the cursor search does
	// not find, built on first use.
	atOnce sync.Once
	at     map[ast.Node]location
}

type location struct {
	b *cfg.Block
	i int
}

func (m *Model) flow(fn ast.Node) *flowGraph {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.cfgs[fn]; ok {
		return f
	}
	body := lint.FuncBody(fn)
	var f *flowGraph
	if body != nil {
		// Every call may return: a call that does not (panic, os.Exit) only
		// adds paths, which makes the result more conservative.
		g := cfg.New(body, func(*ast.CallExpr) bool { return true })
		f = &flowGraph{g: g, preds: make(map[*cfg.Block][]*cfg.Block), where: make(map[ast.Node]location)}
		for _, b := range g.Blocks {
			for _, s := range b.Succs {
				f.preds[s] = append(f.preds[s], b)
			}
			for i, n := range b.Nodes {
				f.where[n] = location{b, i}
			}
		}
		f.body = body
		if m.inspect != nil {
			if c, ok := m.Cursor(body); ok && c.Node() == body {
				f.bodyCur, f.hasBody = c, true
			}
		}
	}
	m.cfgs[fn] = f
	return f
}

// A varFlow places the definitions of one local context variable in the
// CFG of the function that declares it.
type varFlow struct {
	f    *flowGraph
	defs map[*cfg.Block][]defAt // by block, in the order of the block's nodes
}

type defAt struct {
	i int // index in its block's Nodes
	d *def
}

// varFlow returns the varFlow of v, or nil when v is not a local context
// variable whose definitions all sit in the function that declares it, in
// its CFG. It is computed once per variable.
func (m *Model) varFlow(v *types.Var) *varFlow {
	if fl, ok := m.cache.flows.get(v); ok {
		return fl
	}
	fl := m.placeDefs(v)
	m.cache.flows.set(v, fl)
	return fl
}

func (m *Model) placeDefs(v *types.Var) *varFlow {
	fn := m.declFn[v]
	if p, isParam := m.params[v]; isParam {
		fn = p.fn
	}
	if fn == nil {
		return nil
	}
	f := m.flow(fn)
	if f == nil {
		return nil
	}
	fl := &varFlow{f: f, defs: make(map[*cfg.Block][]defAt)}
	for _, d := range m.defs[v] {
		l, ok := f.where[d.node]
		if d.fn != fn || !ok {
			return nil
		}
		fl.defs[l.b] = append(fl.defs[l.b], defAt{l.i, d})
	}
	for _, ds := range fl.defs {
		slices.SortFunc(ds, func(a, b defAt) int { return cmp.Compare(a.i, b.i) })
	}
	return fl
}

// lastBefore returns the last definition of the variable in b before the
// node at index end, or nil.
func (fl *varFlow) lastBefore(b *cfg.Block, end int) *def {
	ds := fl.defs[b]
	n, _ := slices.BinarySearchFunc(ds, end, func(d defAt, end int) int { return cmp.Compare(d.i, end) })
	if n == 0 {
		return nil
	}
	return ds[n-1].d
}

// placeNodes maps every node of body outside function literals to the
// location of the innermost block-level node (a key of where) around it,
// in one walk: a use is then placed in the CFG without a search from the
// root of the file for each.
func placeNodes(body *ast.BlockStmt, where map[ast.Node]location) map[ast.Node]location {
	at := make(map[ast.Node]location)
	var around []location // the block-level nodes around the walk, innermost last
	var pushed []bool     // whether each node on the walk's path is one
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			if pushed[len(pushed)-1] {
				around = around[:len(around)-1]
			}
			pushed = pushed[:len(pushed)-1]
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // its body is its own function's
		}
		l, ok := where[n]
		if ok {
			around = append(around, l)
		}
		pushed = append(pushed, ok)
		if len(around) > 0 {
			at[n] = around[len(around)-1]
		}
		return true
	})
	return at
}

// locate finds the block-level node of f that contains use; ok is false
// when use is not in f's function or lies in a function literal inside it.
//
// It is the innermost block-level node among use and its ancestors below
// the function's body, unless a function literal comes first: found from
// the body's cursor, down to the innermost node that spans use and back
// up to use (nodes of the same span), then up use's ancestors. A function
// of a few hundred nodes and a few dozen uses, every statement passing a
// context (aws-sdk-go-v2's middleware), spent more on a map of all its
// nodes (placeNodes) than on the queries; placeNodes remains for a node
// the search does not find, and without an inspector.
func (m *Model) locate(f *flowGraph, use ast.Node) (location, bool) {
	if f.hasBody {
		if use.Pos() < f.body.Pos() || use.End() > f.body.End() {
			return location{}, false // outside the body
		}
		if c, ok := findByPos(f.bodyCur, use.Pos(), use.End(), m.kidsOf); ok {
			for c != f.bodyCur && c.Node() != use && c.Node().Pos() == use.Pos() && c.Node().End() == use.End() {
				c = c.Parent()
			}
			if c.Node() == use {
				for ; c != f.bodyCur; c = c.Parent() {
					n := c.Node()
					if _, lit := n.(*ast.FuncLit); lit {
						return location{}, false // its body is its own function's
					}
					if l, ok := f.where[n]; ok {
						return l, true
					}
				}
				return location{}, false
			}
		}
	}
	f.atOnce.Do(func() { f.at = placeNodes(f.body, f.where) })
	l, ok := f.at[use]
	return l, ok
}
