package ctxloop

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// A loop in handler scope observes cancellation only if every point where
// it can block wakes when the request context ends. This file finds the
// points that do not.
//
// Blocking points: a select without a default clause, a channel send or
// receive outside a select (range over a channel included), time.Sleep.
// sync.Cond.Wait and sync.WaitGroup.Wait are not: they wait for work in
// progress (another goroutine's critical section, the handler's own
// goroutines, each judged on its own), the way Mutex.Lock does.
//
// What wakes: a receive from Done() of a context that is not detached and
// not the server's (a field of the handler's receiver), or from a variable
// holding one; a receive from a local channel whose producers started in
// the handler observe cancellation or that the handler closes, from a
// channel returned by a call given the request context (what feeds it
// knows when the RPC ends), or from a channel parameter (its producers are
// out of sight); a send on a local channel that the handler drains with a
// range loop that never leaves early (the receiver is always there), or
// that the handler's own code makes rather than a goroutine it starts (the
// receivers are the handler's goroutines, judged at their loops).
//
// Bounded waits (time.Sleep, a receive from a timer, a select whose only
// other cases do not wake) end by themselves: they are reported only when
// the loop can come back to them without passing a point where it observes
// cancellation (tail -f: sleep on EOF and read again, never reaching the
// Send whose error would end the loop). That question is answered on the
// function's control-flow graph, built only for such loops.

// A wait is a blocking point that does not wake when the RPC ends.
type wait struct {
	at      ast.Node        // the select, send statement, receive, or time.Sleep call
	what    string          // "select", "send on reqCh", ...
	on      []string        // for a select: what its cases wait on
	bounded bool            // ends by itself (a sleep, a timer)
	sel     *ast.SelectStmt // the select, for the fix
	calls   *blocks         // a call of a function that blocks: where it does
}

// waitFinder finds the waits of loops in one handler's scope.
type waitFinder struct {
	info     *types.Info
	m        *grpcctx.Model
	s        *scanner // in the handler's scope
	fn       ast.Node // the function around the loop
	root     ast.Node // the handler's function: where producers are looked for
	drained  map[*types.Var]bool
	buffered map[*types.Var]bool       // made with room for at least one value
	made     map[*types.Var]bool       // made in the handler, with or without a buffer
	fed      map[*types.Var]bool       // returned by or passed to a call given the request context
	carriers map[*types.Var]bool       // a struct passed to a call given the request context: its channel fields are fed
	handed   map[*types.Var]bool       // a value handed over from elsewhere: received, or type-asserted
	capLen   map[*types.Var]string     // made with a buffer of len(X): X, as written
	perElem  map[*types.Var]string     // sent on only once per element of a range over X: X ("" if some send is not)
	sent     map[*types.Var]int        // sends on it in the handler's function, literals included
	alias    map[*types.Var]*types.Var // a spawned function's parameters -> the handler's variables
	capOne   map[*types.Var]bool       // made only with a constant buffer of one or more
	escapes  map[*types.Var]bool       // used but to send (each followed by its close), receive, close, range or measure

	goroutine bool // the loop at hand runs in a goroutine the handler starts

	// blocking returns the blocks fact of a call's callee, if it has one
	// and no blindLoop fact (a call reported as a blind helper already).
	blocking func(*ast.CallExpr) *blocks
	fields   *lazyFields
}

// newSpawnFinder prepares the search in a function that a goroutine of
// sp.h runs: the handler's channels, seen through the function's
// parameters, with liveness judged in the function's own terms.
func newSpawnFinder(s *scanner, sp *spawn, base *waitFinder) *waitFinder {
	w := *base // the handler's maps, walked once per handler
	w.s, w.alias = s.in(sp.self), sp.alias
	return &w
}

// local returns the variable ch names, seen from the handler: a spawned
// function's parameter stands for what the handler passed.
func (w *waitFinder) local(ch ast.Expr) *types.Var {
	v := channelVar(w.info, ch)
	if a := w.alias[v]; a != nil {
		return a
	}
	return v
}

