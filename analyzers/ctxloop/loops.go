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

// A loopScan is what one walk over a loop (condition, post statement and
// body, function literals included: when unsure, a check anywhere counts)
// finds out about it.
type loopScan struct {
	observes bool               // some path observes cancellation
	sleeps   bool               // time.Sleep, or a receive from a timer, a call or a field
	sleepAt  []ast.Node         // where it sleeps so
	sleepCur []inspector.Cursor // the cursor of each sleepAt: the call, the receive, or the range
	chans    []*types.Var       // local channel variables the loop receives from
	errExit  bool               // the error of a (non-stream) call leaves the loop
	ignored  string             // a stream operation whose error does not leave the loop
	sentinel string             // ... except when it is this named error (io.EOF)
	condWait bool               // the loop waits in sync.Cond.Wait
	wakes    []ast.Node         // where it observes: the calls and receives that do
}

type scanner struct {
	info *types.Info
	m    *grpcctx.Model
	// recv is the receiver of the handler whose scope is scanned: a
	// context in its fields (s.ctx) is the server's, not the request's.
	recv  *types.Var
	pkg   *types.Package
	cache *scanCache // shared by the copies in returns
	// snapshots holds the snapshotChan facts: functions that return a
	// channel filled once from data and closed.
	snapshots *lint.FactTable[snapshotChan, *snapshotChan]
	// accessors holds the chanAccessor facts: methods that return a
	// field's channel.
	accessors *lint.FactTable[chanAccessor, *chanAccessor]
}

// fromSnapshot reports whether e is a call of a function with the
// snapshotChan fact: a range over it ends with the data.
func (s *scanner) fromSnapshot(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := typeutil.StaticCallee(s.info, call)
	return fn != nil && s.snapshots.Has(fn.Origin())
}

// scanCache holds what a pass's scanners compute once.
type scanCache struct {
	servers   map[types.Type]bool                      // the receiver types of the package's handlers (serverType)
	producers map[ast.Node]*producerIndex              // per handler function
	closes    map[*ast.FuncDecl][]*types.Var           // the fields a function's body closes (fieldsClosedBy)
	observes  map[*ast.FuncDecl]bool                   // whether a function's body observes cancellation (bodyObserves)
	decls     funcDecls                                // the package's function declarations by object
	built     map[*grpcctx.Handler]map[*types.Var]bool // locals a handler builds on its stream or context (builtOnRPC)
	cursor    map[*ast.FuncDecl][]*types.Var           // the fields a cursor method steps (cursorFields)
}

// cursors returns the cache of cursorFields' answers.
func (s *scanner) cursors() map[*ast.FuncDecl][]*types.Var {
	if s.cache.cursor == nil {
		s.cache.cursor = make(map[*ast.FuncDecl][]*types.Var)
	}
	return s.cache.cursor
}

func newScanner(pass *analysis.Pass, m *grpcctx.Model) *scanner {
	return &scanner{info: pass.TypesInfo, m: m, pkg: pass.Pkg, cache: &scanCache{producers: make(map[ast.Node]*producerIndex), built: make(map[*grpcctx.Handler]map[*types.Var]bool), decls: indexDecls(pass.TypesInfo, m)}}
}

// in returns the scanner for loops in h's scope. The fields of the
// receiver of a handler are the server's; those of a stream function's
// receiver only when it is a server type too (one with handler methods):
// a per-stream object may well hold the stream's context.
func (s *scanner) in(h *grpcctx.Handler) *scanner {
	c := *s
	c.recv = nil
	if h != nil {
		if d, ok := h.Func.(*ast.FuncDecl); ok && d.Recv != nil && len(d.Recv.List) == 1 && len(d.Recv.List[0].Names) == 1 {
			c.recv, _ = s.info.Defs[d.Recv.List[0].Names[0]].(*types.Var)
			if c.recv != nil && h.Kind == grpcctx.ContextFunc && !s.serverType(c.recv.Type()) {
				c.recv = nil
			}
		}
	}
	return &c
}

