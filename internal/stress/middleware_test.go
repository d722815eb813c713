package stress_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fuzzgen"
)

// mwSrc is a package of context accessors in the style of an SDK's
// middleware stack (aws-sdk-go-v2's awsmiddleware and smithy-go's
// middleware): each With rewrites the context through one shared helper,
// each getter reads it; a handler interface whose method takes the
// context, and a resolver that does not.
const mwSrc = `package mw

import "context"

type stackKey struct{}

type values map[string]any

func withValue(ctx context.Context, k string, v any) context.Context {
	old, _ := ctx.Value(stackKey{}).(values)
	m := make(values, len(old)+1)
	for kk, vv := range old {
		m[kk] = vv
	}
	m[k] = v
	return context.WithValue(ctx, stackKey{}, m)
}

func value(ctx context.Context, k string) any {
	m, _ := ctx.Value(stackKey{}).(values)
	return m[k]
}

func WithLegacy(ctx context.Context, v bool) context.Context          { return withValue(ctx, "legacy", v) }
func Legacy(ctx context.Context) bool                                 { v, _ := value(ctx, "legacy").(bool); return v }
func WithName(ctx context.Context, v string) context.Context          { return withValue(ctx, "name", v) }
func Name(ctx context.Context) string                                 { v, _ := value(ctx, "name").(string); return v }
func WithSource(ctx context.Context, v int) context.Context           { return withValue(ctx, "source", v) }
func WithImmutable(ctx context.Context, v bool) context.Context       { return withValue(ctx, "immutable", v) }
func WithSigningRegion(ctx context.Context, v string) context.Context { return withValue(ctx, "signing", v) }
func WithPartition(ctx context.Context, v string) context.Context     { return withValue(ctx, "partition", v) }
func Region(ctx context.Context) string                               { v, _ := value(ctx, "region").(string); return v }
func Logger(ctx context.Context) any                                  { return value(ctx, "logger") }

type Input struct{ Request any }
type Output struct{ Result any }
type Metadata struct{ values map[any]any }

type Handler interface {
	Handle(ctx context.Context, in Input) (Output, Metadata, error)
}

type Request struct{ URL any }

type Options struct{ Logger any }

type Endpoint struct {
	URL, Name, Region, Partition string
	Source                       int
	Immutable                    bool
}

type Resolver interface {
	Resolve(region string, o Options) (Endpoint, error)
}

type NotFound struct{}

func (*NotFound) Error() string { return "endpoint not found" }
`

// middlewareMethod is the i-th middleware step of the stack: 30
// statements, nearly each of which rewrites its context or passes it (to
// the next handler, to a getter), the shape of aws-sdk-go-v2's generated
// (*ResolveEndpoint).HandleSerialize, one per service.
func middlewareMethod(b *strings.Builder, i int) {
	fmt.Fprintf(b, `type Step%[1]d struct {
	R mw.Resolver
	O mw.Options
}

func (*Step%[1]d) ID() string { return "Step%[1]d" }

func (s *Step%[1]d) Handle(ctx context.Context, in mw.Input, next mw.Handler) (out mw.Output, md mw.Metadata, err error) {
	if !mw.Legacy(ctx) {
		return next.Handle(ctx, in)
	}
	req, ok := in.Request.(*mw.Request)
	if !ok {
		return out, md, fmt.Errorf("step %[1]d: transport %%T", in.Request)
	}
	if s.R == nil {
		return out, md, errors.New("step %[1]d: no resolver")
	}
	o := s.O
	o.Logger = mw.Logger(ctx)
	var ep mw.Endpoint
	ep, err = s.R.Resolve(mw.Region(ctx), o)
	if err != nil {
		var nf *mw.NotFound
		if errors.As(err, &nf) {
			ctx = mw.WithLegacy(ctx, false)
			return next.Handle(ctx, in)
		}
		return out, md, fmt.Errorf("step %[1]d: resolve: %%w", err)
	}
	req.URL, err = url.Parse(ep.URL)
	if err != nil {
		return out, md, fmt.Errorf("step %[1]d: url: %%w", err)
	}
	if len(mw.Name(ctx)) == 0 {
		name := ep.Name
		if len(name) == 0 {
			name = "svc%[1]d"
		}
		ctx = mw.WithName(ctx, name)
	}
	ctx = mw.WithSource(ctx, ep.Source)
	ctx = mw.WithImmutable(ctx, ep.Immutable)
	ctx = mw.WithSigningRegion(ctx, ep.Region)
	ctx = mw.WithPartition(ctx, ep.Partition)
	return next.Handle(ctx, in)
}

`, i)
}

