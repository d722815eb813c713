package ctxloop

import (
	"cmp"
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

//go:embed doc.go
var doc []byte

// Analyzer reports loops in gRPC handler scope that never observe
// cancellation.
var Analyzer = New(Config{})

// Config holds ctxloop's settings.
type Config struct {
	// Finite also reports finite loops (ranges, counted loops) that call
	// into another package, outside the standard library, on every
	// iteration without any check: heavy work per element over big data.
	Finite bool `json:"finite,omitempty"`
}

// New returns a ctxloop analyzer.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{cfg: cfg}
	a := &analysis.Analyzer{
		Name:      "ctxloop",
		Doc:       analyzerdoc.Extract(doc, "ctxloop"),
		URL:       analyzerdoc.URL("ctxloop"),
		Requires:  []*analysis.Analyzer{grpcctx.Analyzer, lint.Analyzer},
		FactTypes: []analysis.Fact{new(blindLoop), new(snapshotChan), new(blocks), new(chanAccessor)},
		Run:       c.run,
	}
	// The blindLoop facts depend on Finite: one instance's facts are
	// read by the same instance only (a driver runs one ctxloop).
	a.Flags.BoolVar(&c.cfg.Finite, "finite", cfg.Finite,
		"also report finite loops that call into another package (outside the standard library) on every iteration without a check")
	return a
}

// blindLoop is the fact of a function that takes no context and contains a
// loop worth reporting that never observes cancellation, directly or in a
// function it calls.
type blindLoop struct {
	Kind  string        // "loop", "polling loop", "finite loop", ...
	Calls string        // a finite loop's call into another package on every iteration (-ctxloop.finite)
	Func  string        // the function holding the loop
	At    lint.Location // the loop
	// Chan, when not 0, is 1 + the index of the function's parameter
	// that the loop ranges over: a channel whose producers are the
	// caller's, judged at each call (chanArgWakes).
	Chan int
}

func (*blindLoop) AFact() {}

func (f *blindLoop) String() string {
	return fmt.Sprintf("blindLoop(%s in %s at %s)", describeKind(f.Kind, f.Calls), f.Func, f.At)
}

// describeKind names a kind of loop for messages: "finite loop calling
// st.Get".
func describeKind(kind, calls string) string {
	if calls == "" {
		return kind
	}
	return kind + " calling " + calls
}

type checker struct {
	cfg Config
	// locks caches lockSummary by function; one run's.
	locks map[ast.Node]*lockSummary
}