// serverType reports whether t (or *t) is the receiver type of one of the
// package's handlers.
func (s *scanner) serverType(t types.Type) bool {
	if s.cache.servers == nil {
		s.cache.servers = make(map[types.Type]bool)
		for _, h := range s.m.Handlers() {
			if d, ok := h.Func.(*ast.FuncDecl); ok && d.Recv != nil && len(d.Recv.List) == 1 {
				if rt := s.info.TypeOf(d.Recv.List[0].Type); rt != nil {
					s.cache.servers[derefType(rt)] = true
				}
			}
		}
	}
	return s.cache.servers[derefType(t)]
}

func derefType(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// serverOwned reports whether e is reached through a field of the
// handler's receiver (s.ctx, s.quit): it lives as long as the server.
func (s *scanner) serverOwned(e ast.Expr) bool {
	if s.recv == nil {
		return false
	}
	through := false
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e, through = x.X, true
			continue
		case *ast.CallExpr:
			e = x.Fun
			continue
		case *ast.IndexExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.Ident:
			return through && s.info.Uses[x] == s.recv
		}
		return false
	}
}

// scan walks the loop at cur.
func (s *scanner) scan(cur inspector.Cursor) loopScan {
	var r loopScan
	loop := cur.Node()
	for c := range cur.Preorder() {
		before := len(r.sleepAt)
		switch n := c.Node().(type) {
		case *ast.CallExpr:
			s.call(c, n, loop, &r)
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !inNonBlockingSelect(c) {
				s.receive(n.X, &r)
			}
		case *ast.RangeStmt:
			if n != loop && isChan(s.info.TypeOf(n.X)) {
				s.receive(n.X, &r)
			}
		}
		for range len(r.sleepAt) - before {
			r.sleepCur = append(r.sleepCur, c)
		}
	}
	return r
}

