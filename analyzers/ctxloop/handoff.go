package ctxloop

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

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
// runs: a worker a constructor or Start method starts, for its owner's
// life) and that has no way out but the channel's end (for r := range
// s.q, for { r := <-s.q; ... }) or a signal (case <-s.quit: return; case
// <-ctx.Done(): return, see leavesOnSignals): a send on it waits for that
// worker's backlog, never for good (seaweedfs's volumeGrowthRequestChan,
// class A1 of the tuning triage; skywalking-satellite's flush limiter,
// round 13). A send after the owner stopped the worker is the owner's
// ordering, not the RPC's cancellation. A receiver that can return on
// its own while its owner lives (on a value, after a timer), or one the
// RPC starts (etcd's sendLoop, which leaves when the stream ends), serves
// nobody for sure.
type fieldChans struct {
	unbuffered, buffered, served, sent, recvd map[*types.Var]bool
	// elems holds the element types of the channels the package makes or
	// receives from, in any variable (a local the tests make and pass
	// down, a parameter): where a field's element type is among them, its
	// other side may be in view through them.
	elems typeutil.Map
	// until maps a field to the fields that the function of a worker
	// loop receiving from it, outside any RPC's scope, closes (defer
	// close(s.closeCh)): the worker serves the field until it returns,
	// and then the signal wakes whoever waits on it. A send on the field
	// in a select with a case on such a signal waits for the worker's
	// backlog only (gobgp's mgmtOperation: case s.mgmtCh <- op: ... case
	// <-s.closeCh:, with Serve's event loop closing closeCh as it ends).
	until map[*types.Var]map[*types.Var]bool
	// leaves maps a field to the fields on whose receive alone a worker
	// loop receiving from it leaves (for { select { case <-c.closed:
	// return; case v := <-in: ... } }). Where that field is a signal,
	// never sent on, the worker gone means the signal closed, and a send
	// in a select with a case on it wakes then (googleforgames/open-match's
	// cutoffSender, round 12). Unlike until, the worker may run for an
	// RPC: the signal, not its end, is what wakes the send.
	leaves map[*types.Var]map[*types.Var]bool
}

// outOfView reports whether the package shows neither side of field f's
// channel but sends: it neither makes it nor receives from it, nor makes
// or receives from any channel of its element type (the channel comes from
// another package: skywalking-satellite's receivers get their pipeline's
// channel so; grpc-go's grpclb tests make the fake balancer's stats
// channel and drain it in locals, in view). Whether a send waits, and for
// whom, is not in view: it is not judged.
func (fc *fieldChans) outOfView(f *types.Var) bool {
	if fc.unbuffered[f] || fc.buffered[f] || fc.recvd[f] {
		return false
	}
	t, ok := f.Type().Underlying().(*types.Chan)
	return ok && fc.elems.At(t.Elem()) == nil
}

// noteElem records the element type of the channel expression e.
func (fc *fieldChans) noteElem(info *types.Info, e ast.Expr) {
	if t, ok := typeOf(info, e).Underlying().(*types.Chan); ok {
		fc.elems.Set(t.Elem(), true)
	}
}

// wakesWith reports whether a send on field f is woken by a select case
// receiving from one of the fields in recvs (see until).
func (fc *fieldChans) wakesWith(f *types.Var, recvs []*types.Var) bool {
	for _, g := range recvs {
		if fc.until[f][g] || fc.leaves[f][g] && !fc.sent[g] {
			return true
		}
	}
	return false
}