// newWaitFinder prepares the search in the scope of h for loops in fn.
func newWaitFinder(info *types.Info, m *grpcctx.Model, s *scanner, h *grpcctx.Handler, fn ast.Node) *waitFinder {
	w := &waitFinder{info: info, m: m, s: s.in(h), fn: fn, root: h.Func, drained: make(map[*types.Var]bool),
		buffered: make(map[*types.Var]bool), made: make(map[*types.Var]bool),
		fed: make(map[*types.Var]bool), carriers: make(map[*types.Var]bool), handed: handedVars(info, h.Func),
		capLen: make(map[*types.Var]string), perElem: make(map[*types.Var]string), sent: make(map[*types.Var]int),
		capOne: make(map[*types.Var]bool), escapes: make(map[*types.Var]bool)}
	// Channels the handler's code drains: for x := range ch with no way
	// out of the loop but the end of the channel.
	// Channels made with a buffer: ch := make(chan T, n), n > 0.
	if cur, ok := m.Cursor(h.Func); ok {
		for c := range cur.Preorder((*ast.RangeStmt)(nil), (*ast.AssignStmt)(nil), (*ast.CallExpr)(nil), (*ast.SendStmt)(nil), (*ast.Ident)(nil)) {
			switch n := c.Node().(type) {
			case *ast.Ident:
				if v, ok := info.ObjectOf(n).(*types.Var); ok && isChan(v.Type()) && !plainUse(info, c) {
					w.escapes[v] = true
				}
			case *ast.SendStmt:
				if v := channelVar(info, n.Chan); v != nil {
					if !closedNext(info, c, v) {
						w.escapes[v] = true
					}
					w.sent[v]++
					x, ok := w.perElem[v]
					if e := onceEach(c); !ok {
						w.perElem[v] = e
					} else if x != e {
						w.perElem[v] = ""
					}
				}
			case *ast.CallExpr:
				// c.solver.Status(ctx, ref, ch): the callee, given the
				// request context, feeds ch and knows when the RPC ends
				// (buildkit's Status, run by an errgroup's Go).
				if w.s.givenRPC(n) {
					for _, a := range n.Args {
						if v := channelVar(info, a); v != nil && isChan(v.Type()) {
							w.fed[v] = true
						} else if v := carrierVar(info, a); v != nil {
							// Plan(ctx, &req, &resp), resp a struct
							// of channels: the callee feeds them and
							// ends them with the context
							// (hashicorp/terraform's stackruntime).
							w.carriers[v] = true
						}
					}
				}
			case *ast.RangeStmt:
				if v := channelVar(info, n.X); v != nil && isChan(v.Type()) && !exits(c, n.Body, n) {
					w.drained[v] = true
				}
			case *ast.AssignStmt:
				if len(n.Lhs) != len(n.Rhs) && len(n.Rhs) != 1 {
					continue
				}
				if len(n.Rhs) == 1 && len(n.Lhs) > 1 {
					w.noteFed(n.Lhs, n.Rhs[0]) // eventq, errq := events.Subscribe(ctx)
					continue
				}
				for i, rhs := range n.Rhs {
					w.noteFed(n.Lhs[i:i+1], rhs)
					id, ok := n.Lhs[i].(*ast.Ident)
					if !ok || !isMake(info, rhs) {
						continue
					}
					if v, ok := info.ObjectOf(id).(*types.Var); ok {
						one := constBuffered(info, rhs)
						w.capOne[v] = one && (!w.made[v] || w.capOne[v])
						w.made[v] = true
						w.buffered[v] = w.buffered[v] || madeBuffered(info, rhs)
						if x := lenCap(info, rhs); x != "" {
							w.capLen[v] = x
						}
					}
				}
			}
		}
	}
	held := w.s.producerIndexOf(h.Func).held // the same walk's, kept by the scanner
	for v := range w.carriers {
		for _, ch := range held[v] {
			w.fed[ch] = true
		}
	}
	return w
}

// carrierVar returns the local variable of struct type (or pointer to
// struct) that e names or takes the address of: v or &v.
func carrierVar(info *types.Info, e ast.Expr) *types.Var {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	v := channelVar(info, e)
	if v == nil {
		return nil
	}
	t := v.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if _, ok := t.Underlying().(*types.Struct); !ok {
		return nil
	}
	return v
}

// noteHeld records in held the channels that the assignment lhs = rhs
// puts in a struct variable, or takes out of one: resp := T{F: ch}
// (resp holds ch), ch := resp.F (ch is resp's).
func noteHeld(info *types.Info, held map[*types.Var][]*types.Var, lhs, rhs ast.Expr) {
	id, ok := lhs.(*ast.Ident)
	if !ok {
		return
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return
	}
	if chans := literalChans(info, rhs); len(chans) > 0 {
		held[v] = append(held[v], chans...)
	}
	if sel, ok := ast.Unparen(rhs).(*ast.SelectorExpr); ok && isChan(v.Type()) {
		if r := channelVar(info, sel.X); r != nil {
			held[r] = append(held[r], v)
		}
	}
}

// literalChans returns the local channel variables that the struct
// literal e (T{F: ch} or &T{F: ch}) holds in its fields.
func literalChans(info *types.Info, e ast.Expr) []*types.Var {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok {
		return nil
	}
	if _, ok := typeOf(info, lit).Underlying().(*types.Struct); !ok {
		return nil
	}
	var chans []*types.Var
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		if v := channelVar(info, el); v != nil && isChan(v.Type()) {
			chans = append(chans, v)
		}
	}
	return chans
}

