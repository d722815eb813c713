package grpcctx

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// A flowGraph is the control-flow graph of one function, built only for the
// functions where a context variable's definitions disagree.
type flowGraph struct {
	g     *cfg.CFG
	preds map[*cfg.Block][]*cfg.Block
	where map[ast.Node]location // block-level node -> where it sits
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
	var body *ast.BlockStmt
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		body = fn.Body
	case *ast.FuncLit:
		body = fn.Body
	}
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
	}
	m.cfgs[fn] = f
	return f
}

// reaching returns the definitions of v that reach use, and whether the
// function's entry (a parameter's incoming value) reaches it. ok is false
// when use or a definition cannot be placed in the CFG.
func (m *Model) reaching(fn ast.Node, v *types.Var, use ast.Node) (defs []*def, entry, ok bool) {
	f := m.flow(fn)
	if f == nil {
		return nil, false, false
	}
	at, ok := m.locate(f, use)
	if !ok {
		return nil, false, false
	}
	byNode := make(map[ast.Node]*def)
	for _, d := range m.defs[v] {
		if _, ok := f.where[d.node]; !ok {
			return nil, false, false
		}
		byNode[d.node] = d
	}
	// last returns the last definition of v in b before index end.
	last := func(b *cfg.Block, end int) *def {
		for i := end - 1; i >= 0; i-- {
			if d := byNode[b.Nodes[i]]; d != nil {
				return d
			}
		}
		return nil
	}
	if d := last(at.b, at.i); d != nil {
		return []*def{d}, false, true
	}
	seen := make(map[*cfg.Block]bool)
	work := append([]*cfg.Block(nil), f.preds[at.b]...)
	if at.b == f.g.Blocks[0] {
		entry = true
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if d := last(b, len(b.Nodes)); d != nil {
			defs = append(defs, d)
			continue
		}
		if b == f.g.Blocks[0] {
			entry = true
		}
		work = append(work, f.preds[b]...)
	}
	return defs, entry, true
}

// locate finds the block-level node of f that contains use.
func (m *Model) locate(f *flowGraph, use ast.Node) (location, bool) {
	cur, ok := m.Cursor(use)
	if !ok {
		return location{}, false
	}
	for c := range cur.Enclosing() {
		if l, ok := f.where[c.Node()]; ok {
			return l, true
		}
		switch c.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return location{}, false
		}
	}
	return location{}, false
}