func (s *scanner) call(c inspector.Cursor, call *ast.CallExpr, loop ast.Node, r *loopScan) {
	info := s.info
	fn := lint.Callee(info, call)
	if fn != nil && fn.Pkg() != nil {
		switch {
		case fn.FullName() == "(*sync.Cond).Wait":
			r.condWait = true
			return
		case lint.IsFunc(fn, "time", "Sleep"):
			r.sleeps = true
			r.sleepAt = append(r.sleepAt, call)
			return
		case lint.IsFunc(fn, "context", "Cause"):
			if len(call.Args) == 1 && s.live(call.Args[0]) {
				r.observe(call)
			}
			return
		}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn != nil && fn.Signature().Recv() != nil {
		recv := info.TypeOf(sel.X)
		switch {
		case (fn.Name() == "Err" || fn.Name() == "Done") && grpcctx.IsContextLike(recv):
			if s.live(sel.X) {
				r.observe(call)
			}
			return
		case isStreamOp(fn.Name()) && grpcctx.IsStreamLike(recv):
			if leaves, sentinel := errLeaves(info, c, loop, true); leaves {
				r.observe(call)
			} else if r.ignored == "" {
				r.ignored = types.ExprString(sel)
				r.sentinel = sentinel
			}
			return
		}
	}
	for _, use := range grpcctx.ContextArgs(info, call) {
		// A callee that only reads values from the context (metadata,
		// a span) cannot tell the loop about cancellation.
		if s.live(use.Arg) && !s.m.ReadsOnlyValues(use.Fn) {
			r.observe(call)
			return
		}
	}
	for _, a := range call.Args {
		if grpcctx.IsStreamLike(info.TypeOf(a)) && !s.serverOwned(a) {
			r.observe(call) // the stream, and its context, go to the callee
			return
		}
	}
	if returnsError(info, call) {
		if leaves, _ := errLeaves(info, c, loop, false); leaves {
			r.errExit = true
		}
	}
}

func (r *loopScan) observe(at ast.Node) {
	r.observes = true
	r.wakes = append(r.wakes, at)
}

// receive notes a receive from ch: a Done channel observes, a local
// channel variable may be excused by its producer, anything else waits.
func (s *scanner) receive(ch ast.Expr, r *loopScan) {
	ch = ast.Unparen(ch)
	if call, ok := ch.(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && grpcctx.IsContextLike(s.info.TypeOf(sel.X)) {
			return // the call itself is judged as a call
		}
	}
	if id, ok := ch.(*ast.Ident); ok {
		if v, ok := s.info.Uses[id].(*types.Var); ok {
			if s.m.IsDoneChannel(v) {
				r.observe(ch)
				return
			}
			if !v.IsField() && v.Parent() != v.Pkg().Scope() {
				r.chans = append(r.chans, v)
				return
			}
		}
	}
	r.sleeps = true
	r.sleepAt = append(r.sleepAt, ch)
}

// live reports whether ctx can be cancelled as far as the model knows: it is
// not detached (Background, TODO) and not deliberately detached
// (WithoutCancel), and not a field of the handler's receiver (s.ctx: the
// server's lifetime). Unknown counts as live: when unsure, stay silent.
func (s *scanner) live(ctx ast.Expr) bool {
	if s.serverOwned(ctx) {
		return false // the server's lifetime, not the request's
	}
	switch s.m.Origin(ctx).Root {
	case grpcctx.Detached, grpcctx.Deliberate:
		return false
	}
	return true
}

func isStreamOp(name string) bool {
	switch name {
	case "Send", "Recv", "SendMsg", "RecvMsg", "SendAndClose", "CloseAndRecv", "SendHeader":
		return true
	}
	return false
}

func isChan(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// returnsError reports whether call's last result is an error.
func returnsError(info *types.Info, call *ast.CallExpr) bool {
	t := info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok {
		if tuple.Len() == 0 {
			return false
		}
		t = tuple.At(tuple.Len() - 1).Type()
	}
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// errLeaves reports whether a failure of the call at c makes the program
// leave loop: its error variable is tested by the loop's condition, or by an
// if or switch in the loop that returns or breaks out of the loop on the
// error (not on success: if err == nil { return } is a retry loop). With
// stream, the call is a stream operation: a test for named errors only (err == io.EOF,
// errors.Is(err, io.EOF)) does not, since a cancelled stream fails with
// another error; sentinel then names the error that does leave. A call
// whose result is returned (return stream.Send(m)) is on a way out, and
// leaves whatever its error: it observes nothing.
func errLeaves(info *types.Info, c inspector.Cursor, loop ast.Node, stream bool) (leaves bool, sentinel string) {
	call := c.Node().(*ast.CallExpr)
	parent := c.Parent()
	var errVar *types.Var
	switch p := parent.Node().(type) {
	case *ast.ReturnStmt:
		return false, "" // return stream.Send(m) leaves whatever its error
	case *ast.BinaryExpr: // if stream.Send(m) != nil { ... }
		if ifs, ok := parent.Parent().Node().(*ast.IfStmt); ok && ifs.Cond == p {
			return onError(parent.Parent(), ifs, p, loop), ""
		}
		return false, ""
	case *ast.AssignStmt:
		if len(p.Rhs) != 1 || p.Rhs[0] != call {
			return false, ""
		}
		if id, ok := p.Lhs[len(p.Lhs)-1].(*ast.Ident); ok {
			errVar, _ = info.ObjectOf(id).(*types.Var)
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && p.Values[0] == call {
			errVar, _ = info.ObjectOf(p.Names[len(p.Names)-1]).(*types.Var)
		}
	}
	if errVar == nil {
		return false, ""
	}
	t := errTests{info: info, v: errVar, loop: loop, stream: stream}
	if f, ok := loop.(*ast.ForStmt); ok && f.Cond != nil && mentions(info, f.Cond, errVar) {
		return true, ""
	}
	// The error is tested where it is made: by the if statement whose init
	// makes it, or by the statements that follow in the same block.
	stmt := parent
	if _, ok := stmt.Node().(*ast.ValueSpec); ok {
		stmt = stmt.Parent() // GenDecl
		stmt = stmt.Parent() // DeclStmt
	}
	if ifs, ok := stmt.Parent().Node().(*ast.IfStmt); ok && ifs.Init == stmt.Node() {
		return t.ifLeaves(stmt.Parent(), ifs), t.sentinel
	}
	if sw, ok := stmt.Parent().Node().(*ast.SwitchStmt); ok && sw.Init == stmt.Node() {
		return t.switchLeaves(stmt.Parent(), sw), t.sentinel
	}
	// The statements after it, and, when it sits in a branch (if err =
	// stream.Send(m); ... else err = stream.SendMsg(m)), the statements
	// after the branch, up to the loop's body.
	for {
		for next, ok := stmt.NextSibling(); ok; next, ok = next.NextSibling() {
			switch n := next.Node().(type) {
			case *ast.IfStmt:
				if t.ifLeaves(next, n) {
					return true, ""
				}
			case *ast.SwitchStmt:
				if t.switchLeaves(next, n) {
					return true, ""
				}
			}
		}
		up, ok := enclosingStmt(stmt, loop)
		if !ok {
			return false, t.sentinel
		}
		stmt = up
	}
}

// enclosingStmt returns the statement of a block that holds the statement
// at c through an if statement or a block, stopping at loop's body.
func enclosingStmt(c inspector.Cursor, loop ast.Node) (inspector.Cursor, bool) {
	for p := c.Parent(); p.Node() != nil && p.Node() != loop; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.BlockStmt:
			continue
		case *ast.IfStmt:
			if _, inBlock := p.Parent().Node().(*ast.BlockStmt); inBlock {
				return p, true
			}
			continue // else if: its own if statement holds it
		}
		return inspector.Cursor{}, false
	}
	return inspector.Cursor{}, false
}

// errTests judges the tests of one error variable v.
type errTests struct {
	info     *types.Info
	v        *types.Var
	loop     ast.Node
	stream   bool   // only a test that covers unnamed failures counts
	sentinel string // a named error whose test leaves the loop
}

// The kinds of test of an error variable.
const (
	failure = iota // true on failures the code did not name: err != nil, err != io.EOF
	named          // true on named errors only: err == io.EOF, errors.Is(err, io.EOF)
	success        // true on success: err == nil
	unrelated
)

// kind classifies cond as a test of t.v; anything it does not recognise
// that mentions v counts as a failure test (when unsure, stay silent).
func (t *errTests) kind(cond ast.Expr) (int, ast.Expr) {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LOR, token.LAND:
			kx, ex := t.kind(c.X)
			ky, ey := t.kind(c.Y)
			switch {
			case kx == unrelated:
				return ky, ey
			case ky == unrelated:
				return kx, ex
			case c.Op == token.LOR && (kx == failure || ky == failure):
				return failure, nil
			case c.Op == token.LAND && kx == named:
				return named, ex
			case c.Op == token.LAND && ky == named:
				return named, ey
			}
			return kx, ex
		case token.EQL, token.NEQ:
			other := c.Y
			if !t.is(c.X) {
				if !t.is(c.Y) {
					break
				}
				other = c.X
			}
			switch {
			case c.Op == token.NEQ:
				return failure, nil
			case isNil(other):
				return success, nil
			}
			return named, other
		}
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			switch k, _ := t.kind(c.X); k {
			case named, success:
				return failure, nil
			case unrelated:
				return unrelated, nil
			}
			return success, nil
		}
	case *ast.CallExpr:
		if lint.IsFunc(lint.Callee(t.info, c), "errors", "Is", "As") && len(c.Args) == 2 && t.is(c.Args[0]) {
			return named, c.Args[1]
		}
	}
	if mentions(t.info, cond, t.v) {
		return failure, nil
	}
	return unrelated, nil
}