// waits returns the blocking points of the loop at cur that do not wake,
// outside function literals (a goroutine started in the loop is judged on
// its own).
func (w *waitFinder) waits(cur inspector.Cursor) []wait {
	var out []wait
	cur.Inspect(nil, func(c inspector.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectStmt:
			if wt, ok := w.selectWait(n); ok {
				out = append(out, wt)
			}
		case *ast.SendStmt:
			if !isComm(c) && !w.sendWakes(n.Chan) && !w.lastSend(c, n) && !w.withinBuffer(c, n) && !w.sentOnce(n) {
				out = append(out, wait{at: n, what: "send on " + types.ExprString(n.Chan)})
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !isComm(c) {
				if wakes, bounded := w.recv(n.X); !wakes {
					out = append(out, wait{at: n, what: "receive from " + types.ExprString(n.X), bounded: bounded})
				}
			}
		case *ast.RangeStmt:
			if isChan(w.info.TypeOf(n.X)) {
				if wakes, bounded := w.recv(n.X); !wakes {
					out = append(out, wait{at: n.X, what: "receive from " + types.ExprString(n.X), bounded: bounded})
				}
			}
		case *ast.CallExpr:
			if lint.IsFunc(lint.Callee(w.info, n), "time", "Sleep") {
				out = append(out, wait{at: n, what: "time.Sleep", bounded: true})
				break
			}
			switch c.Parent().Node().(type) {
			case *ast.GoStmt, *ast.DeferStmt:
				return true // runs elsewhere, or after the loop
			}
			if w.blocking == nil {
				break
			}
			if f := w.blocking(n); f != nil {
				out = append(out, wait{at: n, what: "call to " + types.ExprString(n.Fun), calls: f})
			}
		}
		return true
	})
	return out
}

// selectWait judges a select: without a default clause it blocks until
// one of its cases is ready; it wakes when one of them does.
func (w *waitFinder) selectWait(sel *ast.SelectStmt) (wait, bool) {
	wt := wait{at: sel, what: "select", sel: sel}
	var recvs []*types.Var // computed for the first send case
	for _, cc := range sel.Body.List {
		comm := cc.(*ast.CommClause).Comm
		var wakes, bounded bool
		var on string
		switch comm := comm.(type) {
		case nil:
			return wait{}, false // default: never blocks
		case *ast.SendStmt:
			wakes, on = w.sendWakes(comm.Chan), types.ExprString(comm.Chan)
			if !wakes && w.fields != nil {
				if recvs == nil {
					recvs = recvFields(w.info, sel)
				}
				wakes = w.fields.get().wakesWith(fieldOf(w.info, comm.Chan), recvs) // see fieldChans.until
			}
		case *ast.ExprStmt:
			wakes, bounded, on = w.recvComm(comm.X)
		case *ast.AssignStmt:
			if len(comm.Rhs) == 1 {
				wakes, bounded, on = w.recvComm(comm.Rhs[0])
			}
		}
		if wakes {
			return wait{}, false
		}
		wt.bounded = wt.bounded || bounded
		if !bounded && on != "" {
			wt.on = append(wt.on, on)
		}
	}
	return wt, true
}

func (w *waitFinder) recvComm(e ast.Expr) (wakes, bounded bool, on string) {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return true, false, "" // unknown: when unsure, stay silent
	}
	wakes, bounded = w.recv(u.X)
	return wakes, bounded, types.ExprString(u.X)
}

// recv judges a receive from ch: whether it wakes when the request ends,
// and whether it ends by itself (a timer's channel).
func (w *waitFinder) recv(ch ast.Expr) (wakes, bounded bool) {
	ch = ast.Unparen(ch)
	if t, ok := typeOf(w.info, ch).Underlying().(*types.Chan); ok && isTime(t.Elem()) {
		return false, true // time.After, a Timer's or Ticker's C
	}
	if f := w.s.chanField(ch); f != nil && w.s.closedIn(f, w.root) {
		// A channel the handler closes (closec in etcd#18739's fix), or a
		// goroutine it starts that observes cancellation does, through
		// the field or an accessor (con.ErrorCh()).
		return true, false
	}
	if call, ok := ch.(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && grpcctx.IsContextLike(w.info.TypeOf(sel.X)) {
			return w.s.live(sel.X), false
		}
		// range registry.ReadChannel(clientStream): the callee, given the
		// request context or a stream, feeds the channel and ends it
		// with them, as when its result is assigned first (noteFed).
		return w.s.givenRPC(call), false
	}
	if sel, ok := ch.(*ast.SelectorExpr); ok && w.carriers[w.local(sel.X)] {
		return true, false // resp.Changes, resp passed to a call given the request context
	}
	if v := w.local(ch); v != nil {
		switch {
		case w.m.IsDoneChannel(v):
			return true, false
		case v.Kind() == types.ParamVar:
			return true, false // fed by the caller: its producers are not in sight
		case w.fed[v]:
			return true, false
		case v.Parent() != v.Pkg().Scope():
			return w.s.producersObserveIn([]*types.Var{v}, w.root), false
		}
	}
	return false, false
}

// sendWakes reports whether a send on ch is not the RPC's to wake: the
// handler drains the channel, or the send is in the handler's own code (not
// in a goroutine it starts) on a local channel, whose receivers are the
// handler's own goroutines, judged at their loops. A goroutine's send on a
// channel nobody drains can outlive the handler (go-control-plane#430). A
// send on a field's channel that a process-lifetime worker serves waits
// for that worker's backlog only (fieldChans).
func (w *waitFinder) sendWakes(ch ast.Expr) bool {
	if f := fieldOf(w.info, ch); f != nil && w.fields != nil {
		if fc := w.fields.get(); fc.served[f] || fc.outOfView(f) {
			return true
		}
	}
	if sel, ok := ast.Unparen(ch).(*ast.SelectorExpr); ok && w.handed[w.local(sel.X)] {
		// se.reply <- err on a request handed over from elsewhere: the
		// reply channel is the requester's, made where the request was,
		// with room for its one reply or a receiver that waits for it;
		// neither side of that exchange is in view here.
		return true
	}
	v := w.local(ch)
	return v != nil && v.Parent() != v.Pkg().Scope() && (w.drained[v] || !w.goroutine)
}

