package lint

import (
	"go/types"
	"iter"

	"golang.org/x/tools/go/analysis"
)

// A FactPtr is a pointer to a fact type T, as analysis.Pass imports into.
type FactPtr[T any] interface {
	*T
	analysis.Fact
}

// A FactTable holds one kind of object fact of functions: this package's
// own, set as a pass computes them and exported in the order they were
// first set (deterministic: the order of the pass's walk, not of a map),
// and other packages', imported.
//
// A table imports in one of two ways. By default Lookup asks the pass for
// every function of another package, while the pass runs. After
// ImportUses it reads only what ImportUses imported and never calls the
// pass again: a table built in one pass can then be read by other
// analyzers' passes, concurrently, once it is no longer set.
//
// A nil *FactTable holds no facts.
type FactTable[T any, F FactPtr[T]] struct {
	pass     *analysis.Pass
	local    map[*types.Func]F
	listed   map[*types.Func]bool // in order, set at least once
	order    []*types.Func
	imported map[*types.Func]F // after ImportUses; nil before
}

// NewFactTable returns an empty table for pass.
func NewFactTable[T any, F FactPtr[T]](pass *analysis.Pass) *FactTable[T, F] {
	return &FactTable[T, F]{
		pass:   pass,
		local:  make(map[*types.Func]F),
		listed: make(map[*types.Func]bool),
	}
}

// ImportUses imports the facts of the functions of other packages this
// package refers to (TypesInfo.Uses), those for which keep, given the
// object as used (an instantiated method, say), reports true. Facts are
// imported for, and looked up by, the function's Origin.
func (t *FactTable[T, F]) ImportUses(keep func(*types.Func) bool) {
	t.imported = make(map[*types.Func]F)
	// A function is used many times (every call of a context getter in a
	// generated SDK): keep is asked once per object used, the pass once
	// per Origin.
	seen := make(map[*types.Func]bool)  // objects used, judged by keep
	asked := make(map[*types.Func]bool) // Origins imported or tried
	for _, obj := range t.pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == t.pass.Pkg || seen[fn] {
			continue
		}
		seen[fn] = true
		if !keep(fn) {
			continue
		}
		origin := fn.Origin()
		if asked[origin] {
			continue
		}
		asked[origin] = true
		if f, ok := t.Import(origin); ok {
			t.imported[origin] = f
		}
	}
}

// Imported returns how many facts ImportUses imported.
func (t *FactTable[T, F]) Imported() int {
	return len(t.imported)
}

// Import imports the fact of fn, a function of another package, from the
// pass, whatever the table imported before.
func (t *FactTable[T, F]) Import(fn *types.Func) (F, bool) {
	f := F(new(T))
	if t.pass.ImportObjectFact(fn, f) {
		return f, true
	}
	return nil, false
}

// Lookup returns the fact of fn: this package's as set, another package's
// as imported.
func (t *FactTable[T, F]) Lookup(fn *types.Func) (F, bool) {
	switch {
	case t == nil:
		return nil, false
	case fn.Pkg() == t.pass.Pkg:
		return t.Local(fn)
	case t.imported != nil:
		f, ok := t.imported[fn]
		return f, ok
	}
	return t.Import(fn)
}

// Has reports whether fn has a fact (see Lookup).
func (t *FactTable[T, F]) Has(fn *types.Func) bool {
	_, ok := t.Lookup(fn)
	return ok
}

// Local returns the fact set for fn, a function of this package.
func (t *FactTable[T, F]) Local(fn *types.Func) (F, bool) {
	if t == nil {
		return nil, false
	}
	f, ok := t.local[fn]
	return f, ok
}

// Set sets the fact of fn, a function of this package.
func (t *FactTable[T, F]) Set(fn *types.Func, f F) {
	if !t.listed[fn] {
		t.listed[fn] = true
		t.order = append(t.order, fn)
	}
	t.local[fn] = f
}

// Add sets the fact of fn, a function of this package, unless it has one;
// it reports whether it set it.
func (t *FactTable[T, F]) Add(fn *types.Func, f F) bool {
	if _, ok := t.local[fn]; ok {
		return false
	}
	t.Set(fn, f)
	return true
}

// Delete removes the fact of fn, a function of this package.
func (t *FactTable[T, F]) Delete(fn *types.Func) {
	delete(t.local, fn)
}

// All yields this package's functions and their facts, in the order they
// were first set.
func (t *FactTable[T, F]) All() iter.Seq2[*types.Func, F] {
	return func(yield func(*types.Func, F) bool) {
		if t == nil {
			return
		}
		for _, fn := range t.order {
			if f, ok := t.local[fn]; ok && !yield(fn, f) {
				return
			}
		}
	}
}

// Funcs returns this package's functions that have a fact, in the order
// they were first set.
func (t *FactTable[T, F]) Funcs() []*types.Func {
	var fns []*types.Func
	for fn := range t.All() {
		fns = append(fns, fn)
	}
	return fns
}

// Export exports this package's facts, in the order they were first set.
func (t *FactTable[T, F]) Export() {
	for fn, f := range t.All() {
		t.pass.ExportObjectFact(fn, f)
	}
}
