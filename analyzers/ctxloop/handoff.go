package ctxloop

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A hand-off is a wait outside any loop: a send, in handler scope and
// outside a select, on a channel held in a struct field that the package
// makes only unbuffered and that no loop of the package receives from. The
// send waits for a receiver that comes once, if at all (a test that gave up
// on its own deadline, grpc-go#8911: the fake ORCA service's hand-off of
// each request); nothing wakes it when the RPC ends.
//
// Silent: a field made with a buffer anywhere, or whose making is out of
// sight (the package cannot tell whether the send waits); one a worker
// serves (see fieldChans: the send waits for it to finish its current
// item, not for good); a local channel (the handler's
// own goroutines, judged at their loops); a send in a loop (the loop rules
// judge it).

// fieldChans indexes the channel fields of a package: how they are made,
// whether they are sent on, and whether a worker serves them. Built by one
// walk, on first use.
//
// A field is served when a loop receives from it that runs outside any
// RPC's scope (not in a handler, nor in a function a handler's goroutine
// runs: a worker a constructor or Start method starts, for the process's
// life) and that has no way out but the channel's end (for r := range
// s.q, for { r := <-s.q; ... }): a send on it waits for that worker's
// backlog, never for good (seaweedfs's volumeGrowthRequestChan, class A1 of
// the tuning triage). A receiver that can return (a case on a quit
// channel), or one the RPC starts (etcd's sendLoop, which leaves when the
// stream ends), serves nobody for sure.
type fieldChans struct {
	unbuffered, buffered, served, sent map[*types.Var]bool
	// until maps a field to the fields that the function of a worker
	// loop receiving from it, outside any RPC's scope, closes (defer
	// close(s.closeCh)): the worker serves the field until it returns,
	// and then the signal wakes whoever waits on it. A send on the field
	// in a select with a case on such a signal waits for the worker's
	// backlog only (gobgp's mgmtOperation: case s.mgmtCh <- op: ... case
	// <-s.closeCh:, with Serve's event loop closing closeCh as it ends).
	until map[*types.Var]map[*types.Var]bool
}

// wakesWith reports whether a send on field f is woken by a select case
// receiving from one of the fields in recvs (see until).
func (fc *fieldChans) wakesWith(f *types.Var, recvs []*types.Var) bool {
	for _, g := range recvs {
		if fc.until[f][g] {
			return true
		}
	}
	return false
}

func newFieldChans(info *types.Info, in *inspector.Inspector, rpc func(fn ast.Node) bool) *fieldChans {
	defer lint.Aside()() // the package's index, not the asking function's work
	fc := &fieldChans{unbuffered: make(map[*types.Var]bool), buffered: make(map[*types.Var]bool),
		served: make(map[*types.Var]bool), sent: make(map[*types.Var]bool),
		until: make(map[*types.Var]map[*types.Var]bool)}
	closes := make(map[ast.Node][]*types.Var) // by worker function: the fields it closes
	closedBy := func(fn ast.Node) []*types.Var {
		if cs, ok := closes[fn]; ok {
			return cs
		}
		var cs []*types.Var
		ast.Inspect(fn, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if ch := closeArg(info, call); ch != nil {
					if g := fieldOf(info, ch); g != nil {
						cs = append(cs, g)
					}
				}
			}
			return true
		})
		closes[fn] = cs
		return cs
	}
	signals := func(f *types.Var, cur inspector.Cursor) {
		loop, found := enclosingLoop(cur)
		if !found {
			return
		}
		fn := lint.EnclosingFuncOf(loop)
		if fn == nil || rpc(fn) {
			return
		}
		for _, g := range closedBy(fn) {
			if fc.until[f] == nil {
				fc.until[f] = make(map[*types.Var]bool)
			}
			fc.until[f][g] = true
		}
	}
	serves := func(cur inspector.Cursor, ok *types.Var) bool {
		loop, found := enclosingLoop(cur)
		if !found {
			return false
		}
		fn := lint.EnclosingFuncOf(loop)
		return fn != nil && !rpc(fn) && endsOnlyOnClose(info, loop, ok)
	}
	made := func(f *types.Var, rhs ast.Expr) {
		if f == nil || !isMake(info, rhs) {
			return
		}
		if madeBuffered(info, rhs) {
			fc.buffered[f] = true
		} else {
			fc.unbuffered[f] = true
		}
	}
	for cur := range in.Root().Preorder((*ast.KeyValueExpr)(nil), (*ast.AssignStmt)(nil), (*ast.UnaryExpr)(nil),
		(*ast.RangeStmt)(nil), (*ast.SendStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.SendStmt:
			if f := fieldOf(info, n.Chan); f != nil {
				fc.sent[f] = true
			}
		case *ast.KeyValueExpr: // reqCh: make(chan T)
			if id, ok := n.Key.(*ast.Ident); ok {
				if f, ok := info.Uses[id].(*types.Var); ok && f.IsField() {
					made(f.Origin(), n.Value)
				}
			}
		case *ast.AssignStmt: // s.reqCh = make(chan T)
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					made(fieldOf(info, l), n.Rhs[i])
				}
			}
		case *ast.UnaryExpr:
			if f := fieldOf(info, n.X); f != nil && n.Op == token.ARROW {
				if serves(cur, recvOK(info, cur)) {
					fc.served[f] = true
				}
				signals(f, cur)
			}
		case *ast.RangeStmt:
			if f := fieldOf(info, n.X); f != nil {
				if body, ok := cur.FindNode(n.Body); ok && serves(body, nil) {
					fc.served[f] = true
				}
			}
		}
	}
	return fc
}