// handedOver reports whether e yields a value handed over by other code:
// a receive from a channel, or a type assertion (a request dequeued as an
// interface value).
func handedOver(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		return e.Op == token.ARROW
	case *ast.TypeAssertExpr:
		return e.Type != nil
	}
	return false
}

// handedVars returns the variables of the function body at root (function
// literals included) that hold a value handed over (handedOver), or a
// range's key over a channel.
func handedVars(info *types.Info, root ast.Node) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	note := func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); ok {
			if v, ok := info.ObjectOf(id).(*types.Var); ok {
				out[v] = true
			}
		}
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.RangeStmt:
			if isChan(typeOf(info, n.X)) {
				note(n.Key)
			}
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && handedOver(n.Rhs[0]) {
				note(n.Lhs[0])
			}
		}
		return true
	})
	return out
}

// noteFed records the channels that a call given the request context (or
// the stream) returns: whatever feeds them knows when the RPC ends (an
// event exchange's Subscribe(ctx) ends its error channel on cancellation).
func (w *waitFinder) noteFed(lhs []ast.Expr, rhs ast.Expr) {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok || !w.s.givenRPC(call) {
		return
	}
	for _, l := range lhs {
		if id, ok := l.(*ast.Ident); ok {
			if v, ok := w.info.ObjectOf(id).(*types.Var); ok && isChan(v.Type()) {
				w.fed[v] = true
			}
		}
	}
}

// givenRPC reports whether call is given the request context (or one
// derived from it, to a callee that does more than read its values) or the
// stream.
func (s *scanner) givenRPC(call *ast.CallExpr) bool {
	for _, use := range grpcctx.ContextArgs(s.info, call) {
		if s.live(use.Arg) && !s.m.ReadsOnlyValues(use.Fn) {
			return true
		}
	}
	for _, a := range call.Args {
		if grpcctx.IsStreamLike(s.info.TypeOf(a)) {
			return true
		}
	}
	return false
}

// lastSend reports whether the send at c is the last thing the loop does
// (what runs after it returns or breaks out) on a channel that may have
// room for it: a local channel made with a buffer, or one whose making the
// analyzer cannot see (a field, a parameter). errCh <- err; return hands
// over a final result, and so does a send at the end of an if's or a
// case's body that the statement after the if, switch or select leaves by
// (case err := <-errs: if !ignorable(err) { errCh <- err }; return: one
// result per worker, on a channel made with room for every worker); only
// on a local unbuffered channel is it known to wait for a receiver that
// may be gone.
func (w *waitFinder) lastSend(c inspector.Cursor, send *ast.SendStmt) bool {
	if v := w.local(send.Chan); v != nil && !w.buffered[v] && w.made[v] {
		return false
	}
	for {
		if next, ok := c.NextSibling(); ok {
			switch n := next.Node().(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				return n.Tok == token.BREAK
			}
			return false
		}
		// c ends its block: what runs next follows the if, switch or
		// select the block belongs to; the end of the loop's body (or
		// of anything else) goes round again.
		p := c.Parent()
		switch p.Node().(type) {
		case *ast.IfStmt: // c is an else if
			c = p
		case *ast.BlockStmt:
			switch p.Parent().Node().(type) {
			case *ast.IfStmt:
				c = p.Parent()
			case *ast.BlockStmt:
				c = p // a block statement
			default:
				return false
			}
		case *ast.CaseClause, *ast.CommClause:
			c = p.Parent().Parent() // the switch or select statement
		default:
			return false
		}
	}
}

