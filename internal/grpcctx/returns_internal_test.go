package grpcctx

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"go/ast"
	"go/types"
	"strings"
	"testing"
)

// helpersSrc is a package of functions that return contexts;
// wantReturned the returnedContext fact each must export ("" for none).
const helpersSrc = `package h

import (
	"context"
	"errors"
	"time"
)

type T struct{ ctx context.Context; cancel context.CancelFunc }

func Same(ctx context.Context) context.Context { return ctx }

func Second(n int, ctx context.Context) context.Context { return context.WithValue(ctx, n, n) }

func Bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, time.Second)
}

func Lock(ctx context.Context) (context.Context, func(), error) {
	lockCtx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if lockCtx.Err() != nil {
		return nil, nil, errors.New("locked")
	}
	return ctx, func() {}, nil
}

func Maybe(ctx context.Context, d time.Duration) context.Context {
	if d > 0 {
		ctx, _ = context.WithTimeout(ctx, d)
	}
	return ctx
}

func Fresh() context.Context { return context.TODO() }

func Kept(t *T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	return ctx
}

func Detach(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

func Field(t *T) context.Context { return t.ctx }

func Disagree(ctx context.Context, c bool) context.Context {
	if c {
		return context.Background()
	}
	return ctx
}

func Named(ctx context.Context) (out context.Context) {
	out = ctx
	return
}

func Two(ctx context.Context) (context.Context, context.Context) { return ctx, ctx }
`

var wantReturned = map[string]string{
	"Same":     "returnedContext(param 0)",
	"Second":   "returnedContext(param 1)",
	"Bounded":  "returnedContext(param 0 +deadline +cancel +may-deadline +may-cancel)",
	"Lock":     "returnedContext(param 0)",
	"Maybe":    "returnedContext(param 0 +may-deadline +may-cancel)",
	"Fresh":    "returnedContext(detached)",
	"Kept":     "returnedContext(detached +cancel +may-cancel +owned)",
	"Detach":   "returnedContext(deliberate)",
	"Field":    "",
	"Disagree": "",
	"Named":    "", // a bare return
	"Two":      "", // two contexts
}

// callerSrc calls the helpers from another package; its use calls get
// the origins of wantCallerOrigins, in order.
const callerSrc = `package p

import (
	"context"
	"time"

	"example.com/h"
)

func use(context.Context) {}

func f(ctx context.Context, t *h.T) {
	use(h.Same(context.Background()))
	use(h.Second(1, ctx))
	bctx, cancel := h.Bounded(ctx)
	defer cancel()
	use(bctx)
	lctx, unlock, _ := h.Lock(context.Background())
	defer unlock()
	use(lctx)
	use(h.Maybe(context.Background(), time.Second))
	use(h.Fresh())
	use(h.Kept(t))
	use(h.Detach(ctx))
	use(h.Field(t))
	use(h.Disagree(ctx, true))
	c2, _ := h.Bounded(context.Background())
	use(c2)
}

func keeps(t *h.T) context.CancelFunc {
	ctx, cancel := h.Bounded(context.Background())
	use(ctx)
	return cancel
}
`

var wantCallerOrigins = []string{
	"detached(context.Background())",
	"param(ctx)",
	"param(ctx) deadline cancel may-deadline may-cancel",
	"detached(context.Background())",
	"detached(context.Background()) may-deadline may-cancel",
	"detached(h.Fresh()) factory", // made detached on purpose by the helper
	"detached(h.Kept(t)) cancel may-cancel owned factory",
	"deliberate(h.Detach(ctx))",
	"unknown",
	"param(ctx) opaque", // no fact: an unknown derivation of its context argument
	"detached(context.Background()) deadline cancel may-deadline may-cancel",
	// The cancel function Bounded returns is kept by the caller.
	"detached(context.Background()) deadline cancel may-deadline may-cancel owned",
}

