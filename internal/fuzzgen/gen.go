// Package fuzzgen generates type-correct gRPC programs from a byte string,
// for fuzzing grpccancelcheck's analyzers, and checks them against a
// dependency graph loaded once (Universe).
//
// A program is two packages of the fixture module: helper, whose
// functions (a context deriver, one that returns a context and its cancel
// function, an RPC caller, a detached caller, a spinning loop, mutually
// recursive functions, a range-over-func iterator, a channel iterator
// that may be a snapshot, a generic function constrained to
// context.Context) give the second package facts to import, and svc: the
// four handlers of the real generated Echo service (generic or pre-generic
// generated code), a unary and a stream interceptor, a client-side
// function and a function with a context parameter. The server has a
// context field, set in its literal, through a constructor or not at all,
// and a request channel, made unbuffered, buffered or out of sight,
// served by a worker for good, by one that can return, or by none, with
// methods that send on it and receive from it; an interface of the package
// has one implementation. Each package also gets package-level
// declarations before its functions (contexts, a context and its cancel
// function declared together, function literals in variables, a function
// over an alias of context.Context, init functions, goroutine bodies that
// feed a channel). Bodies come from a small grammar: context definitions
// (Background, TODO, WithValue, WithTimeout, WithCancel, WithDeadline,
// WithoutCancel, the request context, stream.Context(), the server's
// field, metadata, errgroup), reassignments of contexts and of the field
// under branches, if/switch/for/range/select/labels/goto, go/defer,
// closures, channel and stream operations, local channels with the
// goroutine that feeds them (a literal or a function of the package) and
// their consumer, sends and receives on the server's channel, RPCs, calls
// into helper, into the package's own package-level functions and through
// its interface.
//
// The byte string is a tape of choices: each byte picks an alternative,
// and a used-up tape picks the first one, which never nests, so every
// string gives a program, and its size grows at most linearly with the
// string's length.
package fuzzgen

import (
	"fmt"
	"go/format"
	"slices"
	"sort"
	"strings"
)

// Module is the import path of the fixture module the programs belong to.
const Module = "example.com/fixtures"

// Paths of the generated packages.
const (
	HelperPath = Module + "/fuzz/helper"
	SvcPath    = Module + "/fuzz/svc"
)

// Imports lists every package a generated program may import: the
// Universe to check programs against must contain them.
var Imports = []string{
	"context", "errors", "iter", "time",
	"google.golang.org/grpc", "google.golang.org/grpc/codes", "google.golang.org/grpc/metadata",
	"google.golang.org/grpc/status", "golang.org/x/sync/errgroup",
	Module + "/pb/echo", Module + "/pb/echov13",
}

const maxDepth = 5

type gen struct {
	tape    []byte
	pos     int
	n       int             // fresh-name counter
	imports map[string]bool // import paths used by the file being written
	v13     bool            // pre-generic generated code (pb/echov13)
	copies  int             // copies of each function body (Repeat)
	pkgCtxs []string        // package-level contexts of the file being written
	locals  []string        // calls of its package-level functions; %s is a context
	workers []string        // package-level functions of (ch chan int, n int), a goroutine's work
	runner  bool            // the interface runner is declared before the function being written
}

// pick consumes one choice among n alternatives; 0 once the tape is used up.
func (g *gen) pick(n int) int {
	if g.pos >= len(g.tape) {
		return 0
	}
	b := g.tape[g.pos]
	g.pos++
	return int(b) % n
}

func (g *gen) fresh(prefix string) string {
	g.n++
	return fmt.Sprintf("%s%d", prefix, g.n)
}

func (g *gen) use(path string) { g.imports[path] = true }

// A scope is what a statement may use.
type scope struct {
	ctxs     []string // context-typed expressions in scope
	assign   []string // context variables that may be reassigned
	stream   *stream  // the server stream, if any
	client   string   // an EchoClient expression
	ret      func(err string) string
	loop     bool     // inside a loop of this function: break and continue are allowed
	breakOK  bool     // inside a loop, switch or select: break is allowed
	labels   []string // enclosing labeled loops of this function
	depth    int
	receiver bool // a method of server: s is in scope
}

type stream struct {
	name       string
	send, recv bool
	generic    bool // a grpc.ServerStream (interceptor): SendMsg/RecvMsg
}

// returnsErr reports whether the function's return statements return an
// error.
func (sc *scope) returnsErr() bool { return strings.Contains(sc.ret("ERR"), "ERR") }

func (sc *scope) child() *scope {
	c := *sc
	c.ctxs = slices.Clip(sc.ctxs)
	c.assign = slices.Clip(sc.assign)
	c.labels = slices.Clip(sc.labels)
	c.depth++
	return &c
}

// closure returns the scope of a function literal's body: captured
// contexts, no loop, no labels, its own results.
func (sc *scope) closure(ret func(string) string) *scope {
	c := sc.child()
	c.loop, c.breakOK, c.labels, c.ret = false, false, nil, ret
	return c
}

func retErr(err string) string { return "return " + err }
func retNone(string) string    { return "return" }
func retNil(err string) string { return "return nil, " + err }
func retZero(v string) func(string) string {
	return func(string) string { return "return " + v }
}

// Generate returns the program tape describes.
func Generate(tape []byte) []Package { return Repeat(tape, 1) }

