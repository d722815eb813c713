package grpcctx

import (
	"cmp"
	"go/ast"
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// findByPos is inspector's Cursor.FindByPos from the root: the innermost
// node that contains [start, end), the first one when two do. FindByPos
// walks the siblings before the target at every level, so that a lookup
// costs the declarations before it in the package and the statements
// before it in its function; the model looks up a node per call and per
// finding, which made a package of thousands of methods, or a function of
// thousands of statements, quadratic. findByPos descends the same path,
// choosing at each level the first child that contains the range: by
// binary search among the children of a node with many of them (listed
// once per node, see kidsOf), one by one among a few, stopping, as
// FindByPos does, at a child that starts after start.
func findByPos(root inspector.Cursor, start, end token.Pos, kidsOf func(inspector.Cursor) []kid) (inspector.Cursor, bool) {
	c := root
	for {
		next, ok := inspector.Cursor{}, false
		if kids := kidsOf(c); kids != nil {
			// The first child ending at or after end; it contains the
			// range if it starts at or before start.
			i := sort.Search(len(kids), func(i int) bool { return kids[i].end >= end })
			if i < len(kids) && kids[i].pos <= start {
				next, ok = kids[i].cur, true
			}
		} else {
			for k := range c.Children() {
				pos, kend := span(k.Node())
				if pos > start {
					if _, file := k.Node().(*ast.File); file {
						continue // files may be out of order
					}
					break // as FindByPos: a later child cannot contain it (FuncDecl.Name stops it before FuncDecl.Type)
				}
				if end <= kend {
					next, ok = k, true
					break
				}
			}
		}
		if !ok {
			break
		}
		c = next
	}
	if c.Node() == nil {
		return inspector.Cursor{}, false
	}
	return c, true
}

// span returns n's start and end, a file's by its FileStart and FileEnd,
// as FindByPos does.
func span(n ast.Node) (token.Pos, token.Pos) {
	if f, ok := n.(*ast.File); ok {
		return f.FileStart, f.FileEnd
	}
	return n.Pos(), n.End()
}

// A kid is a child of a node with many children, and its span.
type kid struct {
	pos, end token.Pos
	cur      inspector.Cursor
}

// manyKids is the number of children from which a node's children are
// listed for binary search.
const manyKids = 16

// listKids returns c's children when there are at least least of them, in
// order and disjoint (a block's statements, a file's declarations, the
// package's files), else nil.
func listKids(c inspector.Cursor, least int) []kid {
	n := 0
	for range c.Children() {
		if n++; n >= least {
			break
		}
	}
	if n < least {
		return nil // counted first: most nodes have a few children, and no list
	}
	var kids []kid
	sorted := true
	for k := range c.Children() {
		pos, end := span(k.Node())
		if n := len(kids); n > 0 && pos < kids[n-1].end {
			sorted = false
		}
		kids = append(kids, kid{pos, end, k})
	}
	if !sorted {
		// The package's files come in the order go/packages lists them,
		// not in the order of their positions (the file set's bases
		// follow parsing, which is concurrent): sorted, they are disjoint
		// all the same. Searched one by one instead, a lookup cost the
		// files before its own, ~700 in aws-sdk-go-v2's ec2, for every
		// call the model looked up in endpoints.go.
		slices.SortFunc(kids, func(a, b kid) int { return cmp.Compare(a.pos, b.pos) })
		for i := 1; i < len(kids); i++ {
			if kids[i].pos < kids[i-1].end {
				return nil // overlapping: searched one by one
			}
		}
	}
	if len(kids) < least {
		return nil
	}
	return kids
}

// kidsOf returns listKids(c), computed once per node.
func (m *Model) kidsOf(c inspector.Cursor) []kid {
	key := cursorKey(c)
	if kids, ok := m.cache.kids.get(key); ok {
		return kids
	}
	kids := m.listKidsAside(c)
	m.cache.kids.set(key, kids)
	return kids
}

// listKidsAside is listKids, timed as the package's: a file's list of
// declarations is made once, for whichever function's lookup comes first
// (in aws-sdk-go-v2's ec2, deserializers.go's first handler paid for a file
// of 120k lines), an index of the file rather than that function's work.
func (m *Model) listKidsAside(c inspector.Cursor) []kid {
	defer lint.Aside()()
	return listKids(c, manyKids)
}

// cursorKey identifies c among its inspector's cursors: its index, -1 for
// the root.
func cursorKey(c inspector.Cursor) int32 {
	if c.Node() == nil {
		return -1
	}
	return c.Index()
}
