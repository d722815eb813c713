package grpcctx

import (
	"go/ast"
	"go/types"
	"sync"
)

// An originCache keeps the results of origin computations that do not
// depend on what else was in progress when they were made (see
// cycleGuard): the same context is asked about by every analyzer, and by
// one analyzer many times. Its maps are made on first use.
type originCache struct {
	mu      sync.Mutex
	origins map[defKey]Origin
	alls    map[*types.Var]allEntry
	keeps   map[*ast.CallExpr]bool // cancelKept, by context constructor call
}

// allEntry is a cached query.all result.
type allEntry struct {
	o     Origin
	agree bool
}

func (c *originCache) origin(k defKey) (Origin, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.origins[k]
	return o, ok
}

func (c *originCache) setOrigin(k defKey, o Origin) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.origins == nil {
		c.origins = make(map[defKey]Origin)
	}
	c.origins[k] = o
}

func (c *originCache) all(v *types.Var) (allEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.alls[v]
	return e, ok
}

func (c *originCache) setAll(v *types.Var, e allEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.alls == nil {
		c.alls = make(map[*types.Var]allEntry)
	}
	c.alls[v] = e
}

func (c *originCache) kept(call *ast.CallExpr) (kept, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	kept, ok = c.keeps[call]
	return kept, ok
}

func (c *originCache) setKept(call *ast.CallExpr, kept bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keeps == nil {
		c.keeps = make(map[*ast.CallExpr]bool)
	}
	c.keeps[call] = kept
}