// Repeat returns the program tape describes with each function body k
// times, each copy in a block of its own with fresh names: its work must
// grow about k-fold.
func Repeat(tape []byte, k int) []Package {
	g := &gen{tape: tape, copies: max(k, 1)}
	g.v13 = g.pick(2) == 1
	helper := g.helper()
	svc := g.svc()
	return []Package{
		{Path: HelperPath, Files: []File{{Name: "helper.go", Src: helper}}},
		{Path: SvcPath, Files: []File{{Name: "svc.go", Src: svc}}},
	}
}

func (g *gen) pbPath() string {
	if g.v13 {
		return Module + "/pb/echov13"
	}
	return Module + "/pb/echo"
}

// file assembles a file from its package clause and body, importing what
// the body used.
func (g *gen) file(pkg, body string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "// Package %s is generated by fuzzgen.\npackage %s\n\nimport (\n", pkg, pkg)
	paths := make([]string, 0, len(g.imports))
	for p := range g.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		switch p {
		case g.pbPath():
			fmt.Fprintf(&b, "\tpb %q\n", p)
		default:
			fmt.Fprintf(&b, "\t%q\n", p)
		}
	}
	b.WriteString(")\n\n")
	b.WriteString(body)
	src := []byte(b.String())
	if out, err := format.Source(src); err == nil {
		return out
	}
	return src
}

func (g *gen) helper() []byte {
	g.imports = map[string]bool{"context": true}
	g.use(g.pbPath())
	var b strings.Builder
	b.WriteString("type key struct{}\n\nvar events = make(chan int, 1)\n\n")
	b.WriteString(g.pkgDecls(""))
	client := func(name string) string { return name }

	// Derive returns a context: its returned-context fact.
	sc := &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: "", ret: retZero("ctx")}
	body := g.body(sc)
	ret := [...]string{"ctx", "context.WithValue(ctx, key{}, 1)", "context.Background()", "context.WithoutCancel(ctx)"}[g.pick(4)]
	fmt.Fprintf(&b, "// Derive returns a context derived from ctx, or not.\nfunc Derive(ctx context.Context) context.Context {\n\tn := 1\n\t_ = n\n%s\treturn %s\n}\n\n", body, ret)

	// Call passes its context to an RPC: ctxdeadline's parameter fact.
	sc = &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: client("c"), ret: retErr}
	body = g.body(sc)
	fmt.Fprintf(&b, "// Call makes an RPC on ctx.\nfunc Call(ctx context.Context, c pb.EchoClient) error {\n\tn := 1\n\t_ = n\n%s\t_, err := c.Unary(%s, &pb.Msg{})\n\treturn err\n}\n\n", body, g.ctxExpr(sc, 0))

	// Detached has no context of its own: ctxdetach's detached-call fact.
	sc = &scope{client: "c", ret: retErr}
	body = g.body(sc)
	fmt.Fprintf(&b, "// Detached makes an RPC on a context of its own.\nfunc Detached(c pb.EchoClient) error {\n\tn := 1\n\t_ = n\n%s\t_, err := c.Unary(%s, &pb.Msg{})\n\treturn err\n}\n\n", body, g.ctxExpr(sc, 0))

	// Spin takes no context and may loop: ctxloop's blind-loop fact.
	sc = &scope{client: "", ret: retZero("n")}
	body = g.body(sc)
	fmt.Fprintf(&b, "// Spin works on n.\nfunc Spin(n int) int {\n%s\tfor n > 1 {\n\t\tn = n / 2\n\t}\n\treturn n\n}\n\n", body)

	// Even and Odd call each other: facts reach a fixed point.
	sc = &scope{client: "", ret: retZero("false")}
	body = g.body(sc)
	fmt.Fprintf(&b, "// Even and Odd recurse into each other.\nfunc Even(n int) bool {\n\tif n <= 0 {\n\t\treturn true\n\t}\n%s\treturn Odd(n - 1)\n}\n\n", body)
	b.WriteString("func Odd(n int) bool {\n\tif n <= 0 {\n\t\treturn false\n\t}\n\treturn Even(n - 1)\n}\n\n")

	// Ping takes a context and returns nothing.
	sc = &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, ret: retNone}
	body = g.body(sc)
	fmt.Fprintf(&b, "// Ping uses ctx.\nfunc Ping(ctx context.Context) {\n\tn := 2\n\t_ = n\n%s}\n\n", body)

	// Seq is a range-over-func iterator.
	g.use("iter")
	sc = &scope{ret: retNone}
	body = g.body(sc)
	fmt.Fprintf(&b, "// Seq yields 0..n-1.\nfunc Seq(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n%s\t\tfor i := range n {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\n\n", body)

	// DeriveCancel returns a context and its cancel function: the
	// returned-context fact with what the body adds (a deadline, a
	// cancel), or a detached one.
	dc := "return context.WithCancel(ctx)"
	switch g.pick(4) {
	case 1:
		g.use("time")
		dc = "c, cancel := context.WithTimeout(ctx, time.Second)\n\treturn c, cancel"
	case 2:
		dc = "return context.WithCancel(context.Background())"
	case 3:
		dc = "c, cancel := context.WithCancel(Derive(ctx))\n\treturn c, cancel"
	}
	fmt.Fprintf(&b, "// DeriveCancel returns a context derived from ctx, or not, and its cancel function.\nfunc DeriveCancel(ctx context.Context) (context.Context, context.CancelFunc) {\n\t%s\n}\n\n", dc)

	// Snapshot returns a channel of n values: closed and sized by the
	// data (ctxloop's snapshotChan fact), or not.
	snap := [...]string{
		"ch := make(chan int, n)\n\tfor i := range n {\n\t\tch <- i\n\t}\n\tclose(ch)\n\treturn ch",
		"ch := make(chan int, n)\n\tgo fill(ch, n)\n\treturn ch",
		"ch := make(chan int)\n\tgo fill(ch, n)\n\treturn ch",
		"ch := make(chan int, n)\n\tgo func() {\n\t\tfor i := range n {\n\t\t\tch <- i\n\t\t}\n\t}()\n\treturn ch",
	}[g.pick(4)]
	fmt.Fprintf(&b, "// Snapshot yields 0..n-1 on a channel.\nfunc Snapshot(n int) <-chan int {\n\t%s\n}\n\nfunc fill(ch chan int, n int) {\n\tfor i := range n {\n\t\tch <- i\n\t}\n\tclose(ch)\n}\n\n", snap)

	// Use is generic over a context type.
	b.WriteString("// Use makes an RPC on a context of any context type.\nfunc Use[C context.Context](c C, cl pb.EchoClient) error {\n\t_, err := cl.Unary(c, &pb.Msg{})\n\treturn err\n}\n")
	return g.file("helper", b.String())
}