// TestReturnedContext checks the returnedContext facts a package exports
// and the origins its callers in another package get from them.
func TestReturnedContext(t *testing.T) {
	facts := make(factStore)
	h := loadPkg(t, "example.com/h", helpersSrc)
	h.modelWith(t, facts)
	for _, d := range h.files[0].Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		want, ok := wantReturned[fd.Name.Name]
		if !ok {
			t.Fatalf("no wantReturned for %s", fd.Name.Name)
		}
		var got []string
		for _, f := range facts[h.info.Defs[fd.Name]] {
			if f, ok := f.(*returnedContext); ok {
				got = append(got, f.String())
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: fact %q, want %q", fd.Name.Name, got, want)
		}
		// Small and deterministic, as a modular driver stores it.
		for _, f := range facts[h.info.Defs[fd.Name]] {
			var b1, b2 bytes.Buffer
			if err := gob.NewEncoder(&b1).Encode(f); err != nil {
				t.Fatalf("%s: fact %s does not gob-encode: %v", fd.Name.Name, f, err)
			}
			gob.NewEncoder(&b2).Encode(f)
			if !bytes.Equal(b1.Bytes(), b2.Bytes()) || b1.Len() > 200 {
				t.Errorf("%s: fact %s encodes to %d bytes, then to %d (want the same bytes, at most 200)", fd.Name.Name, f, b1.Len(), b2.Len())
			}
		}
	}

	p := loadPkg(t, "example.com/p", callerSrc, h)
	args, _ := useArgs(p)
	if len(args) != len(wantCallerOrigins) {
		t.Fatalf("%d use calls, %d wanted origins", len(args), len(wantCallerOrigins))
	}
	m := p.modelWith(t, facts)
	for i, a := range args {
		if got := describeOrigin(m.Origin(a)); got != wantCallerOrigins[i] {
			t.Errorf("use(%s): got %q, want %q", types.ExprString(a), got, wantCallerOrigins[i])
		}
	}
	// Without the facts (a driver that runs no analyzer on h), the
	// helpers are unknown derivations, as before.
	m = p.model(t)
	if got := describeOrigin(m.Origin(args[0])); got != "detached(context.Background()) opaque" {
		t.Errorf("without facts: use(%s): got %q", types.ExprString(args[0]), got)
	}
}

// BenchmarkOriginFacts measures the fact path: a helper package whose two
// functions return the context they are given, one after n diamonds, and
// a caller with n diamonds that call them, for n = 4, 16 and 64. It builds
// both Models (the helper's exports the facts, the caller's reads them)
// and asks for the origin of the context the caller's call gets.
func BenchmarkOriginFacts(b *testing.B) {
	for _, n := range originSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var hb, pb strings.Builder
			hb.WriteString("package h\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\ntype key int\n\n")
			hb.WriteString("func F(ctx context.Context, c []bool) context.Context {\n")
			hb.WriteString(originShapes[0].body(n))
			hb.WriteString("\treturn ctx\n}\n\n")
			hb.WriteString("func G(ctx context.Context) (context.Context, context.CancelFunc) {\n\treturn context.WithTimeout(ctx, time.Second)\n}\n")
			pb.WriteString("package p\n\nimport (\n\t\"context\"\n\n\t\"example.com/h\"\n)\n\nfunc use(context.Context) {}\n\n")
			pb.WriteString("func f(ctx context.Context, c []bool) {\n")
			for i := range n {
				fmt.Fprintf(&pb, "\tif c[%d] {\n\t\tctx = h.F(ctx, c)\n\t} else {\n\t\tctx, _ = h.G(ctx)\n\t}\n", i)
			}
			pb.WriteString("\tuse(ctx)\n}\n")
			hs := loadPkg(b, "example.com/h", hb.String())
			ps := loadPkg(b, "example.com/p", pb.String(), hs)
			args := ps.calls("use")
			b.ResetTimer()
			for b.Loop() {
				facts := make(factStore)
				hs.modelWith(b, facts)
				m := ps.modelWith(b, facts)
				for _, a := range args {
					if o := m.Origin(a); o.Root != Param || !o.MayDeadline || o.Deadline {
						b.Fatalf("origin %s", describeOrigin(o))
					}
				}
			}
		})
	}
}
