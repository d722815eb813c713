package grpcctx

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
	"testing"
)

// originSrc holds small functions whose every use(x) call is asked for
// the origin of x; wantOrigins says what each must be, function by
// function, in source order.
const originSrc = `package p

import (
	"context"
	"time"
)

type key int

type server struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func use(context.Context) {}

func wrap(ctx context.Context) context.Context

func chain(ctx context.Context) {
	ctx = context.WithValue(ctx, key(0), 0)
	use(ctx)
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	use(ctx)
	ctx = context.WithValue(ctx, key(1), 1)
	use(ctx)
}

func bothBranches(ctx context.Context, c bool) {
	var cancel context.CancelFunc
	if c {
		ctx, cancel = context.WithTimeout(ctx, time.Second)
	} else {
		ctx, cancel = context.WithDeadline(ctx, time.Now())
	}
	defer cancel()
	use(ctx)
}

func oneBranch(ctx context.Context, c bool) {
	if c {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Second)
		defer cancel()
		use(ctx)
	}
	use(ctx)
}

func diamonds(ctx context.Context, c []bool) {
	if c[0] {
		ctx = context.WithValue(ctx, key(0), 0)
	} else {
		ctx, _ = context.WithTimeout(ctx, time.Second)
	}
	use(ctx)
	if c[1] {
		ctx, _ = context.WithCancel(ctx)
	} else {
		ctx, _ = context.WithTimeout(ctx, time.Second)
	}
	use(ctx)
}

func detachedRoots(c bool) {
	ctx := context.Background()
	use(ctx)
	if c {
		ctx = context.TODO()
	}
	use(ctx)
}

func rootsDisagree(ctx context.Context, c bool) {
	bg := context.Background()
	if c {
		bg = ctx
	}
	use(bg)
}

func loopValue(keys []string) {
	ctx := context.Background()
	for _, k := range keys {
		ctx = context.WithValue(ctx, key(0), k)
		use(ctx)
	}
	use(ctx)
}

func loopTimeout(n int) {
	ctx := context.Background()
	for i := 0; i < n; i++ {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Second)
		use(ctx)
		cancel()
	}
	use(ctx)
}

func loopDiamond(ctx context.Context, c []bool) {
	for i := range c {
		if c[i] {
			ctx, _ = context.WithTimeout(ctx, time.Second)
		} else {
			ctx, _ = context.WithDeadline(ctx, time.Now())
		}
		use(ctx)
	}
	use(ctx)
}

func nestedLoops(ctx context.Context, c [][]bool) {
	for i := range c {
		for j := range c[i] {
			if c[i][j] {
				ctx = context.WithValue(ctx, key(j), j)
			}
		}
		ctx, _ = context.WithCancel(ctx)
	}
	use(ctx)
}

func switchDefault(ctx context.Context, n int) {
	switch n {
	case 0:
		ctx, _ = context.WithTimeout(ctx, time.Second)
	case 1:
		ctx, _ = context.WithDeadline(ctx, time.Now())
	default:
		ctx, _ = context.WithTimeoutCause(ctx, time.Second, nil)
	}
	use(ctx)
}

func switchNoDefault(ctx context.Context, n int) {
	switch n {
	case 0:
		ctx, _ = context.WithTimeout(ctx, time.Second)
	case 1:
		ctx, _ = context.WithDeadline(ctx, time.Now())
	}
	use(ctx)
}

func captured() {
	ctx := context.Background()
	refresh := func() {
		ctx, _ = context.WithTimeout(ctx, time.Second)
		use(ctx)
	}
	refresh()
	use(ctx)
}

func literal(ctx context.Context, c bool) {
	func(ctx context.Context) {
		if c {
			ctx, _ = context.WithTimeout(ctx, time.Second)
		}
		use(ctx)
	}(ctx)
	use(ctx)
}

func owned(s *server) {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	use(ctx)
}

func opaque(ctx context.Context, c bool) {
	if c {
		ctx = wrap(ctx)
	}
	use(ctx)
}

func field(s *server) {
	use(s.ctx)
	ctx := s.ctx
	ctx, _ = context.WithTimeout(ctx, time.Second)
	use(ctx)
}

func deliberate(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	use(ctx)
	ctx, _ = context.WithTimeout(ctx, time.Second)
	use(ctx)
}

// component holds its lifetime, made in its constructor, and rewrites it
// from itself.
type component struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newComponent() *component {
	ctx, cancel := context.WithCancel(context.Background())
	return &component{ctx: ctx, cancel: cancel}
}

func (c *component) tag() { c.ctx = context.WithValue(c.ctx, key(0), 0) }

func (c *component) componentField() {
	use(c.ctx)
	ctx, _ := context.WithTimeout(c.ctx, time.Second)
	use(ctx)
}

// handed gets its context from a parameter of its unexported
// constructor, whose one caller passes context.TODO().
type handed struct{ ctx context.Context }

func newHanded(ctx context.Context) *handed { return &handed{ctx} }

func startHanded() *handed { return newHanded(context.TODO()) }

func (h *handed) handedField() { use(h.ctx) }

// callerSet is set from an exported function's parameter too: its callers
// are not all in view.
type callerSet struct{ ctx context.Context }

func NewCallerSet(ctx context.Context) *callerSet { return &callerSet{ctx: ctx} }

func newCallerSet() *callerSet { return &callerSet{ctx: context.Background()} }

func (c *callerSet) callerSetField() { use(c.ctx) }

// escaped's constructor is also used as a function value.
type escaped struct{ ctx context.Context }

func newEscaped(ctx context.Context) *escaped { return &escaped{ctx: ctx} }

var makeEscaped = newEscaped

func startEscaped() *escaped { return newEscaped(context.Background()) }

func (e *escaped) escapedField() { use(e.ctx) }

// addressed's field has its address taken.
type addressed struct{ ctx context.Context }

func newAddressed() *addressed {
	a := &addressed{ctx: context.Background()}
	p := &a.ctx
	_ = p
	return a
}

func (a *addressed) addressedField() { use(a.ctx) }
`

