package grpcctx

import (
	"fmt"
	"strings"
	"testing"
)

// Shapes of functions that rewrite a context n times before one call, for
// BenchmarkOrigin. Each returns the body of func f(ctx context.Context, c
// []bool, n int); the call is use(ctx).
type originShape struct {
	name string
	body func(n int) string
}

var originShapes = []originShape{
	// n sequential if/else, each branch rewriting ctx differently: 2^n
	// paths to the call.
	{"diamond", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "\tif c[%d] {\n\t\tctx = context.WithValue(ctx, key(%d), %d)\n\t} else {\n\t\tctx, _ = context.WithTimeout(ctx, time.Second)\n\t}\n", i, i, i)
		}
		return b.String()
	}},
	// n straight rewrites: ctx = f(ctx).
	{"chain", func(n int) string {
		var b strings.Builder
		for i := range n {
			if i%2 == 0 {
				fmt.Fprintf(&b, "\tctx = context.WithValue(ctx, key(%d), %d)\n", i, i)
			} else {
				b.WriteString("\tctx, _ = context.WithTimeout(ctx, time.Second)\n")
			}
		}
		return b.String()
	}},
	// one switch with n cases, each rewriting ctx, then n/4 diamonds
	// after it.
	{"switch", func(n int) string {
		var b strings.Builder
		b.WriteString("\tswitch n {\n")
		for i := range n {
			if i%2 == 0 {
				fmt.Fprintf(&b, "\tcase %d:\n\t\tctx = context.WithValue(ctx, key(%d), %d)\n", i, i, i)
			} else {
				fmt.Fprintf(&b, "\tcase %d:\n\t\tctx, _ = context.WithTimeout(ctx, time.Second)\n", i)
			}
		}
		b.WriteString("\t}\n")
		for i := range n / 4 {
			fmt.Fprintf(&b, "\tif c[%d] {\n\t\tctx = context.WithValue(ctx, key(%d), %d)\n\t} else {\n\t\tctx, _ = context.WithTimeout(ctx, time.Second)\n\t}\n", i, i, i)
		}
		return b.String()
	}},
	// n sequential loops, each rewriting ctx on a branch inside it.
	{"loop", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "\tfor i := 0; i < n; i++ {\n\t\tif c[i] {\n\t\t\tctx = context.WithValue(ctx, key(%d), i)\n\t\t} else {\n\t\t\tctx, _ = context.WithTimeout(ctx, time.Second)\n\t\t}\n\t}\n", i)
		}
		return b.String()
	}},
	// n stores to a struct field, each rewriting it from itself on a
	// branch: the field's value reads itself through every store.
	{"field", func(n int) string {
		var b strings.Builder
		b.WriteString("\ts := &holder{ctx: context.Background()}\n")
		for i := range n {
			fmt.Fprintf(&b, "\tif c[%d] {\n\t\ts.ctx = context.WithValue(s.ctx, key(%d), %d)\n\t} else {\n\t\ts.ctx, _ = context.WithTimeout(s.ctx, time.Second)\n\t}\n", i, i, i)
		}
		b.WriteString("\tctx = s.ctx\n")
		return b.String()
	}},
	// n nested function literals, each rewriting its own ctx on a branch
	// and calling the next with it.
	{"closure", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "\tfunc(ctx context.Context) {\n\tif c[%d] {\n\t\tctx = context.WithValue(ctx, key(%d), %d)\n\t} else {\n\t\tctx, _ = context.WithTimeout(ctx, time.Second)\n\t}\n", i, i, i)
		}
		b.WriteString("\tuse(ctx)\n")
		for range n {
			b.WriteString("\t}(ctx)\n")
		}
		return b.String()
	}},
}

func originSource(body string) string {
	return `package p

import (
	"context"
	"time"
)

type key int

type holder struct{ ctx context.Context }

func use(context.Context) {}

func f(ctx context.Context, c []bool, n int) {
` + body + `	use(ctx)
}
`
}

// BenchmarkOrigin measures building the Model of one function of each
// shape with 4, 16 and 64 rewrites and asking the origin of the context
// its call gets (the first query of a fresh Model: nothing cached).
func BenchmarkOrigin(b *testing.B) {
	for _, shape := range originShapes {
		for _, n := range originSizes {
			b.Run(fmt.Sprintf("%s/%d", shape.name, n), func(b *testing.B) {
				s := load(b, originSource(shape.body(n)))
				args := s.calls("use")
				b.ResetTimer()
				for b.Loop() {
					m := s.model(b)
					for _, a := range args {
						m.Origin(a)
					}
				}
			})
		}
	}
}

// originSizes are the numbers of rewrites the origin benchmarks measure.
var originSizes = []int{4, 16, 64}