// A blind loop found in this package.
type loopFinding struct {
	cur   inspector.Cursor
	loop  ast.Stmt
	fn    ast.Node         // enclosing FuncDecl or FuncLit
	h     *grpcctx.Handler // the handler whose scope it is in, or nil
	kind  string
	calls string // a finite loop's call on every iteration
	scan  loopScan
	// dry: the loop does not wait and leaves when a call reports that
	// there is nothing more (runsDry): reported in handler scope, but it
	// gives its function no fact.
	dry bool
	// noFact: the loop does not wait and computes on memory only
	// (inMemory), retries afresh (retries) or walks a finite tree up
	// (walksUp): reported in handler scope, but it gives its function no
	// fact.
	noFact bool
	spawn  *spawn // the loop is in a function a goroutine of h runs (spawned.go)
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	m := pass.ResultOf[grpcctx.Analyzer].(*grpcctx.Model)
	snapshots := findSnapshots(pass) // in every package: iterators are often a dependency's
	accessors := findAccessors(pass) // so are per-stream objects' channel accessors
	if m.Light() {
		return nil, nil // a dependency without contexts: no other facts, nothing reported
	}
	c = &checker{cfg: c.cfg} // this run's state
	in := m.Inspector()
	s := newScanner(pass, m)
	s.snapshots = snapshots
	s.accessors = accessors
	accessors.ImportUses(accessorShape) // looked up at every receive from a call: once per method used

	// Facts are computed for the packages of the module under analysis
	// only: loops in the standard library and in versioned dependencies end
	// on their data (a mutex's spin, a decoder's scan) far more often than
	// not, and facts about them would flag every handler that takes a lock.
	withFacts := grpcctx.InMainModule(pass)
	if !withFacts && len(m.Handlers()) == 0 {
		return nil, nil // a dependency without handlers: nothing to report, no facts
	}

	// Loops: cheap shape test first, the scan only for candidates in
	// handler scope or directly in a function that takes no context.
	sc := newScopes(pass.TypesInfo, m)
	spawned := findSpawns(pass.TypesInfo, m, sc, s.cache.decls)
	var loops []loopFinding
	var waitLoops []loopFinding // in handler scope and not reported: judged by their blocking points
	var cands []inspector.Cursor
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		cands = append(cands, cur)
	}
	// Inner loops first (a loop comes after the loops around it in
	// preorder): a wait inside an inner loop that is reported on its own
	// is that loop's finding, and the loop around it is judged without it
	// (ownWaits). Results are put back in source order below.
	reportedAt := make(map[ast.Node]bool)
	order := make(map[ast.Node]int, len(cands))
	for i := len(cands) - 1; i >= 0; i-- {
		cur := cands[i]
		lint.Enter(pass, cur.Node())
		order[cur.Node()] = i
		fn := lint.EnclosingFuncOf(cur)
		if fn == nil {
			continue
		}
		h, _ := sc.handlerOf(fn)
		if sc.outlives(h, cur) {
			h = nil // work meant to outlive the RPC: see outlives
		}
		sp := spawned.of(fn) // a function a goroutine of a handler runs (a stream function too)
		if h == nil && sp == nil && !(withFacts && m.ContextFreeDecl(fn) != nil) {
			continue
		}
		if setAside(pass.TypesInfo, cur) {
			continue
		}
		loop := cur.Node().(ast.Stmt)
		if !mayBeUnbounded(pass.TypesInfo, loop) {
			if c.cfg.Finite {
				if callee := heavyCall(pass, loop); callee != "" && !s.in(h).scan(cur).observes {
					loops = append(loops, loopFinding{cur: cur, loop: loop, fn: fn, h: h, kind: "finite loop", calls: callee})
				}
			}
			continue
		}
		r := ownWaits(s.in(h).scan(cur), loop, reportedAt)
		l := loopFinding{cur: cur, loop: loop, fn: fn, h: h, scan: r}
		if !r.observes {
			if kind, ok := worth(s, cur, r, fn); ok {
				l.kind = kind
				if f, isFor := loop.(*ast.ForStmt); isFor && !r.sleeps && len(r.chans) == 0 && (kind == "loop" || kind == "search loop") {
					l.dry = runsDry(pass.TypesInfo, f, cur)
					l.noFact = inMemory(pass.TypesInfo, f, cur) || retries(pass.TypesInfo, f, cur) || walksUp(pass.TypesInfo, f, cur)
				}
				loops = append(loops, l)
				reportedAt[loop] = true
				continue
			}
		}
		switch {
		case sp != nil:
			// A blind loop there is a helper's, reported where it is
			// called (or, in a stream function, as the function's); the
			// waits of one that observes are the goroutine's.
			l.h, l.spawn = sp.h, sp
			waitLoops = append(waitLoops, l)
		case h != nil:
			waitLoops = append(waitLoops, l)
		}
	}
	lint.Leave(pass)
	bySource := func(a, b loopFinding) int { return cmp.Compare(order[a.loop], order[b.loop]) }
	slices.SortFunc(loops, bySource)
	slices.SortFunc(waitLoops, bySource)

	// Facts: functions that take no context and hold a blind loop, directly
	// or through calls made directly in their bodies.
	facts := lint.NewFactTable[blindLoop](pass)
	for _, l := range loops {
		// A helper's loop that consumes what its calls produce until they
		// run dry (a parser's walk over its tokens) is judged as an
		// iterator: no fact. In handler scope it is still reported.
		if fn := m.ContextFreeDecl(l.fn); fn != nil && withFacts && !l.dry && !l.noFact {
			facts.Add(fn, &blindLoop{Kind: l.kind, Calls: l.calls, Func: fn.Name(), At: lint.LocationOf(pass.Fset, l.loop.Pos()), Chan: rangedParam(pass.TypesInfo, fn, l.loop)})
		}
	}
	type callSite struct {
		call   *ast.CallExpr
		fn     ast.Node
		callee *types.Func
		spawns bool // go helper(): the goroutine runs on, not the handler
		cur    inspector.Cursor
	}
	var calls []callSite
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		callee := typeutil.StaticCallee(pass.TypesInfo, call)
		if callee == nil || grpcctx.TakesContext(callee.Signature()) || isLoopCondition(cur) || setAside(pass.TypesInfo, cur) {
			continue
		}
		if fn := lint.EnclosingFuncOf(cur); fn != nil {
			_, spawns := cur.Parent().Node().(*ast.GoStmt)
			calls = append(calls, callSite{call, fn, callee.Origin(), spawns, cur})
		}
	}
	lint.Propagate(calls, func(cs callSite) bool {
		fn := m.ContextFreeDecl(cs.fn)
		if _, ok := facts.Local(fn); fn == nil || ok || cs.spawns {
			// go w.loop() in a helper: the goroutine belongs to the object
			// the helper starts it for (a sender ended by its own quit
			// channel), not to the RPC of a handler that calls the helper.
			return false
		}
		f, ok := facts.Lookup(cs.callee)
		if !ok {
			return false
		}
		if f.Chan > 0 {
			// The loop ranges over the channel this call passes: the
			// caller's parameter (judged at its own callers), or a
			// channel of its own.
			if s.chanArgWakes(cs.call, f.Chan, cs.fn) {
				return false
			}
			g := *f
			g.Chan = 0
			if f.Chan <= len(cs.call.Args) {
				g.Chan = paramIndex(pass.TypesInfo, fn, cs.call.Args[f.Chan-1])
			}
			f = &g
		}
		return facts.Add(fn, f)
	})
	facts.Export()

	// Reports, in source order: blind loops and calls to blind helpers in
	// handler scope.
	for _, l := range loops {
		lint.Enter(pass, l.loop)
		if l.h != nil {
			c.reportLoop(pass, m, l.h, l)
		}
	}
	lint.Leave(pass)
	fields := &lazyFields{info: pass.TypesInfo, in: in, rpc: func(fn ast.Node) bool {
		h, _ := sc.handlerOf(fn)
		return h != nil || spawned.of(fn) != nil
	}}
	blocking := findBlocking(pass, m, withFacts, fields)
	blockingCall := func(call *ast.CallExpr) *blocks {
		callee := typeutil.StaticCallee(pass.TypesInfo, call)
		if callee == nil || facts.Has(callee.Origin()) {
			return nil // a blind helper: reported as such below
		}
		return blocking(call)
	}
	c.reportWaits(pass, m, s, waitLoops, loops, blockingCall, fields)
	c.reportHandoffs(pass, m, sc, fields)
	for _, cs := range calls {
		lint.Enter(pass, cs.call)
		h, once := sc.handlerOf(cs.fn)
		if h == nil || once && cs.spawns {
			continue // a goroutine started under sync.Once runs for the server
		}
		if inTestFile(pass, cs.call.Pos()) {
			// A fake server's call into a helper of the test: the loop is
			// out of sight of whoever reads the test, and a test that
			// hangs there ends at go test's -timeout. Loops written in
			// a test's handlers are still reported.
			continue
		}
		if f, ok := facts.Lookup(cs.callee); ok {
			if sc.outlives(h, cs.cur) {
				continue // work meant to outlive the RPC: see outlives
			}
			if !cs.spawns && s.givesRPC(h, cs.call) {
				continue // the callee has the RPC's stream: see givesRPC
			}
			if f.Chan > 0 && s.chanArgWakes(cs.call, f.Chan, cs.fn) {
				continue // its producers end it with the RPC: see chanArgWakes
			}
			ctx, ok := m.RequestContextExpr(h, cs.call)
			if !ok {
				ctx = "the request context"
			}
			name := types.ExprString(cs.call.Fun)
			who := "the handler"
			if cs.spawns {
				who = "the goroutine"
			}
			lint.Report(pass, analysis.Diagnostic{
				Pos:      cs.call.Fun.Pos(),
				End:      cs.call.Fun.End(),
				Category: CategoryBlindHelper,
				Message: fmt.Sprintf("call to %s in %s runs a %s in %s that never checks for cancellation (%s), so %s keeps running after the RPC is cancelled; pass %s to %s and check it in the loop",
					name, h.Describe(), describeKind(f.Kind, f.Calls), f.Func, f.At, who, ctx, cs.callee.Name()),
				Related: []analysis.RelatedInformation{{
					Pos:     f.At.Pos(pass.Fset, cs.callee.Pos()),
					Message: fmt.Sprintf("%s without a cancellation check", describeKind(f.Kind, f.Calls)),
				}},
			})
		}
	}
	lint.Leave(pass)
	return nil, nil
}