// isMake reports whether e is make(chan T) or make(chan T, n).
func isMake(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || !isChan(info.TypeOf(call)) {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "make"
}

// madeBuffered reports whether e is make(chan T, n) with n other than a
// constant 0.
func madeBuffered(info *types.Info, e ast.Expr) bool {
	call := ast.Unparen(e).(*ast.CallExpr)
	if len(call.Args) != 2 {
		return false
	}
	tv := info.Types[call.Args[1]]
	return tv.Value == nil || tv.Value.String() != "0"
}

// typeOf is info.TypeOf, never nil (code with type errors).
func typeOf(info *types.Info, e ast.Expr) types.Type {
	if t := info.TypeOf(e); t != nil {
		return t
	}
	return types.Typ[types.Invalid]
}

func isTime(t types.Type) bool { return lint.IsNamed(t, "time", "Time") }

// isComm reports whether the send or receive at c is the communication of
// a select case (the select is judged as a whole).
func isComm(c inspector.Cursor) bool {
	p := c.Parent()
	switch p.Node().(type) {
	case *ast.ExprStmt, *ast.AssignStmt:
		if _, ok := c.Node().(*ast.UnaryExpr); ok {
			c, p = p, p.Parent()
		}
	}
	cc, ok := p.Node().(*ast.CommClause)
	return ok && cc.Comm == c.Node()
}

// comesBack returns the bounded waits of loop that the loop can reach
// again without passing a point in wakes: a cycle through the loop's head
// and the wait, within the loop, that avoids every block holding such a
// point. fn's graph is built by the caller once per function; each query
// walks the loop's blocks twice.
func comesBack(g *cfg.CFG, loop ast.Stmt, bounded []wait, wakes []ast.Node) []wait {
	if g == nil || len(bounded) == 0 {
		return nil
	}
	in := func(b *cfg.Block) bool {
		if b.Stmt == nil || b.Stmt.Pos() < loop.Pos() || b.Stmt.End() > loop.End() {
			return false
		}
		return b.Stmt != loop || b.Kind != cfg.KindForDone && b.Kind != cfg.KindRangeDone
	}
	isWake := make(map[ast.Node]bool, len(wakes))
	for _, n := range wakes {
		isWake[n] = true
	}
	var head *cfg.Block
	woken := make(map[*cfg.Block]bool)
	where := make(map[int]*cfg.Block) // index in bounded -> its block
	for _, b := range g.Blocks {
		if !in(b) {
			continue
		}
		// The loop's head: its condition's block, or without a
		// condition the first block of its body.
		if b.Stmt == loop && (b.Kind == cfg.KindForLoop || b.Kind == cfg.KindRangeLoop || b.Kind == cfg.KindForBody && head == nil) {
			head = b
		}
		for _, n := range b.Nodes {
			for i, wt := range bounded {
				if n.Pos() <= wt.at.Pos() && wt.at.End() <= n.End() && where[i] == nil {
					where[i] = b
				}
			}
			ast.Inspect(n, func(x ast.Node) bool {
				if isWake[x] {
					woken[b] = true
				}
				return !woken[b]
			})
		}
	}
	if head == nil || woken[head] {
		return nil
	}
	reach := func(from *cfg.Block) map[*cfg.Block]bool {
		seen := map[*cfg.Block]bool{}
		stack := []*cfg.Block{from}
		for len(stack) > 0 {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, s := range b.Succs {
				if !seen[s] && in(s) && !woken[s] {
					seen[s] = true
					stack = append(stack, s)
				}
			}
		}
		return seen
	}
	fromHead := reach(head)
	var out []wait
	for i, wt := range bounded {
		b := where[i]
		if b == nil || woken[b] || !fromHead[b] && b != head {
			continue
		}
		if reach(b)[head] {
			out = append(out, wt)
		}
	}
	return out
}

// describeWait renders what a wait waits on, for messages.
func describeWait(wt wait) string {
	if wt.sel == nil {
		return wt.what
	}
	on := wt.on
	if wt.bounded {
		on = append([]string{"a timer"}, on...)
	}
	switch len(on) {
	case 0:
		return "select"
	case 1:
		return "select on " + on[0]
	}
	return "select on " + strings.Join(on[:len(on)-1], ", ") + " and " + on[len(on)-1]
}

// scopes resolves the handler whose scope a function is in: the model's
// scope; a function literal passed straight to (*sync.Once).Do in it (the
// model leaves such literals out, since their work is the server's, not
// the request's; but Do runs the literal in the calling handler, which
// waits for it, so a loop there is the handler's, while a goroutine the
// literal starts is the server's: looponce's lazily started refresher); and a
// stream function.
//
// A stream function is a function declaration that takes a gRPC server
// stream and no context (go-control-plane's StreamHandler(stream, typeURL),
// which the generated handler calls with its stream): it runs for the RPC
// whose stream it is given, and is judged as a handler of its own, with
// the stream's Context() as its request context. Function literals in it
// belong to it, as in a handler.
type scopes struct {
	info *types.Info
	m    *grpcctx.Model
	memo map[ast.Node]scoped
}

type scoped struct {
	h    *grpcctx.Handler
	once bool
}

func newScopes(info *types.Info, m *grpcctx.Model) *scopes {
	return &scopes{info: info, m: m, memo: make(map[ast.Node]scoped)}
}

// handlerOf returns fn's handler, and whether fn is in its scope through a
// literal run by sync.Once.Do.
func (sc *scopes) handlerOf(fn ast.Node) (h *grpcctx.Handler, once bool) {
	if h := sc.m.HandlerOf(fn); h != nil {
		return h, false
	}
	if r, ok := sc.memo[fn]; ok {
		return r.h, r.once
	}
	sc.memo[fn] = scoped{} // cycles cannot occur, but stay safe
	r := sc.resolve(fn)
	sc.memo[fn] = r
	return r.h, r.once
}

// requestScope returns the handler for which the code at cur runs: that of
// its enclosing function, unless the function runs under sync.Once (for
// the server).
func (sc *scopes) requestScope(cur inspector.Cursor) *grpcctx.Handler {
	fn := lint.EnclosingFuncOf(cur)
	if fn == nil {
		return nil
	}
	if h, once := sc.handlerOf(fn); !once && !sc.outlives(h, cur) {
		return h
	}
	return nil
}

// outlives reports whether the code at cur runs in a goroutine that the
// unary handler h starts and does not wait for (grpcctx's HandlerWaits):
// work meant to outlive the RPC (start a restore, answer, let the client
// poll its progress), whose request context gRPC cancels as the handler
// returns. Checking that context would abandon the work at once: its
// loops, waits and helpers are not the RPC's, and ctxloop does not judge
// them. A streaming handler's goroutines serve its stream and stay judged.
func (sc *scopes) outlives(h *grpcctx.Handler, cur inspector.Cursor) bool {
	return h != nil && h.Kind == grpcctx.Unary && lint.InGoStmt(cur, h.Func) && !sc.m.HandlerWaits(h)
}

func (sc *scopes) resolve(fn ast.Node) scoped {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		return scoped{h: sc.streamFunc(fn)}
	case *ast.FuncLit:
		cur, ok := sc.m.Cursor(fn)
		if !ok {
			return scoped{}
		}
		outer := lint.EnclosingFuncOf(cur)
		if outer == nil {
			return scoped{}
		}
		if call, ok := cur.Parent().Node().(*ast.CallExpr); ok {
			if f := lint.Callee(sc.info, call); f != nil && f.Pkg() != nil && f.Pkg().Path() == "sync" {
				if f.FullName() != "(*sync.Once).Do" {
					return scoped{} // OnceFunc and the like: run later, for the server
				}
				h, _ := sc.handlerOf(outer)
				return scoped{h: h, once: h != nil}
			}
		}
		if sc.m.HandlerOf(outer) != nil {
			return scoped{} // the model left it out of the handler's scope
		}
		h, once := sc.handlerOf(outer)
		if h != nil && h.Kind == grpcctx.ContextFunc {
			return scoped{h: h, once: once}
		}
	}
	return scoped{}
}

