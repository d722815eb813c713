package ctxloop

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// A hand-off is a wait outside any loop: a send, in handler scope and
// outside a select, on a channel held in a struct field that the package
// makes only unbuffered and that no loop of the package receives from. The
// send waits for a receiver that comes once, if at all (a test that gave up
// on its own deadline, grpc-go#8911: the fake ORCA service's hand-off of
// each request); nothing wakes it when the RPC ends.
//
// Silent: a field made with a buffer anywhere, or whose making is out of
// sight (the package cannot tell whether the send waits); one that a loop
// receives from (a worker that is always there: the send waits for it to
// finish its current item, not for good); a local channel (the handler's
// own goroutines, judged at their loops); a send in a loop (the loop rules
// judge it).

// fieldChans indexes the channel fields of a package: how they are made and
// whether a loop receives from them. Built by one walk, on the first
// candidate send.
type fieldChans struct {
	unbuffered, buffered, consumed, sent map[*types.Var]bool
}

func newFieldChans(info *types.Info, in *inspector.Inspector) *fieldChans {
	fc := &fieldChans{unbuffered: make(map[*types.Var]bool), buffered: make(map[*types.Var]bool),
		consumed: make(map[*types.Var]bool), sent: make(map[*types.Var]bool)}
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
			if f := fieldOf(info, n.X); f != nil && n.Op == token.ARROW && inLoop(cur) {
				fc.consumed[f] = true
			}
		case *ast.RangeStmt:
			if f := fieldOf(info, n.X); f != nil {
				fc.consumed[f] = true
			}
		}
	}
	return fc
}

// inLoop reports whether cur lies in the body of a loop of its function.
func inLoop(cur inspector.Cursor) bool {
	for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncDecl, *ast.FuncLit:
			return false
		}
	}
	return false
}

// lazyFields builds a package's fieldChans on first use.
type lazyFields struct {
	info *types.Info
	in   *inspector.Inspector
	fc   *fieldChans
}

func (l *lazyFields) get() *fieldChans {
	if l.fc == nil {
		l.fc = newFieldChans(l.info, l.in)
	}
	return l.fc
}

// reportHandoffs reports the hand-offs in handler scope.
func (c *checker) reportHandoffs(pass *analysis.Pass, m *grpcctx.Model, sc *scopes, fields *lazyFields) {
	for cur := range m.Inspector().Root().Preorder((*ast.SendStmt)(nil)) {
		send := cur.Node().(*ast.SendStmt)
		f := fieldOf(pass.TypesInfo, send.Chan)
		if f == nil || isComm(cur) || inLoop(cur) {
			continue
		}
		h := sc.requestScope(cur)
		if h == nil {
			continue
		}
		fc := fields.get()
		if !fc.unbuffered[f] || fc.buffered[f] || fc.consumed[f] {
			continue
		}
		l := loopFinding{cur: cur, fn: grpcctx.EnclosingFuncOf(cur), h: h}
		c.reportWait(pass, m, l, wait{at: send, what: "send on " + types.ExprString(send.Chan)})
	}
}