// rangedParam returns 1 + the index of fn's channel parameter that loop
// ranges over, or 0.
func rangedParam(info *types.Info, fn *types.Func, loop ast.Stmt) int {
	rng, ok := loop.(*ast.RangeStmt)
	if !ok {
		return 0
	}
	return paramIndex(info, fn, rng.X)
}

// paramIndex returns 1 + the index of fn's channel parameter that e names,
// or 0 (a variadic parameter is a slice, never such a channel).
func paramIndex(info *types.Info, fn *types.Func, e ast.Expr) int {
	v := channelVar(info, e)
	if v == nil || v.Kind() != types.ParamVar || !isChan(v.Type()) {
		return 0
	}
	params := fn.Signature().Params()
	for i := range params.Len() {
		if params.At(i) == v {
			return i + 1
		}
	}
	return 0
}

// chanArgWakes reports whether the channel that call passes as its
// parameter chan-1 (1-based, as blindLoop.Chan) is a local channel of fn
// whose producers stop on cancellation or that fn's handler closes
// (producersObserve): a helper's range over it ends with the RPC
// (apiserver-network-proxy's serveRecvFrontend, ranging over the channel
// that the handler's receive goroutine closes when Recv fails).
func (s *scanner) chanArgWakes(call *ast.CallExpr, chan1 int, fn ast.Node) bool {
	if chan1 > len(call.Args) {
		return false
	}
	v := channelVar(s.info, call.Args[chan1-1])
	if v == nil || v.Kind() != types.LocalVar {
		return false
	}
	return producersObserve(s, []*types.Var{v}, fn)
}

// heavyCall returns the name of a call, directly in the body of a finite
// loop, to a function of another package outside the standard library: the
// work of each iteration that -ctxloop.finite counts as heavy.
func heavyCall(pass *analysis.Pass, loop ast.Stmt) string {
	name := ""
	ast.Inspect(loopBody(loop), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			fn := lint.Callee(pass.TypesInfo, n)
			if fn != nil && fn.Pkg() != nil && fn.Pkg() != pass.Pkg && !isStd(fn.Pkg().Path()) {
				name = types.ExprString(n.Fun)
			}
		}
		return name == ""
	})
	return name
}

// ownWaits returns r without the sleeps that lie inside a loop within
// loop that is reported on its own (in reported): the loop around a
// reported poll is judged by what it does itself (a drain of a queue whose
// body retries each write with a sleep is an iterator; the retry is the
// inner loop's finding). Each sleep is looked up by the loops around it,
// up to loop: the cost is the depth of the nesting, not the number of
// loops reported.
func ownWaits(r loopScan, loop ast.Node, reported map[ast.Node]bool) loopScan {
	if !r.sleeps || len(reported) == 0 {
		return r
	}
	return r.dropSleeps(func(c inspector.Cursor) bool {
		for e := range c.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
			if e.Node() == loop {
				return false
			}
			if reported[e.Node()] {
				return true
			}
		}
		return false
	})
}

// dropSleeps returns r without the sleeps for which drop, given the
// cursor of each, reports true.
func (r loopScan) dropSleeps(drop func(c inspector.Cursor) bool) loopScan {
	return r.dropSleepsAt(func(_ ast.Node, c inspector.Cursor) bool { return drop(c) })
}

// dropSleepsAt is dropSleeps with the sleep's node too.
func (r loopScan) dropSleepsAt(drop func(at ast.Node, c inspector.Cursor) bool) loopScan {
	var own []ast.Node
	var curs []inspector.Cursor
	for i, at := range r.sleepAt {
		if !drop(at, r.sleepCur[i]) {
			own = append(own, at)
			curs = append(curs, r.sleepCur[i])
		}
	}
	r.sleepAt, r.sleepCur = own, curs
	r.sleeps = len(own) > 0
	return r
}

// fieldWakes returns r without the sleeps that receive from a struct
// field's channel that closes when the RPC ends (closedIn: the handler
// closes it, or a goroutine it starts that observes cancellation does;
// an accessor method stands for its field, chanField), or that sit in a
// select beside such a receive: istio's StreamDeltas, whose loop waits on
// con.deltaReqChan, closed by the receive goroutine when the stream
// ends, beside push and stop channels, and then on con.ErrorCh(), closed
// with it. ok reports whether any sleep was dropped.
//
// A receive in a return statement of the loop (return <-con.ErrorCh())
// waits once, on the way out, not on every round: it does not make the
// loop one that polls, and it goes with the others once one was dropped.
func (s *scanner) fieldWakes(r loopScan, cur inspector.Cursor, fn ast.Node) (_ loopScan, ok bool) {
	root := fn
	if h := s.m.HandlerOf(fn); h != nil {
		root = h.Func
	}
	closed := func(e ast.Expr) bool {
		f := s.chanField(e)
		return f != nil && s.closedIn(f, root)
	}
	n := len(r.sleepAt)
	beside := newCaseWaker(closed)
	r = r.dropSleepsAt(func(at ast.Node, c inspector.Cursor) bool {
		ch, isExpr := at.(ast.Expr)
		return isExpr && closed(ch) || beside.otherCaseReceives(c)
	})
	if len(r.sleepAt) == n {
		return r, false
	}
	return r.dropSleeps(func(c inspector.Cursor) bool { return inReturn(c, cur.Node()) }), true
}

// inReturn reports whether c lies in the results of a return statement
// of loop (not of a function literal in it).
func inReturn(c inspector.Cursor, loop ast.Node) bool {
	for e := range c.Enclosing((*ast.ReturnStmt)(nil), (*ast.FuncLit)(nil)) {
		_, isReturn := e.Node().(*ast.ReturnStmt)
		return isReturn && encloses(loop, e.Node())
	}
	return false
}