func (g *gen) svc() []byte {
	g.imports = map[string]bool{"context": true, "google.golang.org/grpc": true, HelperPath: true}
	g.use(g.pbPath())
	var b strings.Builder
	b.WriteString("type key struct{}\n\nvar (\n\tclient pb.EchoClient\n\tconn   *grpc.ClientConn\n\tevents = make(chan int, 1)\n\t_      = helper.Odd\n)\n\n")
	b.WriteString(g.pkgDecls("client"))
	b.WriteString("type server struct {\n\tpb.UnimplementedEchoServer\n\tc      pb.EchoClient\n\tcancel context.CancelFunc\n\tctx    context.Context\n\treqs   chan int\n\tquit   chan struct{}\n}\n\n")
	b.WriteString(g.serverDecls())

	streamType := func(generic, legacy string) string {
		if g.v13 {
			return "pb." + legacy
		}
		return generic
	}
	// Unary handler.
	sc := &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: "s.c", ret: retNil, receiver: true}
	body := g.body(sc)
	fmt.Fprintf(&b, "func (s *server) Unary(ctx context.Context, req *pb.Msg) (*pb.Msg, error) {\n\tn := int(req.N)\n\t_ = n\n%s\treturn &pb.Msg{}, nil\n}\n\n", body)

	st := &stream{name: "stream", send: true}
	sc = &scope{ctxs: []string{"stream.Context()"}, client: "s.c", ret: retErr, stream: st, receiver: true}
	body = g.body(sc)
	fmt.Fprintf(&b, "func (s *server) ServerStream(req *pb.Msg, stream %s) error {\n\tn := int(req.N)\n\t_ = n\n%s\treturn nil\n}\n\n",
		streamType("grpc.ServerStreamingServer[pb.Msg]", "Echo_ServerStreamServer"), body)

	st = &stream{name: "stream", recv: true}
	sc = &scope{ctxs: []string{"stream.Context()"}, client: "s.c", ret: retErr, stream: st, receiver: true}
	body = g.body(sc)
	fmt.Fprintf(&b, "func (s *server) ClientStream(stream %s) error {\n\tn := 3\n\t_ = n\n%s\treturn stream.SendAndClose(&pb.Msg{})\n}\n\n",
		streamType("grpc.ClientStreamingServer[pb.Msg, pb.Msg]", "Echo_ClientStreamServer"), body)

	st = &stream{name: "stream", send: true, recv: true}
	sc = &scope{ctxs: []string{"stream.Context()"}, client: "s.c", ret: retErr, stream: st, receiver: true}
	body = g.body(sc)
	fmt.Fprintf(&b, "func (s *server) Bidi(stream %s) error {\n\tn := 3\n\t_ = n\n%s\treturn nil\n}\n\n",
		streamType("grpc.BidiStreamingServer[pb.Msg, pb.Msg]", "Echo_BidiServer"), body)

	sc = &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: "client", ret: retNil}
	body = g.body(sc)
	fmt.Fprintf(&b, "func unaryInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {\n\tn := len(info.FullMethod)\n\t_ = n\n%s\treturn handler(ctx, req)\n}\n\n", body)

	st = &stream{name: "ss", send: true, recv: true, generic: true}
	sc = &scope{ctxs: []string{"ss.Context()"}, client: "client", ret: retErr, stream: st}
	body = g.body(sc)
	fmt.Fprintf(&b, "func streamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {\n\tn := len(info.FullMethod)\n\t_ = n\n%s\treturn handler(srv, ss)\n}\n\n", body)
	b.WriteString("var _ = []grpc.ServerOption{grpc.UnaryInterceptor(unaryInterceptor), grpc.StreamInterceptor(streamInterceptor)}\n\n")

	sc = &scope{client: "client", ret: retErr}
	body = g.body(sc)
	fmt.Fprintf(&b, "// CallOut is client-side code without a request context.\nfunc CallOut(n int) error {\n%s\treturn nil\n}\n\n", body)

	sc = &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: "client", ret: retErr}
	body = g.body(sc)
	fmt.Fprintf(&b, "// WithCtx takes its caller's context.\nfunc WithCtx(ctx context.Context, n int) error {\n%s\treturn nil\n}\n", body)
	return g.file("svc", b.String())
}

