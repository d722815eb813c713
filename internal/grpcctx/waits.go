package grpcctx

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// HandlerWaits reports whether the handler h, outside the goroutines it
// starts, waits for anything a goroutine could signal: a channel receive
// (an operation, a range over a channel, a select case), or a call of a
// method named Wait (sync.WaitGroup, errgroup.Group, a sync.Cond). Any
// such wait is taken to be for h's goroutines, leaning to silence in the
// rules that ask whether a goroutine may outlive the handler (ctxdetach's
// request-context-outlived). Function literals h calls directly are part
// of h; the bodies of go statements are not. The answer is cached per
// handler; a light Model (no inspector) answers false.
func (m *Model) HandlerWaits(h *Handler) bool {
	if h == nil || m.inspect == nil {
		return false
	}
	m.mu.Lock()
	w, ok := m.waiting[h]
	m.mu.Unlock()
	if ok {
		return w
	}
	if root, ok := m.Cursor(h.Func); ok {
		w = waitsIn(m.info, root)
	}
	m.mu.Lock()
	if m.waiting == nil {
		m.waiting = make(map[*Handler]bool)
	}
	m.waiting[h] = w
	m.mu.Unlock()
	return w
}

// waitsIn is HandlerWaits' walk of the function at root: linear in its
// size, stopping at the first wait.
func waitsIn(info *types.Info, root inspector.Cursor) bool {
	w := false
	root.Inspect([]ast.Node{(*ast.GoStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil), (*ast.CallExpr)(nil)}, func(cur inspector.Cursor) bool {
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			return false // the goroutine's own waits are not the handler's
		case *ast.UnaryExpr:
			w = w || n.Op == token.ARROW
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil {
				_, isChan := types.Unalias(t).Underlying().(*types.Chan)
				w = w || isChan
			}
		case *ast.CallExpr:
			if fn := lint.Callee(info, n); fn != nil && fn.Name() == "Wait" && fn.Signature().Recv() != nil {
				w = true
			}
		}
		return !w
	})
	return w
}
