package ctxloop

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// Calls of functions that block: a loop in handler scope that calls a
// function which can block at a point that wakes on no context blocks
// there too, whatever it observes elsewhere (a Recv whose error leaves the
// loop, a context passed to the call).
//
// A function blocks (the blocks fact) when its body, outside function
// literals, go and defer statements, holds one of these, or calls a
// function that blocks on every path (not in a branch of an if, switch or
// select: the caller's arguments often choose the branch):
//   - a send, outside a select, on a channel in an unexported field of one
//     of the package's types that no worker serves (see fieldChans): no
//     one is always there to take it;
//   - a receive, outside a select, from such a channel that the package
//     sends on and makes only unbuffered: it waits for the next value (a
//     watcher's Next), where a buffered one is as often a semaphore's
//     release, and one never sent on is a signal closed once (a ready
//     gate, a worker's done: waiting for work in progress, as
//     WaitGroup.Wait does);
//   - a select without default whose every case is a send or receive on
//     such channels, one of them a send or a channel the package sends on:
//     a case on any context's Done(), a timer, a parameter or local channel,
//     or a channel a call returns wakes it (when unsure, stay silent).
//
// Facts are computed for the module under analysis, as blindLoop's are;
// one walk of each function's body, stopping at the first point, and a
// fixed point over the calls made directly in the bodies.

// blocks is the fact of a function that can block at a point that does not
// wake on any context.
type blocks struct {
	What string        // "send on q.items", "select on w.events and w.quit"
	Func string        // the function holding the point
	At   lint.Location // the point
}

func (*blocks) AFact() {}

func (f *blocks) String() string {
	return fmt.Sprintf("blocks(%s in %s at %s)", f.What, f.Func, f.At)
}

// maxWhat caps the size of a fact's description: it names one channel
// expression, which source code can make arbitrarily long.
const maxWhat = 80

func capWhat(s string) string {
	if len(s) > maxWhat {
		return s[:maxWhat-3] + "..."
	}
	return s
}

// blockingFinder finds the blocking points of a package's functions.
type blockingFinder struct {
	pass   *analysis.Pass
	fc     *fieldChans
	body   ast.Node            // the function body point is judging
	handed map[*types.Var]bool // of body, on first use: see handedVars
}

// findBlocking computes and exports the blocks facts of the package's
// function declarations (handlers excluded: they are judged on their own),
// and returns the lookup of a call's fact.
func findBlocking(pass *analysis.Pass, m *grpcctx.Model, withFacts bool, fields *lazyFields) func(*ast.CallExpr) *blocks {
	facts := lint.NewFactTable[blocks](pass)
	byCall := func(call *ast.CallExpr) *blocks {
		callee := typeutil.StaticCallee(pass.TypesInfo, call)
		if callee == nil || callee.Pkg() == nil {
			return nil
		}
		f, _ := facts.Lookup(callee.Origin())
		return f
	}
	if !withFacts {
		return byCall
	}
	b := &blockingFinder{pass: pass, fc: fields.get()}
	type callSite struct {
		fn     *types.Func
		callee *types.Func
	}
	var calls []callSite
	for cur := range m.Inspector().Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		lint.Enter(pass, decl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil || m.HandlerOf(decl) != nil {
			continue
		}
		body, ok := cur.FindNode(decl.Body)
		if !ok {
			continue
		}
		if f := b.point(body, func(call *ast.CallExpr) {
			if callee := typeutil.StaticCallee(pass.TypesInfo, call); callee != nil && callee.Pkg() != nil {
				calls = append(calls, callSite{fn, callee.Origin()})
			}
		}); f != nil {
			f.Func = fn.Name()
			facts.Add(fn, f)
		}
	}
	lint.Leave(pass)
	lint.Propagate(calls, func(cs callSite) bool {
		if _, ok := facts.Local(cs.fn); ok {
			return false
		}
		f, ok := facts.Lookup(cs.callee)
		return ok && facts.Add(cs.fn, f)
	})
	facts.Export()
	return byCall
}