// serverDecls returns the declarations around the server type: Register,
// which makes the server directly or through an unexported constructor
// (the context field's value then comes from the constructor's callers),
// with its request channel made unbuffered, buffered or not at all (in
// the literal or in a local it stores), and the server's context set or
// not; a worker method that serves the channel for the process's life,
// one that can return, one that leaves on the quit signal alone, or none; the
// methods that send on and receive from the channel outside any select
// (ctxloop's blocks fact), and an interface of the package with one
// implementation (what may run for its method).
func (g *gen) serverDecls() string {
	var b strings.Builder
	g.use("context")
	reqs := [...]string{"", ", reqs: make(chan int)", ", reqs: make(chan int, 1)"}[g.pick(3)]
	var srv string
	switch g.pick(3) {
	case 0:
		srv = "&server{c: client" + reqs + ", quit: make(chan struct{})}"
	case 1:
		srv = "&server{c: client, ctx: " + g.ctxExpr(&scope{}, 0) + reqs + ", quit: make(chan struct{})}"
	case 2:
		if reqs != "" && g.pick(2) == 1 { // made in a local the literal stores
			fmt.Fprintf(&b, "func newServer(ctx context.Context) *server {\n\tin := %s\n\treturn &server{c: client, ctx: ctx, reqs: in, quit: make(chan struct{})}\n}\n\n", reqs[len(", reqs: "):])
		} else {
			fmt.Fprintf(&b, "func newServer(ctx context.Context) *server {\n\treturn &server{c: client, ctx: ctx%s, quit: make(chan struct{})}\n}\n\n", reqs)
		}
		srv = "newServer(" + g.ctxExpr(&scope{}, 0) + ")"
	}
	start := ""
	switch g.pick(5) {
	case 1: // serves for good: a send waits only for its backlog
		b.WriteString("func (s *server) serve() {\n\tfor r := range s.reqs {\n\t\t_ = r\n\t}\n}\n\n")
		start = "\tgo srv.serve()\n"
	case 2:
		b.WriteString("func (s *server) serve() {\n\tfor {\n\t\tr, ok := <-s.reqs\n\t\tif !ok {\n\t\t\treturn\n\t\t}\n\t\t_ = r\n\t}\n}\n\n")
		start = "\tgo srv.serve()\n"
	case 3: // can return on its own: serves nobody for sure
		b.WriteString("func (s *server) serve() {\n\tfor {\n\t\tselect {\n\t\tcase r := <-s.reqs:\n\t\t\t_ = r\n\t\tcase <-events:\n\t\t\treturn\n\t\t}\n\t}\n}\n\n")
		start = "\tgo srv.serve()\n"
	case 4: // leaves on the quit signal alone: a send in a select on it waits for the backlog
		b.WriteString("func (s *server) serve() {\n\tfor {\n\t\tselect {\n\t\tcase r := <-s.reqs:\n\t\t\t_ = r\n\t\tcase <-s.quit:\n\t\t\treturn\n\t\t}\n\t}\n}\n\n")
		start = "\tgo srv.serve()\n"
	}
	fmt.Fprintf(&b, "// Register registers the service.\nfunc Register(g *grpc.Server) {\n\tsrv := %s\n%s\tpb.RegisterEchoServer(g, srv)\n}\n\n", srv, start)
	b.WriteString("func (s *server) push(n int) {\n\ts.reqs <- n\n}\n\nfunc (s *server) pull() int {\n\treturn <-s.reqs\n}\n\n")
	sc := &scope{client: "client", ret: retZero("n")}
	fmt.Fprintf(&b, "type runner interface {\n\trun(n int) int\n}\n\ntype spinner struct{}\n\nfunc (spinner) run(n int) int {\n%sreturn n\n}\n\n", g.body(sc))
	// Later functions may call run: only a later declaration refers to an
	// earlier one (see pkgDecls).
	g.runner = true
	return b.String()
}