func (t *errTests) is(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && t.info.Uses[id] == t.v
}

// counts reports whether a test of kind k whose body leaves the loop makes
// a failure leave it, noting a named error that does.
func (t *errTests) counts(k int, name ast.Expr) bool {
	switch k {
	case failure:
		return true
	case named:
		if t.stream {
			if t.sentinel == "" && name != nil {
				t.sentinel = types.ExprString(name)
			}
			return false
		}
		return true
	}
	return false
}

// ifLeaves reports whether the if statement at d (and its else-if chain)
// leaves the loop on a failure.
func (t *errTests) ifLeaves(d inspector.Cursor, ifs *ast.IfStmt) bool {
	k, name := t.kind(ifs.Cond)
	switch k {
	case unrelated:
		return false
	case success:
		return ifs.Else != nil && exits(d, ifs.Else, t.loop)
	}
	if exits(d, ifs.Body, t.loop) && t.counts(k, name) {
		return true
	}
	if k == named {
		if elif, ok := ifs.Else.(*ast.IfStmt); ok {
			if c, ok := d.FindNode(elif); ok {
				return t.ifLeaves(c, elif)
			}
		} else if ifs.Else != nil && t.stream {
			return exits(d, ifs.Else, t.loop) // every other error
		}
	}
	return false
}

