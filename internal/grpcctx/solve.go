package grpcctx

import (
	"go/ast"
	"go/types"
	"sync"

	"golang.org/x/tools/go/cfg"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// The origins of a package's context variables are the least solution of a
// system of equations, one per node (see nodeKind), each the join of the
// values it reads. The system is solved on demand, one query at a time:
// a node is evaluated when first read and its value is kept in the Model
// for every later query, so each node is evaluated once, however many
// paths lead to it (n diamonds that rewrite ctx are 5n nodes, not 2^n
// paths). Nodes that read each other through a loop form a strongly
// connected component, found as Tarjan's algorithm does on the way back
// from the recursion; its nodes are evaluated again, from the values
// their neighbours have so far, until none changes. Every equation is
// monotone (join, and derivations strict in bottom: see query.call) over
// a lattice of small height (bottom, then an origin whose every-path flags
// can only fall, some-path flags only rise and At/Var only be forgotten,
// then Unknown), so that ends, with the same values whichever node a query
// asked first. The cost is linear in the number of nodes and
// the edges between them: a few rounds per loop, not a walk per path.

// A nodeKind says what value a node of the origin equations stands for.
type nodeKind uint8

const (
	// defValue: the origin of the value definition d stores.
	defValue nodeKind = iota
	// blockEntry: the origin of local variable v on entry to block b of
	// the CFG of the function that declares v.
	blockEntry
	// allDefs: the join of all of v's definitions (and of its incoming
	// value, for a parameter), for reads the CFG cannot place.
	allDefs
	// fieldValue: the origin of struct field v, the join of what the
	// package stores in it (see fields.go).
	fieldValue
	// paramCallers: the join of the arguments every call of v's function
	// passes for parameter v (see fields.go).
	paramCallers
)

// A nodeKey names one node of the origin equations.
type nodeKey struct {
	kind nodeKind
	d    *def       // defValue
	v    *types.Var // blockEntry, allDefs, fieldValue, paramCallers
	b    *cfg.Block // blockEntry
}

// A query is one origin computation. Its solver state is private to it,
// so analyzers sharing a Model can query concurrently; the values it
// solves go to the Model's cache for every later query.
type query struct {
	m     *Model
	slots map[nodeKey]*slot // nodes this query has met
	stack []*slot           // Tarjan's stack: nodes whose component is not solved yet
	slab  []slot            // where slots are allocated, a few at a time
	cur   *slot             // the node being evaluated, nil at the top
	// rounds counts evaluations after a node's first, for tests.
	rounds int
	// clock, when the analyzers are timed per function, is moved to
	// the function of each node evaluated (see lint.FuncClock).
	clock *lint.FuncClock
}

// A slot is a node in the course of one query.
type slot struct {
	key nodeKey
	val Origin // the value so far; final once !onStack
	// index is the order in which the query met the node; low the
	// smallest index of a node on the stack it reads, directly or not.
	index, low int
	pos        int // position on the stack
	onStack    bool
	queued     bool    // on the worklist of its component
	readers    []*slot // nodes on the stack that read this one
}

func newQuery(m *Model) *query { return &query{m: m, clock: lint.Clock()} }

// Origin's queries are reused: a function whose every statement passes a
// context asks one per argument, most of a node or two, and a query's
// map, stack and slots were most of the allocations of such a function.
// A query is put back once its answer is out (every node it met is then
// in the Model's cache), unless it grew large: clearing a map costs its
// capacity.
var queries = sync.Pool{New: func() any { return new(query) }}

// reusedSlots is the most nodes a query may have met to be put back.
const reusedSlots = 64

func reuseQuery(m *Model) *query {
	q := queries.Get().(*query)
	q.m, q.clock = m, lint.Clock()
	return q
}

// release puts q back for reuseQuery; q is not to be used after.
func (q *query) release() {
	if len(q.slots) > reusedSlots || len(q.stack) > 0 {
		return
	}
	clear(q.slots)
	clear(q.slab[:cap(q.slab)])
	q.slab = q.slab[:0]
	q.m, q.cur, q.clock, q.rounds = nil, nil, nil, 0
	queries.Put(q)
}

// funcOf returns the function whose code node k stands for, or nil (a
// field's value, a package-level variable).
func (q *query) funcOf(k nodeKey) ast.Node {
	switch k.kind {
	case defValue:
		return k.d.fn
	case blockEntry, allDefs, paramCallers:
		if p, ok := q.m.params[k.v]; ok {
			return p.fn
		}
		return q.m.declFn[k.v]
	}
	return nil
}

// get returns the value of node k: solved, or so far when k is part of a
// loop still being solved.
func (q *query) get(k nodeKey) Origin {
	if s := q.slots[k]; s != nil {
		if s.onStack {
			q.reads(s, s.index)
		}
		return s.val
	}
	if o, ok := q.m.cache.nodes.get(k); ok {
		return o
	}
	if q.slots == nil {
		q.slots = make(map[nodeKey]*slot)
	}
	if len(q.slab) == cap(q.slab) {
		q.slab = make([]slot, 0, 8) // the pointers into the old one stay good
	}
	q.slab = append(q.slab, slot{key: k, val: bottom, index: len(q.slots), pos: len(q.stack), onStack: true})
	s := &q.slab[len(q.slab)-1]
	s.low = s.index
	q.slots[k] = s
	q.stack = append(q.stack, s)
	reader := q.cur
	q.cur = s
	fn := q.clock.For(q.funcOf(k))
	s.val = q.eval(k)
	q.clock.Restore(fn)
	q.cur = reader
	if s.low == s.index {
		q.solve(s)
	} else {
		q.reads(s, s.low)
	}
	return s.val
}

// reads notes that the node being evaluated read s, which is on the
// stack: they belong to the same component, and when s changes the reader
// must be evaluated again.
func (q *query) reads(s *slot, low int) {
	r := q.cur
	if r == nil {
		return
	}
	r.low = min(r.low, low)
	if n := len(s.readers); n == 0 || s.readers[n-1] != r {
		s.readers = append(s.readers, r)
	}
}

// solve finishes the component whose first node is root: the nodes above
// it on the stack. A component of one node that does not read itself has
// its value already; the others are evaluated again, a node each time a
// node it reads has changed, until none changes.
func (q *query) solve(root *slot) {
	if len(q.stack) > root.pos+1 || len(root.readers) > 0 {
		var work []*slot
		for i := root.pos; i < len(q.stack); i++ {
			s := q.stack[i]
			s.queued = true
			work = append(work, s)
		}
		for len(work) > 0 {
			s := work[len(work)-1]
			work = work[:len(work)-1]
			s.queued = false
			reader := q.cur
			q.cur = s
			fn := q.clock.For(q.funcOf(s.key))
			o := join(s.val, q.eval(s.key))
			q.clock.Restore(fn)
			q.cur = reader
			q.rounds++
			if o == s.val {
				continue
			}
			s.val = o
			for _, r := range s.readers {
				if r.onStack && !r.queued {
					r.queued = true
					work = append(work, r)
				}
			}
		}
	}
	for _, s := range q.stack[root.pos:] {
		s.onStack = false
		s.readers = nil
		q.m.cache.nodes.set(s.key, s.val)
	}
	q.stack = q.stack[:root.pos]
}
