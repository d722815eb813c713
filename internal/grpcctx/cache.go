package grpcctx

import (
	"go/ast"
	"go/types"
	"sync"
)

// An originCache keeps what origin queries have solved (see query): the
// same context is asked about by every analyzer, and by one analyzer many
// times.
type originCache struct {
	nodes  lockedMap[nodeKey, Origin]            // solved nodes of the origin equations
	flows  lockedMap[*types.Var, *varFlow]       // definitions placed in the CFG, by variable
	keeps  lockedMap[*ast.CallExpr, bool]        // cancelKept, by context constructor call
	cands  lockedMap[*types.Scope, []*types.Var] // see Model.requestCands
	kids   lockedMap[int32, []kid]               // see Model.kidsOf
	params lockedMap[paramAt, dial]              // see Model.paramDial

	assignOnce sync.Once
	assigns    map[*ast.CallExpr]assignment                  // see Model.assignments
	values     lockedMap[*ast.FuncDecl, map[*types.Var]bool] // see Model.usedAsValues
	stored     lockedMap[*ast.FuncDecl, map[*types.Var]bool] // see Model.storedLocals
	timed      lockedMap[*ast.FuncDecl, map[*types.Var]bool] // see Model.timedVars
	sent       lockedMap[ast.Node, map[types.Object]bool]    // see Model.sentInFunc
	fields     fieldIndex                                    // see fields.go
	reach      reachIndex                                    // see reach.go
}

// A lockedMap is a map the analyzers sharing a Model may use concurrently;
// it is made on first use.
type lockedMap[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

func (l *lockedMap[K, V]) get(k K) (V, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.m[k]
	return v, ok
}

func (l *lockedMap[K, V]) set(k K, v V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = make(map[K]V)
	}
	l.m[k] = v
}