func newFieldChans(info *types.Info, in *inspector.Inspector, rpc func(fn ast.Node) bool) *fieldChans {
	defer lint.Aside()() // the package's index, not the asking function's work
	fc := &fieldChans{unbuffered: make(map[*types.Var]bool), buffered: make(map[*types.Var]bool),
		served: make(map[*types.Var]bool), sent: make(map[*types.Var]bool), recvd: make(map[*types.Var]bool),
		until: make(map[*types.Var]map[*types.Var]bool), leaves: make(map[*types.Var]map[*types.Var]bool)}
	stored := storedChans(info, in)
	field := func(e ast.Expr) *types.Var { // the field e is, or the local stored in it
		if f := fieldOf(info, e); f != nil {
			return f
		}
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				return stored[v]
			}
		}
		return nil
	}
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
	type exits struct {
		cases []*ast.CommClause
		ok    bool
	}
	exitsOf := make(map[ast.Node]exits) // by loop, once each
	loopExitsOf := func(loop inspector.Cursor) ([]*ast.CommClause, bool) {
		e, seen := exitsOf[loop.Node()]
		if !seen {
			e.cases, e.ok = loopExits(info, loop)
			exitsOf[loop.Node()] = e
		}
		return e.cases, e.ok
	}
	signals := func(f *types.Var, cur inspector.Cursor) {
		loop, found := enclosingLoop(cur)
		if !found {
			return
		}
		cs, all := loopExitsOf(loop)
		if g := leavesOnlyOn(cs, all, field); g != nil {
			if fc.leaves[f] == nil {
				fc.leaves[f] = make(map[*types.Var]bool)
			}
			fc.leaves[f][g] = true
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
	type loopOK struct {
		loop ast.Node
		ok   *types.Var
	}
	ends := make(map[loopOK]bool) // by loop and ok, once each
	serves := func(cur inspector.Cursor, ok *types.Var) bool {
		loop, found := enclosingLoop(cur)
		if !found {
			return false
		}
		fn := lint.EnclosingFuncOf(loop)
		if fn == nil || rpc(fn) {
			return false
		}
		k := loopOK{loop.Node(), ok}
		v, seen := ends[k]
		if !seen {
			cs, all := loopExitsOf(loop)
			v = endsOnlyOnClose(info, loop, ok) || leavesOnSignals(info, cs, all)
			ends[k] = v
		}
		return v
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
		(*ast.RangeStmt)(nil), (*ast.SendStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			if isMake(info, n) {
				fc.noteElem(info, n)
			}
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
			if n.Op == token.ARROW {
				fc.noteElem(info, n.X)
			}
			if f := field(n.X); f != nil && n.Op == token.ARROW {
				fc.recvd[f] = true
				if serves(cur, recvOK(info, cur)) {
					fc.served[f] = true
				}
				signals(f, cur)
			}
		case *ast.RangeStmt:
			fc.noteElem(info, n.X)
			if f := field(n.X); f != nil {
				fc.recvd[f] = true
				if body, ok := cur.FindNode(n.Body); ok && serves(body, nil) {
					fc.served[f] = true
				}
			}
		}
	}
	return fc
}

// storedChans maps each local channel variable that the package stores
// in exactly one struct field (c := &T{in: in}, c.in = in) to that field:
// a worker receiving from the local serves the field. Only receives are
// read through it; how the field is made stays what the package shows.
// It is a walk of its own, before newFieldChans': a worker's receive may
// come before the store that names its field (go func() { ... <-in ...
// }(); c.in = in).
func storedChans(info *types.Info, in *inspector.Inspector) map[*types.Var]*types.Var {
	out := make(map[*types.Var]*types.Var)
	store := func(f *types.Var, val ast.Expr) {
		id, ok := ast.Unparen(val).(*ast.Ident)
		if !ok || f == nil {
			return
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.IsField() || v.Parent() == v.Pkg().Scope() {
			return
		}
		if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
			return
		}
		if g, seen := out[v]; seen && g != f {
			out[v] = nil // stored in two fields: neither for sure
			return
		}
		out[v] = f
	}
	for cur := range in.Root().Preorder((*ast.KeyValueExpr)(nil), (*ast.AssignStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.KeyValueExpr:
			if id, ok := n.Key.(*ast.Ident); ok {
				if f, ok := info.Uses[id].(*types.Var); ok && f.IsField() {
					store(f.Origin(), n.Value)
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					store(fieldOf(info, l), n.Rhs[i])
				}
			}
		}
	}
	return out
}

// loopExits returns, for each way out of the loop at cur (a return, a
// panic, a goto, a break out of it), the innermost select case around it
// within the loop; ok is false when one lies in no case. A test of a
// receive's ok (the queue's end, if !ok { return }) is not looked into,
// as in endsOnlyOnClose.
func loopExits(info *types.Info, cur inspector.Cursor) (cases []*ast.CommClause, ok bool) {
	loop := cur.Node()
	oks := recvOKs(info, loop)
	end := func(x ast.Expr) bool {
		id, isID := ast.Unparen(x).(*ast.Ident)
		return isID && oks[info.Uses[id]]
	}
	ok = true
	eachExit(cur, end, func(c inspector.Cursor) bool {
		for cc := range c.Enclosing((*ast.CommClause)(nil)) {
			if encloses(loop, cc.Node()) {
				cases = append(cases, cc.Node().(*ast.CommClause))
				return true
			}
			break // the innermost case only
		}
		ok = false
		return false
	})
	return cases, ok
}

// leavesOnlyOn returns the field g when every way out of a loop (its
// loopExits) lies in the body of a select case receiving from g, the
// field that field gives for a channel expression; nil when one lies
// elsewhere, or cases on two fields lead out.
func leavesOnlyOn(cases []*ast.CommClause, ok bool, field func(ast.Expr) *types.Var) *types.Var {
	var on *types.Var
	for _, cc := range cases {
		var g *types.Var
		if ch := recvChan(cc.Comm); ch != nil {
			g = field(ch)
		}
		if g == nil || on != nil && on != g {
			return nil
		}
		on = g
	}
	if !ok {
		return nil
	}
	return on
}

// leavesOnSignals reports whether every way out of a loop (its
// loopExits) lies in the body of a select case that waits for a signal:
// case <-x:, the value dropped, on a channel that is no timer's (a stop
// channel, a context's Done()). Such a worker lives as long as whoever
// owns the signal; a queue it serves is served until its owner stops it
// (skywalking-satellite's flush limiter, round 13). An exit after a
// timer, on a value received, or outside any case may leave the queue
// unserved while its owner lives.
func leavesOnSignals(info *types.Info, cases []*ast.CommClause, ok bool) bool {
	if !ok || len(cases) == 0 {
		return false
	}
	for _, cc := range cases {
		es, isExpr := cc.Comm.(*ast.ExprStmt)
		if !isExpr {
			return false
		}
		ch := recvChan(es)
		if ch == nil {
			return false
		}
		t, isChan := typeOf(info, ch).Underlying().(*types.Chan)
		if !isChan || isTime(t.Elem()) {
			return false
		}
	}
	return true
}

// recvOKs returns the oks of the receives v, ok := <-ch in loop.
func recvOKs(info *types.Info, loop ast.Node) map[types.Object]bool {
	out := make(map[types.Object]bool)
	ast.Inspect(loop, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 2 && len(as.Rhs) == 1 {
			if u, ok := ast.Unparen(as.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
				if l, ok := as.Lhs[1].(*ast.Ident); ok && info.ObjectOf(l) != nil {
					out[info.ObjectOf(l)] = true
				}
			}
		}
		return true
	})
	return out
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
	end := func(x ast.Expr) bool { return ok != nil && mentions(info, x, ok) }
	leaves := false
	eachExit(cur, end, func(inspector.Cursor) bool { leaves = true; return false })
	return !leaves
}

// eachExit calls leave for each way out of the loop at cur (a return, a
// panic, a goto, a break out of it), outside function literals and the
// bodies of if !x for an x that end accepts (a receive's report of the
// channel's end), until leave returns false.
func eachExit(cur inspector.Cursor, end func(ast.Expr) bool, leave func(inspector.Cursor) bool) {
	loop := cur.Node()
	more := true
	cur.Inspect(nil, func(c inspector.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if u, isNot := ast.Unparen(n.Cond).(*ast.UnaryExpr); isNot && u.Op == token.NOT && end(u.X) {
				return false // the channel's end
			}
		case *ast.ReturnStmt:
			more = leave(c)
		case *ast.CallExpr:
			if id, isID := ast.Unparen(n.Fun).(*ast.Ident); isID && id.Name == "panic" {
				more = leave(c)
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Tok == token.BREAK && breaksOut(c, n, loop) {
				more = leave(c)
			}
		}
		return more
	})
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