// The origins, as describeOrigin writes them.
var wantOrigins = map[string][]string{
	"chain": {
		"param(ctx)",
		"param(ctx) deadline cancel may-deadline may-cancel",
		"param(ctx) deadline cancel may-deadline may-cancel",
	},
	// Both branches add a deadline: on every path.
	"bothBranches": {"param(ctx) deadline cancel may-deadline may-cancel"},
	// One branch adds it: on some path only, after the if.
	"oneBranch": {
		"param(ctx) deadline cancel may-deadline may-cancel",
		"param(ctx) may-deadline may-cancel",
	},
	"diamonds": {
		"param(ctx) may-deadline may-cancel",
		"param(ctx) cancel may-deadline may-cancel",
	},
	"detachedRoots": {
		"detached(context.Background())",
		"detached(?)", // two calls: At is nil
	},
	"rootsDisagree": {"unknown"},
	"loopValue": {
		"detached(context.Background())",
		"detached(context.Background())",
	},
	// Inside the loop every path went through WithTimeout; after it, the
	// loop may have run no time.
	"loopTimeout": {
		"detached(context.Background()) deadline cancel may-deadline may-cancel",
		"detached(context.Background()) may-deadline may-cancel",
	},
	"loopDiamond": {
		"param(ctx) deadline cancel may-deadline may-cancel",
		"param(ctx) may-deadline may-cancel",
	},
	"nestedLoops":     {"param(ctx) may-cancel"},
	"switchDefault":   {"param(ctx) deadline cancel may-deadline may-cancel"},
	"switchNoDefault": {"param(ctx) may-deadline may-cancel"},
	// Assigned inside a closure: the join of all definitions, wherever read.
	"captured": {
		"detached(context.Background()) may-deadline may-cancel",
		"detached(context.Background()) may-deadline may-cancel",
	},
	"literal": {
		"param(ctx) may-deadline may-cancel",
		"param(ctx)",
	},
	"owned":  {"detached(context.Background()) cancel may-cancel owned"},
	"opaque": {"param(ctx) opaque"},
	"field":  {"unknown", "unknown"},
	// Fields: the join of what the package stores in them.
	"componentField": {
		"detached(context.Background()) cancel may-cancel owned",
		"detached(context.Background()) deadline cancel may-deadline may-cancel owned",
	},
	"handedField":    {"detached(context.TODO())"},
	"callerSetField": {"unknown"},
	"escapedField":   {"unknown"},
	"addressedField": {"unknown"},
	"deliberate": {
		"deliberate(context.WithoutCancel(ctx))",
		"deliberate(context.WithoutCancel(ctx)) deadline cancel may-deadline may-cancel",
	},
}