// streamFunc returns fn as a pseudo handler when it is a stream function.
func (sc *scopes) streamFunc(fn *ast.FuncDecl) *grpcctx.Handler {
	obj, ok := sc.info.Defs[fn.Name].(*types.Func)
	if !ok || fn.Body == nil {
		return nil
	}
	params := obj.Signature().Params()
	var stream *types.Var
	for i := 0; i < params.Len(); i++ {
		p := params.At(i)
		if grpcctx.IsContext(p.Type()) {
			return nil // a context function: ctxdetach's -ctx-funcs, not ctxloop
		}
		if grpcctx.IsTesting(p.Type()) {
			return nil // a test's helper: what it loops over is the test's, not an RPC's
		}
		if stream == nil && isServerStreamType(p.Type()) {
			stream = p
		}
	}
	// The stream gRPC hands a handler is an interface; a parameter of a
	// concrete type that has a stream's methods is a fake of the user's
	// (a test's buffering stream), and nothing it is given is an RPC.
	if stream == nil || !types.IsInterface(stream.Type()) {
		return nil
	}
	return &grpcctx.Handler{Kind: grpcctx.ContextFunc, Func: fn, Name: fn.Name.Name, Stream: stream}
}

// isServerStreamType reports whether t is a gRPC server stream: a stream
// (grpcctx.IsStreamLike) with the server side's SetTrailer.
func isServerStreamType(t types.Type) bool {
	if !grpcctx.IsStreamLike(t) {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "SetTrailer")
	_, ok := obj.(*types.Func)
	return ok
}

// maxGraphQueries bounds the control-flow queries per function: each walks
// one loop's blocks, so a constant number keeps the cost linear in the
// function's size.
const maxGraphQueries = 8

// reportWaits reports the blocking points of loops in handler scope that
// do not wake when the RPC ends, each once, with its innermost loop as
// related position.
func (c *checker) reportWaits(pass *analysis.Pass, m *grpcctx.Model, s *scanner, loops, reported []loopFinding, blocking func(*ast.CallExpr) *blocks, fields *lazyFields) {
	type found struct {
		wt wait
		l  loopFinding
	}
	var order []ast.Node
	byPoint := make(map[ast.Node]found)
	finders := make(map[any]*waitFinder) // per handler, and per spawned function
	graphs := make(map[ast.Node]*cfg.CFG)
	queries := make(map[ast.Node]int)
	for _, l := range loops {
		lint.Enter(pass, l.loop)
		var key any = l.h
		if l.spawn != nil {
			key = l.spawn
		}
		wf := finders[key]
		if wf == nil {
			base := finders[l.h]
			if base == nil {
				base = newWaitFinder(pass.TypesInfo, m, s, l.h, l.fn)
				base.blocking, base.fields = blocking, fields
				finders[l.h] = base
			}
			wf = base
			if l.spawn != nil {
				wf = newSpawnFinder(s, l.spawn, base)
				wf.handed = handedVars(pass.TypesInfo, l.fn) // the requests the spawned function receives
				finders[key] = wf
			}
		}
		wf.fn, wf.goroutine = l.fn, l.spawn != nil || lint.InGoStmt(l.cur, l.h.Func)
		var ws, bounded []wait
		for _, wt := range wf.waits(l.cur) {
			switch {
			case !wt.bounded:
				ws = append(ws, wt)
			case l.scan.observes:
				bounded = append(bounded, wt)
			}
		}
		if len(bounded) > 0 && queries[l.fn] < maxGraphQueries {
			queries[l.fn]++
			g, ok := graphs[l.fn]
			if !ok {
				g = graphOf(l.fn)
				graphs[l.fn] = g
			}
			ws = append(ws, comesBack(g, l.loop, bounded, l.scan.wakes)...)
		}
		for _, wt := range ws {
			if inReported(wt.at, l.fn, reported) {
				continue // that loop's finding covers it
			}
			if _, seen := byPoint[wt.at]; !seen {
				order = append(order, wt.at)
			}
			byPoint[wt.at] = found{wt, l} // inner loops come later: the innermost wins
		}
	}
	slices.SortFunc(order, func(a, b ast.Node) int { return lint.ComparePos(pass.Fset, a.Pos(), b.Pos()) })
	for _, at := range order {
		lint.Enter(pass, at)
		f := byPoint[at]
		c.reportWait(pass, m, f.l, f.wt)
	}
	lint.Leave(pass)
}