// point returns the first blocking point of the body at cur, calling
// onCall with every call made directly in it.
func (b *blockingFinder) point(cur inspector.Cursor, onCall func(*ast.CallExpr)) *blocks {
	var found *blocks
	b.body, b.handed = cur.Node(), nil // handedVars on first use
	at := func(n ast.Node, what string) {
		found = &blocks{What: capWhat(what), At: lint.LocationOf(b.pass.Fset, n.Pos())}
	}
	cur.Inspect(nil, func(c inspector.Cursor) bool {
		if found != nil {
			return false
		}
		switch n := c.Node().(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.SelectStmt:
			if on, ok := b.selectBlocks(n); ok {
				at(n, "select on "+on)
			}
		case *ast.SendStmt:
			if !isComm(c) && b.sendBlocks(n.Chan) {
				at(n, "send on "+types.ExprString(n.Chan))
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !isComm(c) && b.recvBlocks(n.X) {
				at(n, "receive from "+types.ExprString(n.X))
			}
		case *ast.RangeStmt:
			if b.recvBlocks(n.X) {
				at(n.X, "receive from "+types.ExprString(n.X))
			}
		case *ast.CallExpr:
			if !conditional(c, cur) {
				onCall(n)
			}
		}
		return true
	})
	return found
}

// conditional reports whether the code at c runs only on some paths
// through body: in a branch of an if, switch or select. The fact passes
// through calls made on every path only: a caller's arguments often choose
// the branch (ConfirmAdjustment(a) calls the function that blocks only when
// !a.isAssign), and a fact that ignores them would name a wait the call
// never reaches. Loops count as every path.
func conditional(c, body inspector.Cursor) bool {
	for p := c.Parent(); p.Node() != nil && p.Node() != body.Node(); p = p.Parent() {
		switch p.Node().(type) {
		case *ast.IfStmt, *ast.CaseClause, *ast.CommClause:
			return true
		}
	}
	return false
}

// sharedChan returns the field ch selects when it is an unexported field
// of one of this package's types, whose every use the package shows.
// Package variables are left out: their making is not indexed.
func (b *blockingFinder) sharedChan(ch ast.Expr) *types.Var {
	info := b.pass.TypesInfo
	t, ok := typeOf(info, ch).Underlying().(*types.Chan)
	if !ok || isTime(t.Elem()) {
		return nil // not a channel, or a timer's: it ends by itself
	}
	if f := fieldOf(info, ch); f != nil && f.Pkg() == b.pass.Pkg && !f.Exported() {
		return f
	}
	return nil
}

func (b *blockingFinder) sendBlocks(ch ast.Expr) bool {
	v := b.sharedChan(ch)
	return v != nil && !b.fc.served[v] && !b.fc.outOfView(v) && !b.reply(ch)
}

// reply reports whether ch is the channel of a request handed over to the
// function (op.errCh <- op.f(), op received from a queue): the
// requester's, as for waitFinder.sendWakes.
func (b *blockingFinder) reply(ch ast.Expr) bool {
	sel, ok := ast.Unparen(ch).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if b.handed == nil {
		b.handed = handedVars(b.pass.TypesInfo, b.body)
	}
	return b.handed[channelVar(b.pass.TypesInfo, sel.X)]
}

// recvBlocks: a receive from a queue the package makes unbuffered. A
// channel the package never sends on is a signal that is closed once (a
// ready gate, a worker's done): waiting for it is waiting for work in
// progress, as WaitGroup.Wait is.
func (b *blockingFinder) recvBlocks(ch ast.Expr) bool {
	v := b.sharedChan(ch)
	return v != nil && b.fc.sent[v] && b.fc.unbuffered[v] && !b.fc.buffered[v]
}

// selectBlocks reports whether a select has no default and no case that
// may wake, naming what its cases wait on.
func (b *blockingFinder) selectBlocks(sel *ast.SelectStmt) (string, bool) {
	var on []string
	queue := false // some case is a send, or receives from a channel the package sends on
	recvs := recvFields(b.pass.TypesInfo, sel)
	for _, cc := range sel.Body.List {
		switch comm := cc.(*ast.CommClause).Comm.(type) {
		case nil:
			return "", false
		case *ast.SendStmt:
			if !b.sendBlocks(comm.Chan) || b.fc.wakesWith(fieldOf(b.pass.TypesInfo, comm.Chan), recvs) {
				return "", false
			}
			queue = true
			on = append(on, types.ExprString(comm.Chan))
		default:
			ch := recvChan(comm)
			v := (*types.Var)(nil)
			if ch != nil {
				v = b.sharedChan(ch)
			}
			if v == nil {
				return "", false // Done(), a timer, a local or parameter channel: may wake
			}
			queue = queue || b.fc.sent[v]
			on = append(on, types.ExprString(ch))
		}
	}
	if len(on) == 0 || !queue {
		return "", false // select {}: blocks for good, on purpose; or signals only, closed once
	}
	return describeWait(wait{sel: sel, on: on})[len("select on "):], true
}

// recvFields returns the struct fields whose channels the cases of sel
// receive from.
func recvFields(info *types.Info, sel *ast.SelectStmt) []*types.Var {
	var out []*types.Var
	for _, cc := range sel.Body.List {
		if _, isSend := cc.(*ast.CommClause).Comm.(*ast.SendStmt); isSend {
			continue
		}
		if ch := recvChan(cc.(*ast.CommClause).Comm); ch != nil {
			if f := fieldOf(info, ch); f != nil {
				out = append(out, f)
			}
		}
	}
	return out
}