// chanField returns the struct field whose channel e is: a field
// selection (con.reqChan), or a call of a method with the chanAccessor
// fact (con.ErrorCh()); else nil.
func (s *scanner) chanField(e ast.Expr) *types.Var {
	if f := fieldOf(s.info, e); f != nil {
		return f
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 || s.accessors == nil {
		return nil
	}
	return accessedField(s.accessors, lint.Callee(s.info, call))
}

// wokenSelects returns r without the sleeps that are receives in a select
// one of whose other cases receives from one of r's local channels, all of
// whose producers observe cancellation (the caller checked): the select
// wakes when the RPC ends, whatever else it waits on (a server's shutdown
// channel next to the error channels of the RPC's own goroutines).
func wokenSelects(info *types.Info, r loopScan) loopScan {
	if !r.sleeps {
		return r
	}
	local := func(e ast.Expr) bool {
		v := channelVar(info, e)
		return v != nil && slices.Contains(r.chans, v)
	}
	beside := newCaseWaker(local)
	return r.dropSleeps(beside.otherCaseReceives)
}

// A caseWaker answers, for the waits of one walk, whether a wait sits in a
// select beside a case that receives from a channel woken accepts. Each
// select's cases are read once, however many of its cases ask: a select of
// n cases costs n, not n².
type caseWaker struct {
	woken func(ast.Expr) bool
	cases map[*ast.SelectStmt][]*ast.CommClause // the first two cases receiving from a woken channel
}

func newCaseWaker(woken func(ast.Expr) bool) *caseWaker {
	return &caseWaker{woken: woken, cases: make(map[*ast.SelectStmt][]*ast.CommClause)}
}

// otherCaseReceives reports whether c lies in the communication of a
// select case and another case of that select receives from a channel
// that woken accepts: the select wakes when that channel does.
func (w *caseWaker) otherCaseReceives(c inspector.Cursor) bool {
	for e := range c.Enclosing((*ast.CommClause)(nil)) {
		cc := e.Node().(*ast.CommClause)
		if cc.Comm == nil || !encloses(cc.Comm, c.Node()) {
			return false
		}
		sel := e.Parent().Parent().Node().(*ast.SelectStmt)
		ws, ok := w.cases[sel]
		if !ok {
			for _, st := range sel.Body.List {
				if other := st.(*ast.CommClause); other.Comm != nil {
					if ch := recvChan(other.Comm); ch != nil && w.woken(ch) {
						if ws = append(ws, other); len(ws) == 2 {
							break
						}
					}
				}
			}
			w.cases[sel] = ws
		}
		return len(ws) == 2 || len(ws) == 1 && ws[0] != cc
	}
	return false
}

// besideWoken returns chans without those the loop at cur receives from
// only in selects that also receive from a channel of chans whose
// producers observe cancellation: such a select wakes when the RPC ends,
// whatever else it waits on (terraform's stacks.PlanStackChanges: a
// server-wide stop channel beside the channels of the RPC's own
// producer). One walk of the loop.
func besideWoken(s *scanner, cur inspector.Cursor, chans []*types.Var, fn ast.Node) []*types.Var {
	if len(chans) < 2 {
		return chans
	}
	woken := make(map[*types.Var]bool)
	for _, v := range chans {
		if _, seen := woken[v]; !seen {
			woken[v] = producersObserve(s, []*types.Var{v}, fn)
		}
	}
	isWoken := func(e ast.Expr) bool { return woken[channelVar(s.info, e)] }
	alone := make(map[*types.Var]bool) // received from somewhere no woken case sits beside
	beside := newCaseWaker(isWoken)
	for c := range cur.Preorder((*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		var x ast.Expr
		switch n := c.Node().(type) {
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				x = n.X
			}
		case *ast.RangeStmt:
			x = n.X
		}
		if v := channelVar(s.info, x); v != nil && !woken[v] && !beside.otherCaseReceives(c) {
			alone[v] = true
		}
	}
	var rest []*types.Var
	for _, v := range chans {
		if woken[v] || alone[v] {
			rest = append(rest, v)
		}
	}
	return rest // all of chans when none is woken
}

// recvChan returns the channel a select case's communication receives
// from (<-ch, v := <-ch, v, ok = <-ch), or nil for a send.
func recvChan(comm ast.Stmt) ast.Expr {
	var e ast.Expr
	switch c := comm.(type) {
	case *ast.ExprStmt:
		e = c.X
	case *ast.AssignStmt:
		if len(c.Rhs) == 1 {
			e = c.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

func encloses(outer, n ast.Node) bool {
	return outer != nil && n.Pos() >= outer.Pos() && n.End() <= outer.End()
}

// setAside reports whether the node at cur never runs as part of the
// function's work: it is dead code, in the branch of an if statement that
// its constant condition skips (if false { ... }, the else of if true), or
// it runs deferred (defer cleanup(), defer func() { ... }()), as the
// function returns. A handler's deferred cleanup (shut a shared partition
// down once its last subscriber is gone, after waiting for its buffer to be
// flushed) must run to its end: the RPC is over by then, and checking its
// context there would drop the cleanup, not end a leak.
func setAside(info *types.Info, cur inspector.Cursor) bool {
	child := cur
	for p := cur.Parent(); p.Node() != nil; child, p = p, p.Parent() {
		switch n := p.Node().(type) {
		case *ast.DeferStmt:
			return true
		case *ast.FuncDecl:
			return false
		case *ast.IfStmt:
			tv, ok := info.Types[n.Cond]
			if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool {
				continue
			}
			taken := constant.BoolVal(tv.Value)
			if child.Node() == n.Body && !taken || n.Else != nil && child.Node() == n.Else && taken {
				return true
			}
		}
	}
	return false
}

// inTestFile reports whether pos is in a _test.go file.
func inTestFile(pass *analysis.Pass, pos token.Pos) bool { return lint.InTestFile(pass.Fset, pos) }

// isStd reports whether path is a standard library package: no dot in its
// first element.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// mayBeUnbounded is the cheap shape test: range over finite data and
// counted loops are never worth reporting.
func mayBeUnbounded(info *types.Info, loop ast.Stmt) bool {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		return isChan(info.TypeOf(l.X))
	case *ast.ForStmt:
		return !counted(l)
	}
	return false
}

// counted reports whether a for loop has a comparison condition and a post
// statement: for i := 0; i < n; i++.
func counted(l *ast.ForStmt) bool {
	b, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
	if !ok || l.Post == nil {
		return false
	}
	switch b.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ, token.EQL:
		return true
	}
	return false
}

// worth decides whether a loop that never observes cancellation is worth
// reporting, and names its kind.
func worth(s *scanner, cur inspector.Cursor, r loopScan, fn ast.Node) (string, bool) {
	info := s.info
	loop := cur.Node().(ast.Stmt)
	// Channels the loop blocks on are excused when their producers stop
	// on cancellation or the handler closes them (producersObserve).
	chansExcused := len(r.chans) > 0 && producersObserve(s, besideWoken(s, cur, r.chans, fn), fn)
	if chansExcused {
		r = wokenSelects(info, r)
	}
	// So are struct fields' channels that close when the RPC ends.
	fieldsExcused := false
	if r.sleeps {
		r, fieldsExcused = s.fieldWakes(r, cur, fn)
	}
	waits := r.sleeps || len(r.chans) > 0 && !chansExcused
	if rng, ok := loop.(*ast.RangeStmt); ok {
		if s.fromSnapshot(rng.X) {
			return "", false // a snapshot iterator: see snapshotChan
		}
		if own := channelVar(info, rng.X); own != nil && !r.sleeps && producersObserve(s, append(r.chans, own), fn) {
			return "", false
		}
		return "loop over channel " + types.ExprString(rng.X), true
	}
	f := loop.(*ast.ForStmt)
	switch {
	case r.errExit && !waits:
		return "", false // iterates a finite source until its error (tail -f, which sleeps at the end, polls)
	case r.condWait:
		return "", false // blocked in sync.Cond.Wait, which no context check can wake
	case !waits && consumes(info, f):
		return "", false // walks finite data: reslices or follows a list
	case countedExit(info, f):
		return "", false // for i := 0; ; i++ { ... if i == n { break } }: counted
	case indexWalk(info, fn, f):
		return "", false // indexes fixed data with a counter it steps: bounded by its length
	case !waits && walksData(info, s.cache.decls, s.cursors(), fn, f, cur):
		return "", false // a bounded computation: see bounded.go
	case !waits && fixpoint(info, f, cur):
		return "", false // iterates a call to a fixed point: see fixpoint
	case !waits && casLoop(info, f, cur):
		return "", false // an optimistic update: see casLoop
	case !waits && sampling(info, f, cur):
		return "", false // rejection sampling of a fresh candidate: see sampling
	case drains(f):
		return "", false // empties a channel without blocking, then leaves
	}
	if timeBounded(info, f) {
		return "", false // a poll with a wall-clock deadline of its own: it ends by itself
	}
	loopCond, lifted := f.Cond, false
	if loopCond == nil && !stepsCounter(info, f) {
		// for { if c { break }; ... } is for !c { ... }: judged by its
		// condition, as the same loop written that way is, unless the
		// body steps a counter, which makes it a search over candidates
		// (for { if hash(i) == t { break }; i++ }).
		label := ""
		if l, ok := cur.Parent().Node().(*ast.LabeledStmt); ok {
			label = l.Label.Name
		}
		loopCond = leadingExit(f, label)
		lifted = loopCond != nil
	}
	cond := ast.Unparen(loopCond)
	if u, ok := cond.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		cond = ast.Unparen(u.X)
	}
	switch {
	case loopCond == nil || isTrue(info, loopCond):
		switch {
		case waits:
			return "polling loop", true
		case (chansExcused || fieldsExcused) && !r.sleeps:
			return "", false // blocks on channels that end with the RPC
		}
		return "loop", true
	case searchCond(info, cond) && !postCalls(info, f, cond) && !iteratorFlag(info, f, cond):
		return "search loop", true
	case waits:
		return "polling loop", true
	case isCall(cond) && (len(f.Body.List) == 0 || lifted && len(f.Body.List) == 1):
		return "busy-wait loop", true
	}
	return "", false
}

// isTrue reports whether e is the constant true: for true {} is for {}.
func isTrue(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.String() == "true"
}

// countedExit reports whether a loop without a condition counts: its post
// statement increments a variable that an if statement in the body
// compares, as one side of the comparison, with a value the loop does not
// change, before leaving the loop (for attempt := 1; ; attempt++ { ... if
// attempt == 3 { return err } }). A search that compares what it computes
// from the counter (for n := 0; ; n++ { if hash(n) == target { ... } })
// does not count: a loop without a condition is unbounded whatever its
// init and post.
func countedExit(info *types.Info, f *ast.ForStmt) bool {
	inc, ok := f.Post.(*ast.IncDecStmt)
	if !ok || f.Cond != nil {
		return false
	}
	id, ok := inc.X.(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := info.Uses[id].(*types.Var)
	if v == nil {
		return false
	}
	var lv *loopVars
	isV := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[x] == v
	}
	invariant := func(e ast.Expr) bool {
		if !callFree(info, e) {
			return false
		}
		if lv == nil {
			l := assignedIn(info, f)
			lv = &l
		}
		changes := false
		ast.Inspect(e, func(n ast.Node) bool {
			if x, ok := n.(*ast.Ident); ok {
				if w, ok := info.Uses[x].(*types.Var); ok && (lv.stepped[w] || lv.opaque[w]) {
					changes = true
				}
			}
			return !changes
		})
		return !changes
	}
	found := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		if b, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && leavesDirectly(ifs.Body) {
			switch b.Op {
			case token.EQL, token.GEQ, token.GTR, token.LEQ, token.LSS:
				found = isV(b.X) && invariant(b.Y) || isV(b.Y) && invariant(b.X)
			}
		}
		return !found
	})
	return found
}