// inReported reports whether n lies in a loop of fn reported as a whole.
func inReported(n ast.Node, fn ast.Node, reported []loopFinding) bool {
	for _, r := range reported {
		if r.fn == fn && r.loop.Pos() <= n.Pos() && n.End() <= r.loop.End() {
			return true
		}
	}
	return false
}

func graphOf(fn ast.Node) *cfg.CFG {
	body := lint.FuncBody(fn)
	if body == nil {
		return nil
	}
	// Every call may return: a call that does not only removes paths.
	return cfg.New(body, func(*ast.CallExpr) bool { return true })
}

func (c *checker) reportWait(pass *analysis.Pass, m *grpcctx.Model, l loopFinding, wt wait) {
	h, in := l.h, l.h
	if l.spawn != nil {
		in = l.spawn.self
	}
	ctx, ok := m.RequestContextExpr(in, wt.at)
	done := ctx + ".Done()"
	doneCase := "case <-" + done
	if !ok {
		// Out of the handler (a spawned function without the stream): the
		// stream's context reached through a field, or a channel the
		// handler closes when the stream ends, wakes as well.
		ctx, done = "the request context", "the request context's Done()"
		doneCase = "a case on " + done
	}
	where := h.Describe()
	switch {
	case l.spawn != nil:
		where = "goroutine " + l.spawn.self.Name + " started by " + where
	case lint.InGoStmt(l.cur, h.Func):
		where = "goroutine started by " + where
	}
	var remedy string
	switch {
	case wt.calls != nil:
		remedy = fmt.Sprintf("pass %s to %s and wait there in a select with %s", ctx, wt.calls.Func, doneCase)
		if !ok {
			remedy = fmt.Sprintf("pass the request context to %s and wait there in a select with %s", wt.calls.Func, doneCase)
		}
	case wt.sel != nil:
		remedy = fmt.Sprintf("add %s and return from it", doneCase)
	case strings.HasPrefix(wt.what, "send"):
		remedy = fmt.Sprintf("send in a select with %s", doneCase)
	case strings.HasPrefix(wt.what, "receive"):
		remedy = fmt.Sprintf("receive in a select with %s", doneCase)
	default:
		remedy = fmt.Sprintf("wait in a select on time.After and %s instead", done)
	}
	msg := fmt.Sprintf("%s in %s does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; %s",
		describeWait(wt), where, remedy)
	if wt.calls != nil {
		msg = fmt.Sprintf("%s in %s blocks in a %s in %s (%s), which does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; %s",
			wt.what, where, wt.calls.What, wt.calls.Func, wt.calls.At, remedy)
	}
	if wt.bounded {
		msg = fmt.Sprintf("%s in %s does not wake when the RPC ends, and the loop comes back to it without checking %s, so it keeps polling after the RPC is cancelled; %s",
			describeWait(wt), where, ctx, remedy)
	}
	d := analysis.Diagnostic{
		Pos:      wt.at.Pos(),
		End:      waitEnd(wt),
		Category: CategoryBlindWait,
		Message:  msg,
	}
	if wt.calls != nil {
		d.End = wt.at.(*ast.CallExpr).Fun.End()
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos:     wt.calls.At.Pos(pass.Fset, wt.at.Pos()),
			Message: wt.calls.What + ", which does not wake on any context",
		})
	}
	if l.loop != nil { // nil for a hand-off outside loops
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: l.loop.Pos(), End: loopHeaderEnd(l.loop), Message: "the loop"})
	}
	if ok && wt.sel != nil {
		d.SuggestedFixes = c.insertDoneCase(pass, m, l, wt.sel, ctx)
	}
	lint.Report(pass, d)
}

// waitEnd is the end of the reported range: a select's keyword, not its
// whole body.
func waitEnd(wt wait) token.Pos {
	if wt.sel != nil {
		return wt.sel.Body.Lbrace
	}
	return wt.at.End()
}