// recvOK returns ok in v, ok := <-ch, the receive at cur.
func recvOK(info *types.Info, cur inspector.Cursor) *types.Var {
	as, isAssign := cur.Parent().Node().(*ast.AssignStmt)
	if !isAssign || len(as.Lhs) != 2 || len(as.Rhs) != 1 || as.Rhs[0] != cur.Node() {
		return nil
	}
	id, _ := as.Lhs[1].(*ast.Ident)
	if id == nil {
		return nil
	}
	v, _ := info.ObjectOf(id).(*types.Var)
	return v
}

// endsOnlyOnClose reports whether nothing in the loop at cur leaves it but
// a test of ok, the receive's report of the channel's end (if !ok {
// break }): no return, panic, goto or break out of it elsewhere.
func endsOnlyOnClose(info *types.Info, cur inspector.Cursor, ok *types.Var) bool {
	loop := cur.Node()
	leaves := false
	cur.Inspect(nil, func(c inspector.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if u, isNot := ast.Unparen(n.Cond).(*ast.UnaryExpr); ok != nil && isNot && u.Op == token.NOT && mentions(info, u.X, ok) {
				return false // the channel's end
			}
		case *ast.ReturnStmt:
			leaves = true
		case *ast.CallExpr:
			if id, isID := ast.Unparen(n.Fun).(*ast.Ident); isID && id.Name == "panic" {
				leaves = true
			}
		case *ast.BranchStmt:
			leaves = leaves || n.Tok == token.GOTO || n.Tok == token.BREAK && breaksOut(c, n, loop)
		}
		return !leaves
	})
	return !leaves
}

// inLoop reports whether cur lies in the body of a loop of its function.
func inLoop(cur inspector.Cursor) bool {
	_, ok := enclosingLoop(cur)
	return ok
}

// enclosingLoop returns the innermost loop of cur's function around cur.
func enclosingLoop(cur inspector.Cursor) (inspector.Cursor, bool) {
	for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return c, true
		case *ast.FuncDecl, *ast.FuncLit:
			return inspector.Cursor{}, false
		}
	}
	return inspector.Cursor{}, false
}

// lazyFields builds a package's fieldChans on first use.
type lazyFields struct {
	info *types.Info
	in   *inspector.Inspector
	rpc  func(fn ast.Node) bool // fn runs for an RPC: in handler scope, or spawned by a handler
	fc   *fieldChans
}

func (l *lazyFields) get() *fieldChans {
	if l.fc == nil {
		l.fc = newFieldChans(l.info, l.in, l.rpc)
	}
	return l.fc
}

// reportHandoffs reports the hand-offs in handler scope.
func (c *checker) reportHandoffs(pass *analysis.Pass, m *grpcctx.Model, sc *scopes, fields *lazyFields) {
	for cur := range m.Inspector().Root().Preorder((*ast.SendStmt)(nil)) {
		send := cur.Node().(*ast.SendStmt)
		lint.Enter(pass, send)
		f := fieldOf(pass.TypesInfo, send.Chan)
		if f == nil || isComm(cur) || inLoop(cur) {
			continue
		}
		h := sc.requestScope(cur)
		if h == nil {
			continue
		}
		fc := fields.get()
		if !fc.unbuffered[f] || fc.buffered[f] || fc.served[f] {
			continue
		}
		l := loopFinding{cur: cur, fn: lint.EnclosingFuncOf(cur), h: h}
		c.reportWait(pass, m, l, wait{at: send, what: "send on " + types.ExprString(send.Chan)})
	}
	lint.Leave(pass)
}