// drains reports whether the loop body is a non-blocking receive that
// leaves the loop when nothing is ready: a select with a default clause
// that returns or breaks out, or that falls through to a break or return
// right after the select.
func drains(f *ast.ForStmt) bool {
	for i, st := range f.Body.List {
		sel, ok := st.(*ast.SelectStmt)
		if !ok {
			continue
		}
		for _, cc := range sel.Body.List {
			cc := cc.(*ast.CommClause)
			if cc.Comm != nil {
				continue
			}
			if leavesDirectly(&ast.BlockStmt{List: cc.Body}) {
				return true
			}
			if len(cc.Body) == 0 && i+1 < len(f.Body.List) && leavesDirectly(&ast.BlockStmt{List: f.Body.List[i+1 : i+2]}) {
				return true
			}
		}
	}
	return false
}

// leavesDirectly reports whether a block ends in a return, or in an
// unlabeled break that is not inside a switch or select of its own.
func leavesDirectly(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch last := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return last.Tok == token.BREAK && last.Label == nil
	}
	return false
}

// isFlag reports whether e is a boolean variable or field: for !found.
func isFlag(info *types.Info, e ast.Expr) bool {
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		b, ok := info.TypeOf(e).Underlying().(*types.Basic)
		return ok && b.Info()&types.IsBoolean != 0 && info.Types[e].Value == nil
	}
	return false
}