// pkgDecls returns up to three package-level declarations, before any
// function of the file: a context, a context and its cancel function
// declared together (var c, stop = context.WithCancel(...)), a function
// literal held in a variable, a function over an alias of context.Context,
// a function without a context, an init function and a variable
// initialized by calling a literal. Their contexts join every later
// function's scope (g.pkgCtxs, see ctxExpr) and their functions may be
// called by later statements (g.locals); only a later declaration refers
// to an earlier one, so no initialization cycle arises. client is the package's EchoClient variable, or
// "".
func (g *gen) pkgDecls(client string) string {
	g.pkgCtxs, g.locals, g.workers, g.runner = nil, nil, nil, false
	var b strings.Builder
	withN := func(body string) string { return "n := 1\n_ = n\n" + body }
	for range g.pick(4) {
		switch g.pick(8) {
		case 0: // a context
			v := g.fresh("pc")
			fmt.Fprintf(&b, "var %s = %s\n\n", v, g.ctxExpr(&scope{}, 0))
			g.pkgCtxs = append(g.pkgCtxs, v)
		case 1: // a context and its cancel function, together
			g.use("context")
			v, stop := g.fresh("pc"), g.fresh("pstop")
			parent := g.ctxExpr(&scope{}, 0)
			if g.pick(2) == 1 {
				g.use("time")
				fmt.Fprintf(&b, "var %s, %s = context.WithTimeout(%s, time.Minute)\n\n", v, stop, parent)
			} else {
				fmt.Fprintf(&b, "var %s, %s = context.WithCancel(%s)\n\n", v, stop, parent)
			}
			g.pkgCtxs = append(g.pkgCtxs, v)
		case 2: // a function literal in a variable
			g.use("context")
			f := g.fresh("pf")
			sc := &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: client, ret: retErr}
			fmt.Fprintf(&b, "var %s = func(ctx context.Context) error {\n%sreturn nil\n}\n\n", f, withN(g.body(sc)))
			g.locals = append(g.locals, f+"(%s)")
		case 3: // a function over an alias of context.Context
			g.use("context")
			t, f := g.fresh("Ctx"), g.fresh("pa")
			sc := &scope{ctxs: []string{"ctx"}, assign: []string{"ctx"}, client: client, ret: retErr}
			fmt.Fprintf(&b, "type %s = context.Context\n\nfunc %s(ctx %s, n int) error {\n%sreturn nil\n}\n\n", t, f, t, g.body(sc))
			g.locals = append(g.locals, f+"(%s, n)")
		case 4: // a function without a context
			f := g.fresh("pw")
			sc := &scope{assign: slices.Clone(g.pkgCtxs), client: client, ret: retZero("n")}
			fmt.Fprintf(&b, "func %s(n int) int {\n%sreturn n\n}\n\n", f, g.body(sc))
			g.locals = append(g.locals, f+"(n)")
		case 5: // an init function
			sc := &scope{client: client, ret: retNone}
			fmt.Fprintf(&b, "func init() {\n%s}\n\n", withN(g.body(sc)))
		case 6: // a variable initialized by calling a literal
			v := g.fresh("pv")
			sc := &scope{client: client, ret: retZero("1")}
			fmt.Fprintf(&b, "var %s = func() int {\n%sreturn 1\n}()\n\n", v, withN(g.body(sc)))
		case 7: // a goroutine's work: feeds a channel, closes it or not
			f := g.fresh("pk")
			sc := &scope{client: client, ret: retNone}
			end := [...]string{"ch <- n\n", "ch <- n\nclose(ch)\n", "for i := range n {\nch <- i\n}\nclose(ch)\n", "defer close(ch)\nfor {\nch <- n\n}\n"}[g.pick(4)]
			fmt.Fprintf(&b, "func %s(ch chan int, n int) {\n%s%s}\n\n", f, g.body(sc), end)
			g.workers = append(g.workers, f)
		}
	}
	return b.String()
}

// body returns a function's body, each copy in a block of its own. The
// declarations of a body stay inside it: sc is not changed.
func (g *gen) body(sc *scope) string {
	start, end := g.pos, g.pos
	var b strings.Builder
	for range g.copies {
		g.pos = start
		b.WriteString("{\n" + g.block(sc.child()) + "}\n")
		end = g.pos
	}
	g.pos = end
	return b.String()
}

// block returns up to three statements, each ending in a newline.
func (g *gen) block(sc *scope) string {
	var b strings.Builder
	for range g.pick(4) {
		b.WriteString(g.stmt(sc))
	}
	return b.String()
}

func (g *gen) nested(sc *scope) string {
	if sc.depth >= maxDepth {
		return ""
	}
	return g.block(sc.child())
}

func (g *gen) cond(sc *scope) string {
	switch g.pick(4) {
	case 1:
		return g.ctxExpr(sc, 1) + ".Err() != nil"
	case 2:
		return "n%2 == 0"
	case 3:
		return "len(events) > 0"
	}
	return "n > 1"
}

// ctxExpr returns an expression of type context.Context.
func (g *gen) ctxExpr(sc *scope, depth int) string {
	parent := func() string {
		if depth >= 2 {
			if len(sc.ctxs) > 0 {
				return sc.ctxs[0]
			}
			g.use("context")
			return "context.Background()"
		}
		return g.ctxExpr(sc, depth+1)
	}
	switch g.pick(11) {
	case 1:
		g.use("context")
		return "context.Background()"
	case 2:
		g.use("context")
		return "context.TODO()"
	case 3: // a context in scope, or at package level
		if all := append(slices.Clip(sc.ctxs), g.pkgCtxs...); len(all) > 0 {
			return all[g.pick(len(all))]
		}
	case 4:
		return "context.WithValue(" + parent() + ", key{}, 1)"
	case 5:
		return "context.WithoutCancel(" + parent() + ")"
	case 6:
		if g.imports[HelperPath] {
			return "helper.Derive(" + parent() + ")"
		}
	case 7:
		if sc.stream != nil {
			return sc.stream.name + ".Context()"
		}
	case 8:
		g.use("google.golang.org/grpc/metadata")
		return "metadata.NewOutgoingContext(" + parent() + ", metadata.MD{})"
	case 9:
		g.use("google.golang.org/grpc/metadata")
		return "metadata.AppendToOutgoingContext(" + parent() + ", \"k\", \"v\")"
	case 10: // the server's context field
		if sc.receiver {
			return "s.ctx"
		}
	}
	if len(sc.ctxs) > 0 {
		return sc.ctxs[0]
	}
	g.use("context")
	return "context.Background()"
}