// describeOrigin writes o as wantOrigins does: the root, with the call
// that made it or the variable it is, then the flags that are set.
func describeOrigin(o Origin) string {
	var b strings.Builder
	b.WriteString(o.Root.String())
	switch o.Root {
	case Detached, Deliberate:
		if o.At == nil {
			b.WriteString("(?)")
		} else {
			b.WriteString("(" + types.ExprString(o.At) + ")")
		}
	case Param, Request:
		if o.Var == nil {
			b.WriteString("(?)")
		} else {
			b.WriteString("(" + o.Var.Name() + ")")
		}
	}
	for _, name := range flagNames(o.Deadline, o.Cancel, o.MayDeadline, o.MayCancel, o.Opaque, o.Owned) {
		b.WriteString(" " + name)
	}
	if o.Factory {
		b.WriteString(" factory")
	}
	return b.String()
}

// useArgs returns the argument of every use call in s, with the name of
// the function declaration it is in.
func useArgs(s *source) (args []ast.Expr, funcs []string) {
	for _, d := range s.files[0].Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "use" {
					args = append(args, c.Args[0])
					funcs = append(funcs, fd.Name.Name)
				}
			}
			return true
		})
	}
	return args, funcs
}

// TestOriginFlags checks the every-path and some-path flags of Origin on
// small functions, and that they do not depend on the order of the
// queries: a value solved for one query is kept for the next, so asking in
// another order, or one use alone, must give the same answers.
func TestOriginFlags(t *testing.T) {
	s := load(t, originSrc)
	args, funcs := useArgs(s)
	var want []string
	seen := make(map[string]bool)
	for _, fn := range funcs {
		if seen[fn] {
			continue
		}
		seen[fn] = true
		w, ok := wantOrigins[fn]
		if !ok {
			t.Fatalf("no wantOrigins for %s", fn)
		}
		want = append(want, w...)
	}
	if len(want) != len(args) {
		t.Fatalf("%d use calls, %d wanted origins", len(args), len(want))
	}
	check := func(order string, m *Model, i int) {
		if got := describeOrigin(m.Origin(args[i])); got != want[i] {
			t.Errorf("%s: %s: use(%s) at %s: got %q, want %q", order, funcs[i],
				types.ExprString(args[i]), s.fset.Position(args[i].Pos()), got, want[i])
		}
	}
	forward := s.model(t)
	for i := range args {
		check("in source order", forward, i)
	}
	backward := s.model(t)
	for i := len(args) - 1; i >= 0; i-- {
		check("in reverse order", backward, i)
	}
	for i := range args {
		check("alone", s.model(t), i)
	}
}

// TestOriginSolvesOnce checks that every node of the origin equations is
// solved once however many paths reach it: with n diamonds before a call,
// the first query meets a number of nodes linear in n, and evaluates
// again only inside loops.
func TestOriginSolvesOnce(t *testing.T) {
	nodes := func(shape string, n int) (met, rounds int) {
		i := slices.IndexFunc(originShapes, func(s originShape) bool { return s.name == shape })
		s := load(t, originSource(originShapes[i].body(n)))
		m := s.model(t)
		q := newQuery(m)
		for _, a := range s.calls("use") {
			q.expr(a)
		}
		return len(q.slots), q.rounds
	}
	for _, shape := range []string{"diamond", "chain", "switch", "loop", "closure", "field"} {
		m8, r8 := nodes(shape, 8)
		m16, r16 := nodes(shape, 16)
		m32, r32 := nodes(shape, 32)
		// Linear: doubling n adds the same number of nodes each time.
		if m32-m16 != 2*(m16-m8) || r32-r16 != 2*(r16-r8) {
			t.Errorf("%s: nodes met %d, %d, %d and rounds %d, %d, %d for n = 8, 16, 32: not linear",
				shape, m8, m16, m32, r8, r16, r32)
		}
		// A field rewritten from itself is a loop too: its value is
		// evaluated again a bounded number of times, whatever n.
		if shape == "field" && r32 != r8 {
			t.Errorf("field: %d rounds for n = 8, %d for n = 32, want the same", r8, r32)
		}
		if shape != "loop" && shape != "field" && r32 != 0 {
			t.Errorf("%s: %d rounds of evaluation without a loop, want 0", shape, r32)
		}
	}
}