// withinBuffer reports whether the send at c can never find the channel's
// buffer full: the channel was made with a buffer of len(X), and the send
// is the only one on it, made once per job received from a channel on which
// the handler sends once per element of a range over the same X (tempo's
// FindTraces: jobs and results are both
// made with len(ids); the handler sends one job per id; each worker sends
// one result per job it receives). At most len(X) values are ever sent,
// so the send does not wait, whoever receives. Round 6's reading of old
// findings, S6-N1.
func (w *waitFinder) withinBuffer(c inspector.Cursor, send *ast.SendStmt) bool {
	v := w.local(send.Chan)
	x := w.capLen[v]
	if v == nil || x == "" || w.sent[v] > 0 || sendsIn(w.info, w.fn, send.Chan) != 1 {
		return false // other sends on it may add to its count: only a worker's one send is bounded here
	}
	loop, ok := enclosingLoop(c)
	if !ok {
		return false
	}
	rng, ok := loop.Node().(*ast.RangeStmt)
	if !ok { // enclosingLoop is the innermost loop of c's own function: only it repeats the send
		return false
	}
	jobs := w.local(rng.X)
	return jobs != nil && isChan(jobs.Type()) && w.perElem[jobs] == x // one send on v per job, len(X) jobs
}

// sentOnce reports whether send is on a local channel made with a
// constant buffer of one or more, and every send on it is followed at
// once by its close (ch <- name; close(ch): bazel-remote's ByteStream
// Write hands the resource name over on the first message only), with the
// channel used for nothing else but receives: at most one send ever runs,
// as another after the close would panic, and it finds the buffer empty.
func (w *waitFinder) sentOnce(send *ast.SendStmt) bool {
	v := channelVar(w.info, send.Chan)
	return v != nil && w.capOne[v] && !w.escapes[v]
}

// closedNext reports whether the statement after the one at c, in the
// same list, is close(v).
func closedNext(info *types.Info, c inspector.Cursor, v *types.Var) bool {
	next, ok := c.NextSibling()
	if !ok {
		return false
	}
	es, ok := next.Node().(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	ch := closeArg(info, call)
	return ch != nil && channelVar(info, ch) == v
}

// plainUse reports whether the identifier at c, of a channel variable,
// is the channel of a send or receive, the argument of close, len or cap,
// the channel a range ranges over, or a variable a make is assigned to:
// nothing that hands the channel to other code.
func plainUse(info *types.Info, c inspector.Cursor) bool {
	id := c.Node().(*ast.Ident)
	switch p := c.Parent().Node().(type) {
	case *ast.SendStmt:
		return p.Chan == id
	case *ast.UnaryExpr:
		return p.Op == token.ARROW
	case *ast.RangeStmt:
		return p.X == id
	case *ast.CallExpr:
		if f, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && ast.Expr(f) != ast.Expr(id) {
			if b, ok := info.Uses[f].(*types.Builtin); ok {
				switch b.Name() {
				case "close", "len", "cap":
					return true
				}
			}
		}
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if l == id {
				return len(p.Lhs) == len(p.Rhs) && isMake(info, p.Rhs[i])
			}
		}
	}
	return false
}

// constBuffered reports whether e, a make, has a constant buffer of one or
// more.
func constBuffered(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return false
	}
	tv := info.Types[call.Args[1]]
	return tv.Value != nil && tv.Value.String() != "0" && !strings.HasPrefix(tv.Value.String(), "-")
}

// onceEach returns X when the send at c is made once per element of a
// range over X (a slice, map, string or array, not a channel): the range
// is the innermost loop around it, within the same function. Else "".
func onceEach(c inspector.Cursor) string {
	loop, ok := enclosingLoop(c)
	if !ok {
		return ""
	}
	rng, ok := loop.Node().(*ast.RangeStmt)
	if !ok { // enclosingLoop is the innermost loop of c's own function: only it repeats the send
		return ""
	}
	if _, again := enclosingLoop(loop); again {
		return "" // a loop around the range repeats it
	}
	return types.ExprString(ast.Unparen(rng.X))
}

// sendsIn counts the sends in fn's body (function literals included) on
// the variable ch names.
func sendsIn(info *types.Info, fn ast.Node, ch ast.Expr) int {
	v := channelVar(info, ch)
	n := 0
	ast.Inspect(lint.FuncBody(fn), func(node ast.Node) bool {
		if s, ok := node.(*ast.SendStmt); ok && v != nil && channelVar(info, s.Chan) == v {
			n++
		}
		return true
	})
	return n
}

// lenCap returns X when e is make(chan T, len(X)).
func lenCap(info *types.Info, e ast.Expr) string {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 2 || !isMake(info, e) {
		return ""
	}
	l, ok := ast.Unparen(call.Args[1]).(*ast.CallExpr)
	if !ok || len(l.Args) != 1 {
		return ""
	}
	id, ok := ast.Unparen(l.Fun).(*ast.Ident)
	if !ok || id.Name != "len" {
		return ""
	}
	if _, ok := info.Uses[id].(*types.Builtin); !ok {
		return ""
	}
	return types.ExprString(ast.Unparen(l.Args[0]))
}