func (g *gen) clientExpr(sc *scope) string {
	if sc.client != "" {
		return sc.client
	}
	return ""
}

// rangeLoop returns a range loop over x, with a body.
func (g *gen) rangeLoop(sc *scope, x string) string {
	v := g.fresh("v")
	c := sc.child()
	c.loop, c.breakOK = true, true
	return fmt.Sprintf("for %s := range %s {\n_ = %s\n%s}\n", v, x, v, g.nested(c))
}

// stmt returns one statement (possibly several lines) and may add the
// variables it declares to sc.
func (g *gen) stmt(sc *scope) string {
	const n = 34
	switch g.pick(n) {
	case 1: // a context variable
		v := g.fresh("c")
		s := fmt.Sprintf("%s := %s\n_ = %s\n", v, g.ctxExpr(sc, 0), v)
		sc.ctxs = append(sc.ctxs, v)
		sc.assign = append(sc.assign, v)
		return s
	case 2: // a context with a cancel function
		g.use("context")
		v, cancel := g.fresh("c"), g.fresh("cancel")
		var def string
		switch g.pick(4) {
		case 0:
			g.use("time")
			def = fmt.Sprintf("%s, %s := context.WithTimeout(%s, time.Second)\n", v, cancel, g.ctxExpr(sc, 0))
		case 1:
			def = fmt.Sprintf("%s, %s := context.WithCancel(%s)\n", v, cancel, g.ctxExpr(sc, 0))
		case 2:
			g.use("time")
			def = fmt.Sprintf("%s, %s := context.WithDeadline(%s, time.Now().Add(time.Second))\n", v, cancel, g.ctxExpr(sc, 0))
		case 3:
			g.use("time")
			g.use("errors")
			def = fmt.Sprintf("%s, %s := context.WithTimeoutCause(%s, time.Second, errors.New(\"slow\"))\n", v, cancel, g.ctxExpr(sc, 0))
		}
		var use string
		switch g.pick(4) {
		case 0:
			use = "defer " + cancel + "()\n"
		case 1:
			use = "_ = " + cancel + "\n"
		case 2:
			g.use("time")
			use = fmt.Sprintf("go func() {\n<-time.After(time.Second)\n%s()\n}()\n", cancel)
		case 3:
			if sc.receiver {
				use = "s.cancel = " + cancel + "\n"
			} else {
				use = "defer " + cancel + "()\n"
			}
		}
		sc.ctxs = append(sc.ctxs, v)
		sc.assign = append(sc.assign, v)
		return def + "_ = " + v + "\n" + use
	case 3: // a context rewritten, possibly under a branch
		if len(sc.assign) == 0 {
			break
		}
		v := sc.assign[g.pick(len(sc.assign))]
		s := fmt.Sprintf("%s = %s\n", v, g.ctxExpr(sc, 0))
		if g.pick(2) == 1 {
			return "if " + g.cond(sc) + " {\n" + s + "}\n"
		}
		return s
	case 4:
		s := "if " + g.cond(sc) + " {\n" + g.nested(sc) + "}"
		if g.pick(2) == 1 {
			s += " else {\n" + g.nested(sc) + "}"
		}
		return s + "\n"
	case 5:
		c := sc.child()
		c.breakOK = true
		return "switch n % 3 {\ncase 0:\n" + g.nested(c) + "case 1:\n" + g.nested(c) + "default:\n" + g.nested(c) + "}\n"
	case 6: // counted loop
		i := g.fresh("i")
		c := sc.child()
		c.loop, c.breakOK = true, true
		return fmt.Sprintf("for %s := 0; %s < n; %s++ {\n_ = %s\n%s}\n", i, i, i, i, g.nested(c))
	case 7: // a loop without condition, labeled or not
		c := sc.child()
		c.loop, c.breakOK = true, true
		if g.pick(2) == 1 {
			l := g.fresh("L")
			c.labels = append(c.labels, l)
			return fmt.Sprintf("%s:\nfor {\n%sif %s {\nbreak %s\n}\n}\n", l, g.nested(c), g.cond(sc), l)
		}
		return fmt.Sprintf("for {\n%sif %s {\nbreak\n}\n}\n", g.nested(c), g.cond(sc))
	case 8: // range over an integer
		i := g.fresh("i")
		c := sc.child()
		c.loop, c.breakOK = true, true
		return fmt.Sprintf("for %s := range 10 {\n_ = %s\n%s}\n", i, i, g.nested(c))
	case 9: // range over a channel
		return g.rangeLoop(sc, "events")
	case 10: // range over a function
		if !g.imports[HelperPath] {
			break
		}
		return g.rangeLoop(sc, "helper.Seq(n)")
	case 11:
		g.use("time")
		v := g.fresh("v")
		c := sc.child()
		c.breakOK = true
		ctx := g.ctxExpr(sc, 0)
		return fmt.Sprintf("select {\ncase <-%s.Done():\n%s\ncase %s := <-events:\n_ = %s\n%scase <-time.After(time.Millisecond):\n%s}\n",
			ctx, sc.ret(ctx+".Err()"), v, v, g.nested(c), g.nested(c))
	case 12: // goto backwards
		l := g.fresh("L")
		return fmt.Sprintf("%s:\nevents <- 1\nif %s {\ngoto %s\n}\n", l, g.cond(sc), l)
	case 13:
		c := sc.closure(retNone)
		return "go func() {\n" + g.nested(c) + "}()\n"
	case 14:
		c := sc.closure(retNone)
		return "defer func() {\n" + g.nested(c) + "}()\n"
	case 15: // a closure taking a context
		f, p := g.fresh("f"), g.fresh("cp")
		g.use("context")
		c := sc.closure(retErr)
		c.ctxs = append(c.ctxs, p)
		c.assign = append(c.assign, p)
		return fmt.Sprintf("%s := func(%s context.Context) error {\n%sreturn nil\n}\n_ = %s(%s)\n", f, p, g.nested(c), f, g.ctxExpr(sc, 0))
	case 16: // a unary RPC
		cl := g.clientExpr(sc)
		if cl == "" {
			break
		}
		g.use(g.pbPath())
		if g.pick(2) == 1 {
			return fmt.Sprintf("_, _ = %s.Unary(%s, &pb.Msg{})\n", cl, g.ctxExpr(sc, 0))
		}
		return fmt.Sprintf("if _, err := %s.Unary(%s, &pb.Msg{}); err != nil {\n%s\n}\n", cl, g.ctxExpr(sc, 0), sc.ret("err"))
	case 17: // a streaming RPC
		cl := g.clientExpr(sc)
		if cl == "" {
			break
		}
		g.use(g.pbPath())
		st := g.fresh("st")
		if g.pick(2) == 1 {
			return fmt.Sprintf("if %s, err := %s.Bidi(%s); err == nil {\n_ = %s.Send(&pb.Msg{})\n_ = %s.CloseSend()\n}\n", st, cl, g.ctxExpr(sc, 0), st, st)
		}
		return fmt.Sprintf("if %s, err := %s.ServerStream(%s, &pb.Msg{}); err == nil {\nfor {\nif _, err := %s.Recv(); err != nil {\nbreak\n}\n}\n}\n", st, cl, g.ctxExpr(sc, 0), st)
	case 18: // calls into helper
		if !g.imports[HelperPath] {
			break
		}
		switch g.pick(6) {
		case 0:
			return "_ = helper.Spin(n)\n"
		case 1:
			return "_ = helper.Even(n)\n"
		case 2:
			return "helper.Ping(" + g.ctxExpr(sc, 0) + ")\n"
		}
		cl := g.clientExpr(sc)
		if cl == "" {
			return "_ = helper.Spin(n)\n"
		}
		switch g.pick(3) {
		case 0:
			return "_ = helper.Call(" + g.ctxExpr(sc, 0) + ", " + cl + ")\n"
		case 1:
			return "_ = helper.Detached(" + cl + ")\n"
		}
		return "_ = helper.Use(" + g.ctxExpr(sc, 0) + ", " + cl + ")\n"
	case 19: // stream operations
		st := sc.stream
		if st == nil {
			break
		}
		g.use(g.pbPath())
		if st.send && (!st.recv || g.pick(2) == 0) {
			send := st.name + ".Send(&pb.Msg{})"
			if st.generic {
				send = st.name + ".SendMsg(&pb.Msg{})"
			}
			if g.pick(2) == 1 {
				return "_ = " + send + "\n"
			}
			return "if err := " + send + "; err != nil {\n" + sc.ret("err") + "\n}\n"
		}
		if st.generic {
			return "if err := " + st.name + ".RecvMsg(new(pb.Msg)); err != nil {\n" + sc.ret("err") + "\n}\n"
		}
		m, err := g.fresh("m"), g.fresh("err")
		return fmt.Sprintf("%s, %s := %s.Recv()\nif %s != nil {\n%s\n}\n_ = %s\n", m, err, st.name, err, sc.ret(err), m)
	case 20: // a check of the context
		ctx := g.ctxExpr(sc, 0)
		if g.pick(2) == 1 && sc.returnsErr() {
			g.use("google.golang.org/grpc/status")
			return "if " + ctx + ".Err() != nil {\n" + sc.ret("status.FromContextError("+ctx+".Err()).Err()") + "\n}\n"
		}
		return "if err := " + ctx + ".Err(); err != nil {\n" + sc.ret("err") + "\n}\n"
	case 21: // channel operations
		switch g.pick(3) {
		case 0:
			return "events <- 1\n"
		case 1:
			return "<-events\n"
		}
		return "select {\ncase events <- 1:\ndefault:\n}\n"
	case 22: // leave a loop
		if !sc.loop && !sc.breakOK {
			break
		}
		cond := g.cond(sc)
		if sc.loop && g.pick(2) == 1 {
			if len(sc.labels) > 0 && g.pick(2) == 1 {
				return "if " + cond + " {\ncontinue " + sc.labels[len(sc.labels)-1] + "\n}\n"
			}
			return "if " + cond + " {\ncontinue\n}\n"
		}
		if len(sc.labels) > 0 && g.pick(2) == 1 {
			return "if " + cond + " {\nbreak " + sc.labels[g.pick(len(sc.labels))] + "\n}\n"
		}
		return "if " + cond + " {\nbreak\n}\n"
	case 23:
		if !sc.returnsErr() {
			return "if " + g.cond(sc) + " {\n" + sc.ret("nil") + "\n}\n"
		}
		g.use("google.golang.org/grpc/status")
		g.use("google.golang.org/grpc/codes")
		return "if " + g.cond(sc) + " {\n" + sc.ret("status.Error(codes.Aborted, \"stop\")") + "\n}\n"
	case 24: // the connection's Invoke
		g.use(g.pbPath())
		if !g.imports["google.golang.org/grpc"] {
			break
		}
		return "_ = conn.Invoke(" + g.ctxExpr(sc, 0) + ", \"/fixtures.echo.v1.Echo/Unary\", &pb.Msg{}, &pb.Msg{})\n"
	case 25:
		g.use("time")
		return "time.Sleep(time.Millisecond)\n"
	case 26: // errgroup
		g.use("golang.org/x/sync/errgroup")
		eg, gctx := g.fresh("g"), g.fresh("gctx")
		outer := g.ctxExpr(sc, 0)
		c := sc.closure(retErr)
		c.ctxs = append(c.ctxs, gctx)
		body := g.nested(c)
		sc.ctxs = append(sc.ctxs, gctx)
		sc.assign = append(sc.assign, gctx)
		return fmt.Sprintf("%s, %s := errgroup.WithContext(%s)\n_ = %s\n%s.Go(func() error {\n%sreturn nil\n})\n_ = %s.Wait()\n", eg, gctx, outer, gctx, eg, body, eg)
	case 28: // a package-level function of this package
		if len(g.locals) == 0 {
			break
		}
		call := g.locals[g.pick(len(g.locals))]
		if strings.Contains(call, "%s") {
			call = fmt.Sprintf(call, g.ctxExpr(sc, 0))
		}
		return "_ = " + call + "\n"
	case 29: // the server's request channel
		if !sc.receiver {
			break
		}
		switch g.pick(5) {
		case 0:
			return "s.reqs <- n\n"
		case 1:
			return "s.push(n)\n"
		case 2:
			return "n = s.pull()\n"
		case 3:
			return "<-s.reqs\n"
		}
		if g.pick(2) == 1 {
			return "select {\ncase s.reqs <- n:\ncase <-s.quit:\n}\n"
		}
		ctx := g.ctxExpr(sc, 0)
		return fmt.Sprintf("select {\ncase s.reqs <- n:\ncase <-%s.Done():\n%s\n}\n", ctx, sc.ret(ctx+".Err()"))
	case 30: // a local channel, a goroutine that feeds it, and its consumer
		ch := g.fresh("ch")
		var b strings.Builder
		fmt.Fprintf(&b, "%s := make(chan int%s)\n", ch, [...]string{"", ", 1"}[g.pick(2)])
		c := sc.closure(retNone)
		switch w := g.pick(3); {
		case w == 1 && len(g.workers) > 0:
			fmt.Fprintf(&b, "go %s(%s, n)\n", g.workers[g.pick(len(g.workers))], ch)
		case w == 2 && len(g.workers) > 0:
			fmt.Fprintf(&b, "go func() {\n%s%s(%s, n)\n}()\n", g.nested(c), g.workers[g.pick(len(g.workers))], ch)
		default:
			fmt.Fprintf(&b, "go func() {\n%s%s <- n\n%s}()\n", g.nested(c), ch, [...]string{"", "close(" + ch + ")\n"}[g.pick(2)])
		}
		v := g.fresh("v")
		lc := sc.child()
		lc.loop, lc.breakOK = true, true
		switch g.pick(3) {
		case 0:
			fmt.Fprintf(&b, "%s := <-%s\n_ = %s\n", v, ch, v)
		case 1:
			fmt.Fprintf(&b, "for %s := range %s {\n_ = %s\n%s}\n", v, ch, v, g.nested(lc))
		case 2:
			ctx := g.ctxExpr(sc, 0)
			fmt.Fprintf(&b, "for {\nselect {\ncase %s := <-%s:\n_ = %s\ncase <-%s.Done():\n%s\n}\n%s}\n", v, ch, v, ctx, sc.ret(ctx+".Err()"), g.nested(lc))
		}
		return b.String()
	case 31: // a range over a channel a helper returns
		if !g.imports[HelperPath] {
			break
		}
		return g.rangeLoop(sc, "helper.Snapshot(n)")
	case 32: // a context and its cancel function from a helper
		if !g.imports[HelperPath] {
			break
		}
		v, cancel := g.fresh("c"), g.fresh("cancel")
		use := [...]string{"defer " + cancel + "()\n", "_ = " + cancel + "\n"}[g.pick(2)]
		s := fmt.Sprintf("%s, %s := helper.DeriveCancel(%s)\n_ = %s\n%s", v, cancel, g.ctxExpr(sc, 0), v, use)
		sc.ctxs = append(sc.ctxs, v)
		return s
	case 33: // the server's context field stored, or the package's interface
		if sc.receiver && g.pick(2) == 1 {
			s := "s.ctx = " + g.ctxExpr(sc, 0) + "\n"
			if g.pick(2) == 1 {
				return "if " + g.cond(sc) + " {\n" + s + "}\n"
			}
			return s
		}
		if g.runner {
			return "_ = runner(spinner{}).run(n)\n"
		}
	case 27: // a loop that passes its context on
		c := sc.child()
		c.loop, c.breakOK = true, true
		return fmt.Sprintf("for n > 0 {\nn--\n%s}\n", g.nested(c))
	}
	return "n++\n"
}