// switchLeaves reports whether the switch at d tests the error and leaves
// the loop on a failure.
func (t *errTests) switchLeaves(d inspector.Cursor, sw *ast.SwitchStmt) bool {
	tagged := sw.Tag != nil && mentions(t.info, sw.Tag, t.v)
	tested := tagged
	for _, cc := range sw.Body.List {
		for _, e := range cc.(*ast.CaseClause).List {
			tested = tested || mentions(t.info, e, t.v)
		}
	}
	if !tested {
		return false
	}
	if !t.stream || tagged && !t.is(sw.Tag) {
		return exits(d, sw.Body, t.loop) // as before: any exit counts
	}
	for _, cc := range sw.Body.List {
		cc := cc.(*ast.CaseClause)
		k, name := failure, ast.Expr(nil) // default: every error not named
		for i, e := range cc.List {
			ek, en := named, e
			switch {
			case tagged && isNil(e):
				ek, en = success, nil
			case !tagged:
				ek, en = t.kind(e)
			}
			if i == 0 || ek == failure || k == success || k == unrelated {
				k, name = ek, en // one failure case among named ones makes a failure clause
			}
		}
		if k != success && k != unrelated && exits(d, cc, t.loop) && t.counts(k, name) {
			return true
		}
	}
	return false
}

// onError reports whether the if statement at d leaves loop when its
// condition reports a failure: its body, unless the condition is
// "x == nil", in which case its else branch.
func onError(d inspector.Cursor, ifs *ast.IfStmt, cond ast.Expr, loop ast.Node) bool {
	if b, ok := ast.Unparen(cond).(*ast.BinaryExpr); ok && b.Op == token.EQL && (isNil(b.X) || isNil(b.Y)) {
		return ifs.Else != nil && exits(d, ifs.Else, loop)
	}
	return exits(d, ifs.Body, loop)
}

func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// mentions reports whether e refers to v.
func mentions(info *types.Info, e ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// exits reports whether the subtree n (below the cursor at) holds a
// statement that leaves loop: a return, a panic, a goto, or a break whose
// target is loop or a statement around it. Function literals are skipped.
func exits(at inspector.Cursor, n ast.Node, loop ast.Node) bool {
	cur, ok := at.FindNode(n)
	if !ok {
		return false
	}
	leaves := false
	cur.Inspect(nil, func(c inspector.Cursor) bool {
		switch s := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			leaves = true
		case *ast.CallExpr:
			if id, ok := ast.Unparen(s.Fun).(*ast.Ident); ok && id.Name == "panic" {
				leaves = true
			}
		case *ast.BranchStmt:
			switch s.Tok {
			case token.GOTO:
				leaves = true
			case token.BREAK:
				leaves = leaves || breaksOut(c, s, loop)
			}
		}
		return !leaves
	})
	return leaves
}

// breaksOut reports whether the break statement at c leaves loop.
func breaksOut(c inspector.Cursor, br *ast.BranchStmt, loop ast.Node) bool {
	for e := range c.Enclosing() {
		n := e.Node()
		if br.Label != nil {
			if l, ok := n.(*ast.LabeledStmt); ok && l.Label.Name == br.Label.Name {
				return l.Stmt == loop || l.Pos() <= loop.Pos() && loop.End() <= l.End()
			}
			continue
		}
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return n == loop
		}
	}
	return false
}

// inNonBlockingSelect reports whether the receive at c is the communication
// of a case of a select statement that has a default clause: it never waits.
func inNonBlockingSelect(c inspector.Cursor) bool {
	for e := range c.Enclosing((*ast.CommClause)(nil), (*ast.BlockStmt)(nil)) {
		cc, ok := e.Node().(*ast.CommClause)
		if !ok || cc.Comm == nil || c.Node().Pos() < cc.Comm.Pos() || c.Node().End() > cc.Comm.End() {
			return false
		}
		sel := e.Parent().Parent().Node().(*ast.SelectStmt)
		for _, st := range sel.Body.List {
			if st.(*ast.CommClause).Comm == nil {
				return true
			}
		}
		return false
	}
	return false
}