// channelVarDef returns the channel variable an assignment's left side
// names (defines or assigns), if any.
func channelVarDef(info *types.Info, e ast.Expr) *types.Var {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := info.ObjectOf(id).(*types.Var); ok && !v.IsField() && isChan(v.Type()) {
			return v
		}
	}
	return nil
}

// channelVar returns the local variable e names, if any.
func channelVar(info *types.Info, e ast.Expr) *types.Var {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
			return v
		}
	}
	return nil
}

func isCall(e ast.Expr) bool {
	_, ok := e.(*ast.CallExpr)
	return ok
}

// producersObserve reports whether each channel is fed by a goroutine,
// started in the function around the loop (or the handler it belongs to),
// that mentions the channel and observes cancellation: when the RPC ends the
// producer stops and closes the channel, which ends the loop.
func producersObserve(s *scanner, chans []*types.Var, fn ast.Node) bool {
	root := fn
	if h := s.m.HandlerOf(fn); h != nil {
		root = h.Func
	}
	return s.producersObserveIn(chans, root)
}

// producersObserveIn is producersObserve with the goroutines looked for in
// root. A goroutine that runs a named function (go receiveThread(con, ch))
// is judged by that function's body when it is declared in this package;
// one of another package is out of sight, and counts as observing (when
// unsure, stay silent). The answers rest on one walk of root, made the
// first time it is asked about (producerIndex).
func (s *scanner) producersObserveIn(chans []*types.Var, root ast.Node) bool {
	idx := s.producerIndexOf(root)
	for _, ch := range chans {
		if !idx.closed[ch] && !idx.observed[ch] {
			return false
		}
	}
	return true
}

// producerIndex says, for the channels of one function, which it closes
// (the handler's own code closes the channel, so a loop over it ends when
// the producers finish; the producers' loops are judged on their own) and
// which are mentioned by a goroutine it starts that observes cancellation.
type producerIndex struct {
	closed, observed map[*types.Var]bool
	// closedFields are the struct fields whose channel the function closes
	// (close(sws.closec)): a per-stream object's quit channel, which the
	// handler ends with the stream.
	closedFields map[*types.Var]bool
	// held: the channels each struct variable of the function holds (its
	// literal's fields, the copies taken out of it: noteHeld).
	held map[*types.Var][]*types.Var
}

// fieldOf returns the struct field e selects (sws.closec), if any.
func fieldOf(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
		return v.Origin()
	}
	return nil
}

// closedIn reports whether root's code closes the channel of field f.
func (s *scanner) closedIn(f *types.Var, root ast.Node) bool {
	return s.producerIndexOf(root).closedFields[f]
}

func (s *scanner) producerIndexOf(root ast.Node) *producerIndex {
	idx := s.cache.producers[root]
	if idx == nil {
		idx = s.newProducerIndex(root)
		s.cache.producers[root] = idx
	}
	return idx
}

func (s0 *scanner) newProducerIndex(root ast.Node) *producerIndex {
	info, m := s0.info, s0.m
	idx := &producerIndex{closed: make(map[*types.Var]bool), observed: make(map[*types.Var]bool),
		closedFields: make(map[*types.Var]bool)}
	cur, ok := m.Cursor(root)
	if !ok {
		return idx
	}
	s := s0.in(m.HandlerOf(root))
	held := make(map[*types.Var][]*types.Var)
	idx.held = held
	var carriers []*types.Var // struct variables an observing goroutine mentions
	for c := range cur.Preorder((*ast.CallExpr)(nil), (*ast.GoStmt)(nil), (*ast.AssignStmt)(nil)) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					noteHeld(info, held, n.Lhs[i], n.Rhs[i])
				}
			}
			// changes, errs := w.Watch(ctx, ...): whatever feeds the
			// channels a call given the request context returns knows
			// when the RPC ends (waitFinder.noteFed, for a range over
			// them too: permify's Watch handler).
			for i, r := range n.Rhs {
				lhs := n.Lhs
				if len(n.Lhs) == len(n.Rhs) {
					lhs = n.Lhs[i : i+1]
				}
				var chans []*types.Var
				for _, l := range lhs {
					if v := channelVarDef(info, l); v != nil {
						chans = append(chans, v)
					}
				}
				if call, ok := ast.Unparen(r).(*ast.CallExpr); ok && len(chans) > 0 && s.givenRPC(call) {
					for _, v := range chans {
						idx.observed[v] = true
					}
				}
			}
		case *ast.CallExpr:
			if ch := closeArg(info, n); ch != nil {
				if v := channelVar(info, ch); v != nil {
					idx.closed[v] = true
				} else if f := s0.chanField(ch); f != nil {
					idx.closedFields[f] = true
				}
			} else if decl := s0.cache.decls.of(lint.Callee(info, n)); decl != nil {
				// sws.close(), called by the handler, closes sws.closec.
				for _, f := range s0.fieldsClosedBy(decl) {
					idx.closedFields[f] = true
				}
			}
		case *ast.GoStmt:
			if !s.scan(c).observes && !goCalleeObserves(info, s, n, s.pkg) {
				continue
			}
			// A producer that observes cancellation and closes a struct
			// field's channel when it returns (istio's receiveDelta: defer
			// close(con.deltaReqChan), then Recv until the stream ends)
			// ends the waits on that channel with the RPC.
			for _, decl := range s0.goBodies(n) {
				for _, f := range s0.fieldsClosedBy(decl) {
					idx.closedFields[f] = true
				}
			}
			ast.Inspect(n, func(x ast.Node) bool {
				if id, ok := x.(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && isChan(v.Type()) {
						idx.observed[v] = true
					} else if v := carrierVar(info, id); v != nil {
						carriers = append(carriers, v) // go Plan(ctx, &resp): resp's channels
					}
				}
				return true
			})
		}
	}
	for _, v := range carriers {
		for _, ch := range held[v] {
			idx.observed[ch] = true
		}
	}
	return idx
}