// middleware is the package mw and a package of n middleware steps.
func middleware(_ testing.TB, n int) []fuzzgen.Package {
	var b strings.Builder
	b.WriteString("package steps\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"fmt\"\n\t\"net/url\"\n\n\tmw \"example.com/fixtures/stress/mw\"\n)\n\n")
	for i := range n {
		middlewareMethod(&b, i)
	}
	return []fuzzgen.Package{
		{Path: fuzzgen.Module + "/stress/mw", Files: []fuzzgen.File{{Name: "mw.go", Src: []byte(mwSrc)}}},
		{Path: fuzzgen.Module + "/stress/steps", Files: []fuzzgen.File{{Name: "steps.go", Src: []byte(b.String())}}},
	}
}

// middlewareStmts counts the statements of one middleware step's Handle as
// internal/lint/functimes.go counts them: ast.Stmt nodes other than
// blocks.
func middlewareStmts(tb testing.TB) int {
	var b strings.Builder
	b.WriteString("package steps\n\n")
	middlewareMethod(&b, 0)
	f, err := parser.ParseFile(token.NewFileSet(), "steps.go", b.String(), 0)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "Handle" {
			ast.Inspect(fd, func(x ast.Node) bool {
				if _, ok := x.(ast.Stmt); ok {
					if _, block := x.(*ast.BlockStmt); !block {
						n++
					}
				}
				return true
			})
		}
	}
	return n
}

// middlewareSizes are the numbers of middleware steps BenchmarkMiddleware
// measures.
var middlewareSizes = []int{100, 300, 1000}

// TestMiddleware checks the middleware input once, at its smallest size:
// it type-checks, no analyzer fails, and nothing is reported (every step
// hands on the context it was given).
func TestMiddleware(t *testing.T) {
	if testing.Short() {
		t.Skip("loads grpc")
	}
	u, dir := universe(t)
	c := u.Check(dir, middleware(t, middlewareSizes[0]))
	if c.TypeErr != nil {
		t.Fatalf("input does not type-check: %v", c.TypeErr)
	}
	for _, r := range c.Results {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	for _, d := range c.Diagnostics() {
		t.Errorf("unexpected finding: %v", d)
	}
	t.Logf("%d statements a step; analysis %v CPU, %d allocations", middlewareStmts(t), c.AnalysisTime, c.Analysis)
}

// BenchmarkMiddleware measures the analysis of a package of n middleware
// steps shaped like aws-sdk-go-v2's HandleSerialize (issue 16's one
// remaining outlier in time per statement): the analysis's CPU time and
// allocations per step and per statement, flat across the sizes when the
// cost is linear.
func BenchmarkMiddleware(b *testing.B) {
	u, dir := universe(b)
	stmts := middlewareStmts(b)
	for _, n := range middlewareSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			prog := middleware(b, n)
			var c *fuzzgen.Check
			var analysis float64 // ns
			var allocs uint64
			for b.Loop() {
				c = u.Check(dir, prog)
				if c.TypeErr != nil {
					b.Fatal(c.TypeErr)
				}
				analysis += float64(c.AnalysisTime.Nanoseconds())
				allocs += c.Analysis
			}
			perFunc := analysis / float64(b.N) / float64(n)
			allocsPerFunc := float64(allocs) / float64(b.N) / float64(n)
			b.ReportMetric(perFunc, "analysis-cpu-ns/func")
			b.ReportMetric(perFunc/float64(stmts), "analysis-cpu-ns/stmt")
			b.ReportMetric(allocsPerFunc, "allocs/func")
			b.ReportMetric(allocsPerFunc/float64(stmts), "allocs/stmt")
		})
	}
}