// closeArg returns ch when call is close(ch).
func closeArg(info *types.Info, call *ast.CallExpr) ast.Expr {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && len(call.Args) == 1 {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "close" {
			return call.Args[0]
		}
	}
	return nil
}

// fieldsClosedBy returns the struct fields whose channels decl's body
// closes, computed once per function.
func (s *scanner) fieldsClosedBy(decl *ast.FuncDecl) []*types.Var {
	if s.cache.closes == nil {
		s.cache.closes = make(map[*ast.FuncDecl][]*types.Var)
	}
	fs, ok := s.cache.closes[decl]
	if ok {
		return fs
	}
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if ch := closeArg(s.info, call); ch != nil {
				if f := s.chanField(ch); f != nil {
					fs = append(fs, f)
				}
			}
		}
		return true
	})
	s.cache.closes[decl] = fs
	return fs
}

// goBodies returns the declarations of this package's functions that a go
// statement runs: the one it names, or those its literal calls directly.
func (s *scanner) goBodies(g *ast.GoStmt) []*ast.FuncDecl {
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		var out []*ast.FuncDecl
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if decl := s.cache.decls.of(lint.Callee(s.info, n)); decl != nil {
					out = append(out, decl)
				}
			}
			return true
		})
		return out
	}
	if decl := s.cache.decls.of(lint.Callee(s.info, g.Call)); decl != nil {
		return []*ast.FuncDecl{decl}
	}
	return nil
}

// goCalleeObserves reports whether the function a go statement runs by
// name observes cancellation: its body, for a function of pkg; true for a
// function declared elsewhere, whose body is out of sight.
func goCalleeObserves(info *types.Info, s *scanner, g *ast.GoStmt, pkg *types.Package) bool {
	fn := lint.Callee(info, g.Call)
	if _, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		// go func() { errc <- sws.recvLoop() }(): the functions of the
		// package the literal calls directly, judged by their bodies.
		return slices.ContainsFunc(s.goBodies(g), s.bodyObserves)
	}
	if fn == nil {
		return false // a func value
	}
	if fn.Pkg() != pkg {
		return true
	}
	decl := s.cache.decls.of(fn)
	return decl != nil && s.bodyObserves(decl)
}

// bodyObserves reports whether decl's body observes cancellation
// somewhere, computed once per function.
func (s *scanner) bodyObserves(decl *ast.FuncDecl) bool {
	if s.cache.observes == nil {
		s.cache.observes = make(map[*ast.FuncDecl]bool)
	}
	obs, ok := s.cache.observes[decl]
	if !ok {
		body, found := s.m.Cursor(decl.Body)
		obs = found && s.scan(body).observes
		s.cache.observes[decl] = obs
	}
	return obs
}

func (c *checker) reportLoop(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, l loopFinding) {
	ctx, ok := m.RequestContextExpr(h, l.loop)
	check := fmt.Sprintf("check %s.Err() or select on %s.Done() in the loop", ctx, ctx)
	if !ok {
		ctx = "the request context"
		check = "check its Err() or select on its Done() in the loop"
	}
	where := h.Describe()
	if lint.InGoStmt(l.cur, h.Func) {
		where = "goroutine started by " + where
	}
	ignored := ""
	switch {
	case l.scan.sentinel != "":
		ignored = fmt.Sprintf(" (only %s from %s leaves the loop)", l.scan.sentinel, l.scan.ignored)
	case l.scan.ignored != "":
		ignored = fmt.Sprintf(" (the error of %s is ignored)", l.scan.ignored)
	}
	d := analysis.Diagnostic{
		Pos:      l.loop.Pos(),
		End:      loopHeaderEnd(l.loop),
		Category: CategoryBlindLoop,
		Message: fmt.Sprintf("%s in %s never checks %s%s, so it keeps running after the RPC is cancelled or its deadline passes; %s",
			describeKind(l.kind, l.calls), where, ctx, ignored, check),
	}
	if ok {
		d.SuggestedFixes = c.insertCheck(pass, m, h, l, ctx)
	}
	lint.Report(pass, d)
}

// loopHeaderEnd is the end of the loop's header: the opening brace.
func loopHeaderEnd(loop ast.Stmt) token.Pos {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return l.Body.Lbrace
	case *ast.RangeStmt:
		return l.Body.Lbrace
	}
	return loop.End()
}

// consumes reports whether the loop advances over finite data on every
// iteration: its post statement or body assigns x = x[i:] (a string or
// slice shrinking from the front) or x = x.f (following a list).
func consumes(info *types.Info, f *ast.ForStmt) bool {
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			return !found
		}
		for i, lhs := range as.Lhs {
			id, ok := lhs.(*ast.Ident)
			if !ok {
				continue
			}
			v := info.Uses[id]
			switch r := ast.Unparen(as.Rhs[i]).(type) {
			case *ast.SliceExpr:
				if x, ok := ast.Unparen(r.X).(*ast.Ident); ok && info.Uses[x] == v && r.Low != nil && r.High == nil {
					found = true
				}
			case *ast.SelectorExpr:
				if x, ok := ast.Unparen(r.X).(*ast.Ident); ok && info.Uses[x] == v && types.Identical(info.TypeOf(r), info.TypeOf(x)) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// iteratorFlag reports whether cond, a flag, is the "more" result of an
// iterator's step: every assignment to it in the loop (none in a function
// literal) is item, cond = x.Next() (runtime.Frames.Next, a next function
// from iter.Pull), so for more { _, more = frames.Next() } iterates like
// for it.Next(), to the end of what it walks, rather than searching.
func iteratorFlag(info *types.Info, f *ast.ForStmt, cond ast.Expr) bool {
	id, ok := cond.(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := info.Uses[id].(*types.Var)
	if v == nil {
		return false
	}
	steps, other := 0, false
	check := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				ast.Inspect(n.Body, func(n ast.Node) bool {
					if x, ok := n.(*ast.Ident); ok && info.Uses[x] == v {
						other = true // what a literal does with it is not followed
					}
					return !other
				})
				return false
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if x, ok := ast.Unparen(l).(*ast.Ident); !ok || info.ObjectOf(x) != v {
						continue
					}
					if len(n.Lhs) == 2 && i == 1 && len(n.Rhs) == 1 && isNextCall(info, n.Rhs[0]) {
						steps++
					} else {
						other = true
					}
				}
			case *ast.UnaryExpr:
				if x, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[x] == v {
					other = true
				}
			}
			return !other
		})
	}
	if f.Post != nil {
		check(f.Post)
	}
	check(f.Body)
	return steps > 0 && !other
}

// isNextCall reports whether e calls a function or method named Next or
// next that returns an item and a bool.
func isNextCall(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	var name string
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = fun.Name
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	}
	if name != "Next" && name != "next" {
		return false
	}
	sig, ok := info.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok || sig.Results().Len() != 2 {
		return false
	}
	b, ok := sig.Results().At(1).Type().Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// postCalls reports whether the post statement assigns the flag cond from a
// call: for ok := true; ok; ok = it.Next() iterates like for it.Next().
func postCalls(info *types.Info, f *ast.ForStmt, cond ast.Expr) bool {
	as, ok := f.Post.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || !isCall(ast.Unparen(as.Rhs[0])) {
		return false
	}
	id, ok := cond.(*ast.Ident)
	if !ok {
		return false
	}
	for _, l := range as.Lhs {
		if l, ok := l.(*ast.Ident); ok && info.ObjectOf(l) == info.Uses[id] {
			return true
		}
	}
	return false
}

// isLoopCondition reports whether the call at cur is the condition of a
// for loop, or its negation: for it.Next() { ... }. Such a loop is judged
// by its shape, which takes the call for the iterator of finite results
// (rows.Next(), scanner.Scan()); a loop inside the iterator is one of its
// steps (skipping duplicates, refilling a buffer), not a loop of the
// caller's, and no fact about it is reported or passed on there.
func isLoopCondition(cur inspector.Cursor) bool {
	c := cur
	for {
		p := c.Parent()
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
			c = p
			continue
		case *ast.UnaryExpr:
			if n.Op == token.NOT {
				c = p
				continue
			}
		case *ast.ForStmt:
			return n.Cond != nil && n.Cond == c.Node()
		}
		return false
	}
}

// leadingExit returns the condition under which a for {} loop goes on when
// its body starts with if c { break } (no init, no else; break may name the
// loop's label): !c, with
// x != zero written x == zero so that a search for a value (for found ==
// "") reads the same either way. It returns nil for any other loop.
func leadingExit(f *ast.ForStmt, label string) ast.Expr {
	if f.Cond != nil || len(f.Body.List) == 0 {
		return nil
	}
	ifs, ok := f.Body.List[0].(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil || len(ifs.Body.List) != 1 {
		return nil
	}
	if br, ok := ifs.Body.List[0].(*ast.BranchStmt); !ok || br.Tok != token.BREAK || br.Label != nil && br.Label.Name != label {
		return nil
	}
	c := ast.Unparen(ifs.Cond)
	if b, ok := c.(*ast.BinaryExpr); ok && b.Op == token.NEQ {
		return &ast.BinaryExpr{X: b.X, OpPos: b.OpPos, Op: token.EQL, Y: b.Y}
	}
	if u, ok := c.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return u.X
	}
	return &ast.UnaryExpr{OpPos: c.Pos(), Op: token.NOT, X: c}
}

// timeBounded reports whether the loop leaves when a wall-clock deadline
// fixed before it passes: its condition or an if that leaves it tests
// time.Now().After(d), !time.Now().Before(d), time.Now().Before(d) as the
// condition, or time.Since(start) against a duration. Such a poll ends by
// itself; a context check would shorten it, not end a leak. A select on a
// timer of the loop's own is not such an exit: containerd/cri#44's
// waitContainerStop polled so until a two-minute timer fired, after the
// kubelet had given up, and the fix was the request context's Done.
func timeBounded(info *types.Info, f *ast.ForStmt) bool {
	if f.Cond != nil && isTimeTest(info, f.Cond) {
		return true
	}
	return someIf(f, func(ifs *ast.IfStmt) bool {
		return leavesDirectly(ifs.Body) && isTimeTest(info, ifs.Cond)
	})
}

// isTimeTest reports whether e compares the current time with a deadline
// (time.Now().After(d), time.Since(start) > d, and their negations or
// conjunctions).
func isTimeTest(info *types.Info, e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		return isTimeTest(info, u.X)
	}
	if b, ok := e.(*ast.BinaryExpr); ok {
		switch b.Op {
		case token.LAND, token.LOR:
			return isTimeTest(info, b.X) || isTimeTest(info, b.Y)
		case token.GTR, token.GEQ, token.LSS, token.LEQ:
			return isTimeCall(info, b.X, "Since", "Until") || isTimeCall(info, b.Y, "Since", "Until")
		}
		return false
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := lint.Callee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "time" || fn.Signature().Recv() == nil {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	now := isTimeCall(info, sel.X, "Now") || len(call.Args) == 1 && isTimeCall(info, call.Args[0], "Now")
	switch fn.Name() {
	case "After", "Before":
		return now
	}
	return false
}

// isTimeCall reports whether e is a call of one of package time's
// functions named.
func isTimeCall(info *types.Info, e ast.Expr, names ...string) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := lint.Callee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "time" || fn.Signature().Recv() != nil {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// stepsCounter reports whether the loop's body (outside function literals)
// increments or decrements a local variable: i++, n += 2.
func stepsCounter(info *types.Info, f *ast.ForStmt) bool {
	local := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		return ok && !v.IsField() && v.Parent() != v.Pkg().Scope()
	}
	found := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IncDecStmt:
			found = found || local(n.X)
		case *ast.AssignStmt:
			if (n.Tok == token.ADD_ASSIGN || n.Tok == token.SUB_ASSIGN) && len(n.Lhs) == 1 {
				found = found || local(n.Lhs[0])
			}
		}
		return !found
	})
	return found
}
