package ctxdeadline

import (
	"cmp"
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"go/version"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
	"github.com/grpccancelcheck/grpccancelcheck/internal/division"
	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

//go:embed doc.go
var doc []byte

// Analyzer reports outbound gRPC calls whose context carries no deadline. It
// uses the default Config, which assumes that ctxdetach does not run beside
// it; for an analyzer list that has ctxdetach too, use the Analyzer of
// package withdetach (or analyzers.New), so that a detached call in a
// handler gets one finding.
var Analyzer = New(Config{})

// Config holds ctxdeadline's settings. The zero value is the default.
type Config struct {
	// Streams requires a deadline on streaming calls too; by default a
	// stream only has to be cancellable.
	Streams bool `json:"streams,omitempty"`
	// Exempt lists client methods and types whose calls are not checked,
	// fully qualified: "example.com/pb.EchoClient.Unary" (one method),
	// "example.com/pb.EchoClient" (all its methods),
	// "(*google.golang.org/grpc.ClientConn).Invoke".
	Exempt []string `json:"exempt,omitempty"`
	// RPC lists methods, interfaces and functions, fully qualified as in
	// Exempt, that make a gRPC call the tool cannot see into: a
	// hand-written client interface whose implementation is registered
	// through a factory ("example.com/tmclient.TabletManagerClient"). Their
	// calls are judged like a generated client's, on a network client.
	RPC []string `json:"rpc,omitempty"`
	// Tests also checks _test.go files. By default they are left out: a
	// test's deadline-less call hangs only until go test's -timeout, and
	// its clients are mostly mocks.
	Tests bool `json:"tests,omitempty"`
	// Ctxdetach is how ctxdetach runs beside this analyzer: a detached
	// context in its scope is ctxdetach's finding, so that no call gets
	// both. The zero value, division.Off, reports it here: nothing is lost
	// when ctxdeadline runs alone. Whoever builds both analyzers sets it
	// (analyzers.New); it is not a setting of its own.
	Ctxdetach division.Detach `json:"-"`
}

// New returns a ctxdeadline analyzer with its own settings, bound to its own
// flags (-ctxdeadline.streams, -ctxdeadline.exempt), so that no state is
// shared between instances.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{cfg: cfg}
	c.cfg.Exempt = slices.Clone(cfg.Exempt)
	c.cfg.RPC = slices.Clone(cfg.RPC)
	a := &analysis.Analyzer{
		Name:      "ctxdeadline",
		Doc:       analyzerdoc.Extract(doc, "ctxdeadline"),
		URL:       analyzerdoc.URL("ctxdeadline"),
		Requires:  []*analysis.Analyzer{grpcctx.Analyzer, lint.Analyzer},
		FactTypes: []analysis.Fact{new(deadlineParams), new(ctorMethods), new(implMethods)},
		Run:       c.run,
	}
	a.Flags.BoolVar(&c.cfg.Streams, "streams", cfg.Streams,
		"require a deadline on streaming calls too, not only a way to cancel them")
	a.Flags.BoolVar(&c.cfg.Tests, "tests", cfg.Tests,
		"also check _test.go files")
	a.Flags.Var((*exemptFlag)(&c.cfg.RPC), "rpc",
		"comma-separated `list` of methods, interfaces or functions that make a gRPC call the analysis cannot see into, fully qualified: "+
			"example.com/tmclient.TabletManagerClient, example.com/tmclient.TabletManagerClient.StopReplication")
	a.Flags.Var((*exemptFlag)(&c.cfg.Exempt), "exempt",
		"comma-separated `list` of client methods or types not to check, fully qualified: "+
			"example.com/pb.EchoClient.Unary, example.com/pb.EchoClient, (*google.golang.org/grpc.ClientConn).Invoke")
	return a
}

// exemptFlag is the -exempt flag: a comma-separated list, added to on every
// use, in the style of printf's -funcs.
type exemptFlag []string

func (f *exemptFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(*f, ",")
}

func (f *exemptFlag) Set(s string) error {
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !strings.Contains(normalize(name), ".") {
			return fmt.Errorf("%q is not fully qualified; want a method or type such as example.com/pb.EchoClient.Unary or example.com/pb.EchoClient", name)
		}
		*f = append(*f, name)
	}
	return nil
}

// normalize drops the parentheses and star of "(*pkg.T).M", so that the
// receiver's spelling does not matter.
func normalize(name string) string {
	return strings.NewReplacer("(", "", ")", "", "*", "", " ", "").Replace(name)
}

// deadlineParams is the fact of a function whose context parameters reach an
// outbound gRPC call that adds no deadline of its own: a caller passing a
// deadline-less context there makes a deadline-less RPC. Calls inside
// function literals do not count.
type deadlineParams struct {
	Params []paramRPC // by Index
}

// ctorMethods is the fact of a constructor (a function whose one result is
// an interface and that returns one concrete type of its package, see
// grpcctx.Model.ConcreteMethod): what the methods of the values it makes do
// with their contexts, by method name, so that a call on such a value in
// another package is judged by the method that runs, not by its shape. A
// client constructor whose methods add their own timeout makes bounded
// calls. The fact names methods, not the type, which is mostly unexported
// and which go vet could not resolve from export data.
type ctorMethods struct {
	// Methods lists the result interface's methods that reach an RPC, or
	// whose body the package does not have; the others reach none.
	Methods []ctorMethod // by Name
}

// ctorMethod is one method of a constructor's result.
type ctorMethod struct {
	Name string
	// Shape: the method that runs has no body here (it is promoted from
	// an embedded interface): its calls are judged by their shape.
	Shape  bool
	Params []paramRPC // as in deadlineParams
}

func (*ctorMethods) AFact() {}

func (f *ctorMethods) String() string {
	var parts []string
	for _, m := range f.Methods {
		if m.Shape {
			parts = append(parts, m.Name+": by shape")
			continue
		}
		parts = append(parts, m.Name+": "+(&deadlineParams{Params: m.Params}).String())
	}
	return "ctorMethods(" + strings.Join(parts, "; ") + ")"
}

// method returns the entry for the method name, and whether the
// constructor's result has a body for it.
func (f *ctorMethods) method(name string) (ctorMethod, bool) {
	i, ok := slices.BinarySearchFunc(f.Methods, name, func(m ctorMethod, name string) int { return cmp.Compare(m.Name, name) })
	if !ok {
		return ctorMethod{Name: name}, true
	}
	return f.Methods[i], !f.Methods[i].Shape
}

// factTable holds the deadlineParams facts.
type factTable = *lint.FactTable[deadlineParams, *deadlineParams]

// paramRPC is one context parameter and the RPC it reaches.
type paramRPC struct {
	Index  int           // of the parameter in the signature
	Method string        // the RPC's method, as messages name it ("echo.EchoClient.Unary")
	At     lint.Location // of the RPC
	// Stream: the RPC opens a stream, which by default only needs to be
	// cancellable (the stream adds no cancel function of its own).
	Stream bool
	// WaitForReady: the RPC passes grpc.WaitForReady(true).
	WaitForReady bool
	// Client is the index of the parameter the RPC's client is, whose
	// argument decides whether a caller's call makes a real RPC, or
	// clientConn when the client is known to be a network client. A fact
	// has no entry for an RPC on a client of unknown origin (a mock, a
	// wrapper that may add its own timeout).
	Client int
}

// Values of paramRPC.Client besides parameter indices.
const (
	clientConn    = -1 // a network client (grpcctx.ClientConn)
	clientUnknown = -2 // unknown origin: reported only when called directly, never in a fact
)

// clientRef encodes c as a paramRPC.Client.
func clientRef(c grpcctx.Client) int {
	switch c.Kind {
	case grpcctx.ClientConn:
		return clientConn
	case grpcctx.ClientParam:
		return c.Param
	}
	return clientUnknown
}

func (*deadlineParams) AFact() {}

func (f *deadlineParams) String() string {
	var parts []string
	for _, p := range f.Params {
		kind := "call"
		if p.Stream {
			kind = "stream"
		}
		part := fmt.Sprintf("param %d reaches %s %s at %s", p.Index, kind, p.Method, p.At)
		if p.Client >= 0 {
			part += fmt.Sprintf(" on client param %d", p.Client)
		}
		parts = append(parts, part)
	}
	return "deadlineParams(" + strings.Join(parts, "; ") + ")"
}

// entry returns the fact's entry for parameter i, or nil.
func (f *deadlineParams) entry(i int) *paramRPC {
	for k := range f.Params {
		if f.Params[k].Index == i {
			return &f.Params[k]
		}
	}
	return nil
}

type checker struct {
	cfg Config
}

// A use is a context handed to something that needs a deadline: the context
// argument of an outbound gRPC call, or an argument for a parameter that
// reaches one (a call to a function with the deadlineParams fact).
type use struct {
	call *ast.CallExpr
	arg  ast.Expr
	fn   ast.Node // enclosing FuncDecl or FuncLit; nil at package level
	rpc  paramRPC // the RPC; for a direct call, Index is unused
	// For calls to functions with the fact: the callee and its parameter
	// index. callee is nil for direct gRPC calls.
	callee *types.Func
	param  int
	// via, for a direct call on a client made on a hand-written
	// connection type (grpcctx.Client.Conn): the type's Invoke or
	// NewStream, whose deadlineParams fact says whether an RPC is made.
	via *types.Func
	// iface and ifaceMethod, for a direct call of an interface method on
	// a client not known to be a network client: the interface and the
	// method, judged by the interface's implMethods fact (implBounded).
	iface       *types.TypeName
	ifaceMethod string
	// onConn, for a call through another package's constructor's fact: the
	// constructor was given a *grpc.ClientConn here, so the RPC the fact
	// describes is made on a real connection, in a test too.
	onConn bool
	// closed: the client is on a connection the code closes
	// (grpcctx.Client.Closed), which ends the RPC from the client side.
	closed bool
	// service, for a direct call of a generated client's method: the
	// service's key (grpcctx.ServiceOf).
	service string
}

// A finding is a use whose context carries no deadline.
type finding struct {
	use
	origin grpcctx.Origin
	// noCancel: the context cannot be cancelled either.
	noCancel bool
}

// localCall is a static call to a function of this package that takes a
// context; its fact is known only once the package's facts are computed.
type localCall struct {
	call   *ast.CallExpr
	callee *types.Func
	fn     ast.Node
}

// A state is one package's run.
type state struct {
	*checker
	pass   *analysis.Pass
	m      *grpcctx.Model
	exempt map[string]bool // normalized -exempt names
	rpc    map[string]bool // normalized -rpc names
	// detach: where ctxdetach reports detached contexts (Config.Ctxdetach).
	detach division.Detach
	// verdicts caches judge's answers: the fixed point in exportFacts asks
	// again on every round.
	verdicts map[verdictKey]verdict
	// ctors holds the ctorMethods facts: other packages' constructors',
	// imported, and this package's, exported by exportCtorFacts.
	ctors *lint.FactTable[ctorMethods, *ctorMethods]
	// impls holds this package's implMethods facts, by interface.
	impls map[*types.TypeName]*implMethods
	// funcValues caches funcValueName's answers.
	funcValues map[*grpcctx.FuncValue]string
	// usesIn holds the RPCs and calls with a fact directly in each
	// function declaration, and detaches caches what they say (see
	// detachesDirectly).
	usesIn    map[*types.Func][]use
	detaching map[*types.Func]bool
}

type verdictKey struct {
	arg    ast.Expr
	stream bool
}

type verdict struct {
	ok       bool
	origin   grpcctx.Origin
	noCancel bool
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	s := &state{
		checker:    c,
		pass:       pass,
		m:          pass.ResultOf[grpcctx.Analyzer].(*grpcctx.Model),
		exempt:     make(map[string]bool),
		rpc:        make(map[string]bool),
		detach:     c.cfg.Ctxdetach,
		verdicts:   make(map[verdictKey]verdict),
		funcValues: make(map[*grpcctx.FuncValue]string),
	}
	for _, name := range c.cfg.Exempt {
		s.exempt[normalize(name)] = true
	}
	for _, name := range c.cfg.RPC {
		s.rpc[normalize(name)] = true
	}
	s.run()
	return nil, nil
}

func (s *state) run() {
	pass, info := s.pass, s.pass.TypesInfo
	if s.m.Light() {
		return // a dependency without context parameters: no facts, nothing reported
	}
	in := s.m.Inspector()

	var found lint.List[use]       // RPCs, and calls of functions with a fact
	var calls lint.List[localCall] // calls of this package's functions that take a context
	var viaConn lint.List[use]     // calls on clients made on a hand-written connection type
	facts := lint.NewFactTable[deadlineParams](pass)
	s.ctors = lint.NewFactTable[ctorMethods](pass)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		lint.Enter(pass, call)
		fn := lint.EnclosingFuncOf(cur)
		callee := typeutil.StaticCallee(info, call)
		g, rpc := grpcctx.AsGRPCCall(info, call)
		declared := false
		if !rpc {
			g, rpc = s.declaredRPC(call)
			declared = rpc
		}
		var valueClient *grpcctx.Client // for a call through a function value: its receivers'
		valueName := ""                 // and the methods it may call
		if !rpc && callee == nil {
			if mg, c, name, ok := s.methodValueCall(call); ok {
				g, rpc, valueClient, valueName = mg, true, &c, name
			}
		}
		if rpc && !declared {
			if c := s.m.ConcreteMethod(call, fn); c != nil {
				// A client interface whose dynamic type is known: the
				// method that runs is judged by its body, like a
				// concrete wrapper.
				callee, rpc = c, false
			}
		}
		if rpc || callee == nil {
			// An interface method called on a value made by another
			// package's constructor: judged by the method that runs.
			if ctor, method, client, ok := s.constructedMethod(call, fn); ok {
				if len(method.Params) > 0 {
					us := s.factUses(call, ctor, fn, &deadlineParams{Params: method.Params})
					for _, u := range us {
						u.onConn = client.Kind == grpcctx.ClientConn && client.Conn == nil // a *grpc.ClientConn
						if client.Conn == nil {
							found.Append(u)
						} else if u.via = connMethod(client.Conn, u.rpc.Stream); u.via != nil {
							// Made on a hand-written connection: the
							// method's RPC runs that connection's
							// Invoke or NewStream, judged by its facts.
							viaConn.Append(u)
						}
					}
				}
				continue
			}
		}
		if rpc && (declared || !concreteWrapper(g.Method)) {
			client := s.m.ClientOf(g, fn)
			if valueClient != nil {
				client = *valueClient
			}
			if declared {
				client = grpcctx.Client{Kind: grpcctx.ClientConn} // the user says it is a real RPC
			}
			// A unary call on a client whose connection has an
			// interceptor that bounds every call has a deadline; a
			// stream on a connection the code closes can be ended.
			if !isExempt(s.exempt, g.Method) && !(client.Bounded && !g.Stream) && !(client.BoundedStreams && g.Stream) && !(client.Closed && g.Stream && !s.cfg.Streams) {
				name := lint.FuncName(g.Method)
				if valueName != "" {
					name = valueName
				}
				u := use{call: call, arg: g.Ctx, fn: fn, rpc: paramRPC{
					Method:       name,
					At:           lint.LocationOf(pass.Fset, call.Pos()),
					Stream:       g.Stream,
					WaitForReady: g.WaitsForReady(info) || client.WaitForReady,
					Client:       clientRef(client),
				}, closed: client.Closed}
				if !declared && valueClient == nil {
					u.iface, u.ifaceMethod = unknownIface(info, g, client)
				}
				if !declared {
					u.service = grpcctx.ServiceOf(g.Method)
				}
				if client.Conn != nil && !declared {
					// The call runs the connection's own Invoke or
					// NewStream: judged once their facts are known.
					if u.via = connMethod(client.Conn, g.Stream); u.via != nil {
						viaConn.Append(u)
					}
					continue
				}
				found.Append(u)
			}
			continue
		}
		if callee == nil || len(grpcctx.ContextParams(callee.Signature())) == 0 {
			continue
		}
		callee = callee.Origin()
		if callee.Pkg() == pass.Pkg {
			calls.Append(localCall{call: call, callee: callee, fn: fn})
		} else if fact, ok := facts.Lookup(callee); ok {
			found.Append(s.factUses(call, callee, fn, fact)...)
		}
	}
	lint.Leave(pass)
	uses, locals, vias := found.Slice(), calls.Slice(), viaConn.Slice()

	// A call on another package's client interface whose implementations
	// there all bound their context is no RPC to report, here or through
	// this package's facts.
	uses = slices.DeleteFunc(uses, func(u use) bool { return u.iface != nil && u.iface.Pkg() != pass.Pkg && s.implBounded(u) })
	s.usesIn, s.detaching = make(map[*types.Func][]use), make(map[*types.Func]bool)
	for _, u := range uses {
		if d, ok := u.fn.(*ast.FuncDecl); ok {
			if obj, ok := info.Defs[d.Name].(*types.Func); ok {
				s.usesIn[obj] = append(s.usesIn[obj], u)
			}
		}
	}
	s.exportFacts(facts, uses, locals)
	s.exportCtorFacts(facts)
	s.exportImplFacts(facts)
	for _, u := range vias {
		if fact, ok := facts.Lookup(u.via); ok && fact.entry(0) != nil {
			uses = append(uses, u) // the connection's method makes an RPC on the context
		}
	}
	for _, l := range locals {
		if fact, ok := facts.Local(l.callee); ok {
			uses = append(uses, s.factUses(l.call, l.callee, l.fn, fact)...)
		}
	}

	var findings []finding
	for _, u := range uses {
		lint.Enter(pass, u.call)
		if !s.reportable(u) || s.implBounded(u) {
			continue
		}
		if f, ok := s.judge(u); ok && f.origin.Root != grpcctx.Param {
			findings = append(findings, f)
		}
	}
	lint.Leave(pass)
	slices.SortFunc(findings, func(a, b finding) int { return lint.ComparePos(pass.Fset, a.arg.Pos(), b.arg.Pos()) })
	for _, f := range findings {
		lint.Enter(pass, f.arg)
		s.report(f)
	}
	lint.Leave(pass)
}

// methodValueCall returns call, a call through a function value, as a
// gRPC call when every method value it may hold (the model's
// MethodValueCall) is a client interface's method that is not exempt,
// with what is known of their clients and the methods' names for
// messages ("echo.EchoClient.Unary", "echo.EchoClient.A or
// echo.EchoClient.B" for a dispatch table, beyond two the first and how
// many others). A method value of a concrete
// type's method (a wrapper, an in-process stand-in), or of a client made by
// another package's constructor whose ctorMethods fact says what its
// methods do (in process, or with their own timeout), keeps the call
// silent: through a function value, the method that runs is not followed.
func (s *state) methodValueCall(call *ast.CallExpr) (grpcctx.GRPCCall, grpcctx.Client, string, bool) {
	g, fv, ok := s.m.MethodValueCall(call)
	if !ok {
		return grpcctx.GRPCCall{}, grpcctx.Client{}, "", false
	}
	name, known := s.funcValues[fv] // fv is shared by the calls through one variable
	if !known {
		name = s.funcValueName(fv)
		s.funcValues[fv] = name
	}
	return g, fv.Client, name, name != ""
}

// funcValueName returns the names of the methods fv may call, or "" when
// the call through it is not judged (see methodValueCall).
func (s *state) funcValueName(fv *grpcctx.FuncValue) string {
	var names []string
	seen := make(map[*types.Func]bool)
	for _, v := range fv.Values {
		if concreteWrapper(v.Method) || isExempt(s.exempt, v.Method) {
			return ""
		}
		if ctor := s.m.ClientValue(v.Recv, v.Fn).Ctor; ctor != nil && ctor.Pkg() != s.pass.Pkg && s.ctors.Has(ctor) {
			return ""
		}
		if !seen[v.Method] {
			seen[v.Method] = true
			if name := lint.FuncName(v.Method); !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	if len(names) > 2 {
		// A large table: name one, count the others, so that messages
		// stay short however many methods it holds.
		return fmt.Sprintf("%s (or one of %d other methods)", names[0], len(names)-1)
	}
	return strings.Join(names, " or ")
}

// factUses returns a use for every argument of call that the callee's fact
// says reaches an RPC. Where the RPC's client is a parameter of the
// callee, the argument for it says whether this call makes a real RPC: a
// network client does, a parameter of fn leaves it to fn's callers, and a
// value of unknown origin (a mock, a wrapper) gives no use.
func (s *state) factUses(call *ast.CallExpr, callee *types.Func, fn ast.Node, fact *deadlineParams) []use {
	args := lint.Args(s.pass.TypesInfo, call)
	var out []use
	for _, p := range fact.Params {
		if p.Index >= len(args) {
			continue
		}
		closed := false
		if p.Client >= 0 {
			if p.Client >= len(args) {
				continue
			}
			client := s.m.ClientValue(args[p.Client], fn)
			if p.Client = clientRef(client); p.Client == clientUnknown || client.Bounded && !p.Stream || client.BoundedStreams && p.Stream || client.Closed && p.Stream && !s.cfg.Streams || client.Conn != nil {
				continue // a client on a hand-written connection: what runs is not followed through a fact
			}
			p.WaitForReady = p.WaitForReady || client.WaitForReady
			closed = client.Closed
		}
		out = append(out, use{call: call, arg: args[p.Index], fn: fn, rpc: p, callee: callee, param: p.Index, closed: closed})
	}
	return out
}

// reportable reports whether u may be reported: a direct call on any client
// (the call site chose the context), a call through a fact only where the
// RPC's client is a network client; and, unless -tests, not in test code:
// a _test.go file, or a test's helper elsewhere (a function that takes a
// *testing.T, B, F or TB, or a literal inside one), which is judged as a
// _test.go file is. A call through a fact is not reported in a _test.go file: there
// the path the fact describes is mostly not the one the test takes (a fake
// put into the field that guards a lazy dial, a chain of in-process
// servers), and the test's own direct calls say what it runs on. The
// exception is a method of a client that the test made with another
// package's constructor from a *grpc.ClientConn (pmetricotlp.NewGRPCClient(cc).Export):
// the connection is the test's own, as with a generated NewXClient(cc).
// Nor is a direct call in test code of a service that the test's
// program registers itself (grpcctx.Model.Served): the server is the
// test's own, in process or on loopback, and whether the call can hang is
// what its handler does, which is judged where the handler is written.
func (s *state) reportable(u use) bool {
	if u.callee != nil && u.rpc.Client != clientConn {
		return false
	}
	test := lint.InTestFile(s.pass.Fset, u.call.Pos())
	if !test {
		_, test = s.testingParam(u.fn) // a test's helper outside _test.go files
	}
	if test && u.callee != nil && !u.onConn {
		return false
	}
	if test {
		return s.cfg.Tests && !s.m.Served(u.service) && !s.inPolledCheck(u.call)
	}
	return true
}

// inPolledCheck reports whether call is in a function literal given to
// testify's Eventually, EventuallyWithT or Never (assert or require, and
// their f forms): the check runs in a goroutine of its own that the wait
// leaves behind at its deadline, so the test cannot hang on the call
// (weaviate's acceptance tests poll their server so).
func (s *state) inPolledCheck(call *ast.CallExpr) bool {
	cur, ok := s.m.Cursor(call)
	if !ok {
		return false
	}
	for lit := range cur.Enclosing((*ast.FuncLit)(nil)) {
		outer, ok := lit.Parent().Node().(*ast.CallExpr)
		if !ok || outer.Fun == lit.Node() {
			continue
		}
		fn := lint.Callee(s.pass.TypesInfo, outer)
		if fn == nil || fn.Pkg() == nil {
			continue
		}
		switch fn.Pkg().Path() {
		case "github.com/stretchr/testify/assert", "github.com/stretchr/testify/require":
			if strings.HasPrefix(fn.Name(), "Eventually") || strings.HasPrefix(fn.Name(), "Never") {
				return true
			}
		}
	}
	return false
}

// judge decides whether the context of u is missing what the RPC needs:
// a deadline, or for a stream (unless -streams) any way to cancel it.
//
// It returns a finding whose origin is Detached or Deliberate for a context
// made here without a deadline, or Param when the context is a parameter of
// the enclosing function declaration (the caller's business: a fact). It
// stays silent (ok false) when
//   - some function the model does not know lies on the way (Opaque): it
//     may add a deadline;
//   - a deadline (for a stream, a deadline or a cancel function) is added
//     on some path: where assignments depend on branches, the call is
//     reported only when no path adds one;
//   - the origin is unknown, or paths disagree about it;
//   - the call is in gRPC handler scope and the context is the request's
//     (it carries the caller's deadline) or detached from it, which is
//     ctxdetach's finding; with division.CtxFuncs (ctxdetach's -ctx-funcs), the same
//     holds in every function with a context parameter; and a detached
//     context directly in a function of this package that takes no
//     context and that handler scope calls is ctxdetach's too, reported
//     at the handler's call;
//   - the context is a parameter of a function literal, or of a function
//     declaration the call is not directly in: literals may run later,
//     once, or never.
func (s *state) judge(u use) (finding, bool) {
	key := verdictKey{u.arg, u.rpc.Stream}
	v, ok := s.verdicts[key]
	if !ok {
		v = s.decide(u)
		s.verdicts[key] = v
	}
	return finding{use: u, origin: v.origin, noCancel: v.noCancel}, v.ok
}

// deferredInHandler reports whether u is in a defer statement of its
// handler: cleanup, where a detached context is right and ctxdetach is
// silent, so a missing deadline there is this analyzer's finding.
func deferredInHandler(m *grpcctx.Model, u use) bool {
	h := m.HandlerOf(u.fn)
	cur, ok := m.Cursor(u.arg)
	return h != nil && ok && lint.InDeferStmt(cur, h.Func)
}

func (s *state) decide(u use) verdict {
	m := s.m
	o := m.Origin(u.arg)
	if o.Opaque {
		return verdict{}
	}
	switch o.Root {
	case grpcctx.Detached:
		if s.detach != division.Off && (m.HandlerOf(u.fn) != nil || s.reachedHelper(u.fn) || s.detach == division.CtxFuncs && inContextFunc(m, u.fn)) && !deferredInHandler(m, u) {
			return verdict{} // ctxdetach's finding
		}
	case grpcctx.Deliberate:
	case grpcctx.Param:
		if _, ok := u.fn.(*ast.FuncDecl); !ok || o.Var == nil {
			return verdict{}
		}
	default:
		return verdict{}
	}
	cancelSuffices := u.rpc.Stream && !s.cfg.Streams
	if o.MayDeadline || cancelSuffices && o.MayCancel {
		return verdict{}
	}
	return verdict{ok: true, origin: o, noCancel: !o.MayCancel}
}

// exportFacts computes the deadlineParams facts of this package's function
// declarations: first from their own gRPC calls and calls to imported
// functions with the fact, then, to a fixed point, from calls to this
// package's functions, into facts.
func (s *state) exportFacts(facts *lint.FactTable[deadlineParams, *deadlineParams], uses []use, locals []localCall) {
	pass := s.pass
	// add records that parameter index of fn reaches rpc; it reports
	// whether that changed anything. A unary RPC is preferred to a stream
	// (it asks more of the caller), then an RPC on a network client to one
	// on a client the caller passes (it holds for every caller).
	add := func(fn *types.Func, index int, rpc paramRPC) bool {
		rpc.Index = index
		fact, ok := facts.Local(fn)
		if !ok {
			fact = new(deadlineParams)
			facts.Set(fn, fact)
		}
		if e := fact.entry(index); e != nil {
			if rank(rpc) > rank(*e) {
				*e = rpc
				return true
			}
			return false
		}
		fact.Params = append(fact.Params, rpc)
		slices.SortFunc(fact.Params, func(a, b paramRPC) int { return cmp.Compare(a.Index, b.Index) })
		return true
	}
	// propagate adds the fact u implies for its enclosing declaration, if
	// its context is one of the declaration's parameters.
	propagate := func(u use) bool {
		if u.rpc.Client == clientUnknown {
			return false // a fact is only for RPCs on a network client, or on a client the caller passes
		}
		f, ok := s.judge(u)
		if !ok || f.origin.Root != grpcctx.Param {
			return false
		}
		fn, index := paramOf(pass.TypesInfo, u.fn, f.origin.Var)
		if fn == nil {
			return false
		}
		return add(fn, index, u.rpc)
	}
	for _, u := range uses {
		propagate(u)
	}
	lint.Propagate(locals, func(l localCall) bool {
		changed := false
		if fact, ok := facts.Local(l.callee); ok {
			for _, u := range s.factUses(l.call, l.callee, l.fn, fact) {
				changed = propagate(u) || changed
			}
		}
		return changed
	})
	facts.Export()
}

// constructedMethod returns, for call, an interface method called on the
// result of another package's constructor that has a ctorMethods fact, the
// interface method, the fact's entry for it and what is known of the
// client value (made on a *grpc.ClientConn, say); ok is false when the
// call is not one or the method that runs has no body there.
func (s *state) constructedMethod(call *ast.CallExpr, fn ast.Node) (*types.Func, ctorMethod, grpcctx.Client, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, ctorMethod{}, grpcctx.Client{}, false
	}
	sn, ok := s.pass.TypesInfo.Selections[sel]
	if !ok || sn.Kind() != types.MethodVal || !types.IsInterface(sn.Recv()) {
		return nil, ctorMethod{}, grpcctx.Client{}, false
	}
	method, _ := sn.Obj().(*types.Func)
	client := s.m.ClientValue(sel.X, fn)
	ctor := client.Ctor
	if method == nil || ctor == nil || ctor.Pkg() == s.pass.Pkg || len(grpcctx.ContextParams(method.Signature())) == 0 {
		return nil, ctorMethod{}, grpcctx.Client{}, false
	}
	fact, ok := s.ctors.Lookup(ctor)
	if !ok {
		return nil, ctorMethod{}, grpcctx.Client{}, false
	}
	m, ok := fact.method(method.Name())
	return method, m, client, ok
}

// exportCtorFacts exports the ctorMethods fact of each of this package's
// constructors whose result has methods that take a context, from the
// deadlineParams facts of the methods that run.
func (s *state) exportCtorFacts(facts factTable) {
	for _, ctor := range s.m.Constructors() {
		if !ctor.Exported() {
			continue // only this package calls it, and ConcreteMethod sees its type
		}
		t := s.m.Constructed(ctor)
		iface, ok := ctor.Signature().Results().At(0).Type().Underlying().(*types.Interface)
		if !ok {
			continue
		}
		methods, takesContext := s.methodsOf(t, iface, facts)
		if takesContext {
			s.ctors.Set(ctor, &ctorMethods{Methods: methods})
		}
	}
	s.ctors.Export()
}

// rank orders the RPCs one parameter may reach by what they ask of callers.
func rank(p paramRPC) int {
	r := 0
	if !p.Stream {
		r += 2
	}
	if p.Client == clientConn {
		r++
	}
	return r
}

// reachedHelper reports whether fn is a function declaration of this
// package that takes no context and that handler scope calls (see
// grpcctx.Model.ReachedFrom): ctxdetach reports a detached call directly
// in its body at the handler's call, through its detachedCall fact
// (cockroachdb/cockroach#5551's n.send, dapr/dapr#2716's store).
//
// Where the way from handler scope goes through an interface method,
// ctxdetach reports at the handler's call only when every implementation
// of the method detaches (its fact on the interface method). One that
// does not (velero's local plugin lister beside its gRPC one,
// vmware-tanzu/velero#2922) leaves the detached RPC to this analyzer.
// That is judged by the RPCs directly in each implementation's body: one
// that detaches only in a helper it calls counts as not detaching, so
// the RPC may be reported by both analyzers, never by neither. Nor does
// ctxdetach keep a fact for an interface method that takes a context
// (which its implementations may only log with): an implementation that
// drops it for a detached RPC is reported here.
func (s *state) reachedHelper(fn ast.Node) bool {
	d, ok := fn.(*ast.FuncDecl)
	if !ok || s.m.ReachedFrom(d) == nil {
		return false
	}
	for _, im := range s.m.ReachedThrough(d) {
		if grpcctx.TakesContext(im.Signature()) {
			return false // ctxdetach keeps no fact for it
		}
		for _, cm := range s.m.Implementations(im) {
			if !s.detachesDirectly(cm) {
				return false
			}
		}
	}
	return true
}

// detachesDirectly reports whether an RPC, or a call with a fact, directly
// in fn's body gets a detached context.
func (s *state) detachesDirectly(fn *types.Func) bool {
	v, ok := s.detaching[fn]
	if !ok {
		for _, u := range s.usesIn[fn] {
			if v = s.m.Origin(u.arg).Root == grpcctx.Detached; v {
				break
			}
		}
		s.detaching[fn] = v
	}
	return v
}

// inContextFunc reports whether fn or a function around it has a context
// parameter: the scope ctxdetach checks with -ctxdetach.ctx-funcs.
func inContextFunc(m *grpcctx.Model, fn ast.Node) bool {
	if fn == nil {
		return false
	}
	if m.TakesContext(fn) {
		return true
	}
	cur, ok := m.Cursor(fn)
	if !ok {
		return false
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if m.TakesContext(c.Node()) {
			return true
		}
	}
	return false
}

// paramOf returns the function declared by decl and the index of its
// parameter v, or nil when decl is not a FuncDecl with that parameter.
func paramOf(info *types.Info, decl ast.Node, v *types.Var) (*types.Func, int) {
	d, ok := decl.(*ast.FuncDecl)
	if !ok {
		return nil, 0
	}
	fn, ok := info.Defs[d.Name].(*types.Func)
	if !ok {
		return nil, 0
	}
	params := fn.Signature().Params()
	for i := 0; i < params.Len(); i++ {
		if params.At(i) == v {
			return fn, i
		}
	}
	return nil, 0
}

// declaredRPC returns call as an outbound gRPC call when its callee is
// named by -rpc: the RPC is on its first context argument.
func (s *state) declaredRPC(call *ast.CallExpr) (grpcctx.GRPCCall, bool) {
	if len(s.rpc) == 0 {
		return grpcctx.GRPCCall{}, false
	}
	fn := lint.Callee(s.pass.TypesInfo, call)
	if fn == nil || !isExempt(s.rpc, fn) {
		return grpcctx.GRPCCall{}, false
	}
	params := grpcctx.ContextParams(fn.Signature())
	args := lint.Args(s.pass.TypesInfo, call)
	if len(params) == 0 || params[0] >= len(args) {
		return grpcctx.GRPCCall{}, false
	}
	return grpcctx.GRPCCall{Call: call, Method: fn, Ctx: args[params[0]]}, true
}

// isExempt reports whether fn is in the exempt set: its receiver's named
// type ("pkgpath.T"), the method ("pkgpath.T.M"), or a package-level
// function ("pkgpath.F"). Matching is by types, so aliases, embedding and
// the spelling at the call site do not matter.
func isExempt(exempt map[string]bool, fn *types.Func) bool {
	if len(exempt) == 0 {
		return false
	}
	if recv := fn.Signature().Recv(); recv != nil {
		t := types.Unalias(recv.Type())
		if p, ok := t.(*types.Pointer); ok {
			t = types.Unalias(p.Elem())
		}
		named, ok := t.(*types.Named)
		if !ok {
			return false
		}
		obj := named.Origin().Obj()
		if obj.Pkg() == nil {
			return false
		}
		typ := obj.Pkg().Path() + "." + obj.Name()
		return exempt[typ] || exempt[typ+"."+fn.Name()]
	}
	return fn.Pkg() != nil && exempt[fn.Pkg().Path()+"."+fn.Name()]
}

func (s *state) report(f finding) {
	rpc := f.rpc
	what := "gRPC call " + rpc.Method
	if rpc.Stream {
		what = "gRPC stream " + rpc.Method
	}
	// What the context lacks, what that means, and the remedy.
	category, lack := CategoryNoDeadline, "no deadline"
	effect := "the call can wait forever"
	if f.noCancel && !f.closed && f.callee == nil {
		effect += " and nothing can cancel it"
	}
	remedy := "derive the context with context.WithTimeout"
	// Without -streams, a stream in a fact adds no cancel function on the
	// way; with it, the callee may add one, so only "no deadline" is sure.
	// A connection the code closes ends the stream too.
	uncancellable := f.noCancel && !f.closed && (f.callee == nil || !s.cfg.Streams)
	switch {
	case rpc.Stream && uncancellable:
		category, lack = CategoryStreamNoCancel, "neither a deadline nor a cancel function"
		effect = "only the server can ever end the stream"
		if !s.cfg.Streams {
			remedy = "derive the context with context.WithCancel and call cancel when done, or with context.WithTimeout"
		}
	case rpc.Stream:
		category = CategoryStreamNoDeadline
		effect = "the stream can stay open forever"
	case rpc.WaitForReady:
		category = CategoryWaitForReadyNoDeadline
		effect = "with grpc.WaitForReady(true) the call can block forever while the server is unreachable"
	}
	if f.origin.Root == grpcctx.Deliberate {
		lack += " (context.WithoutCancel drops its parent's)"
	}
	if t := s.testingVar(f.fn); t != "" {
		// In a test the test's own context is the parent to take: it is
		// cancelled when the test ends, and a timeout on it bounds the call
		// well before go test's -timeout kills the whole binary.
		remedy = fmt.Sprintf("derive the context with context.WithTimeout(%s.Context(), ...)", t)
		if rpc.Stream && uncancellable && !s.cfg.Streams {
			remedy = fmt.Sprintf("use %s.Context(), which is cancelled when the test ends, or derive one with context.WithTimeout from it", t)
		}
	}

	d := analysis.Diagnostic{Pos: f.arg.Pos(), End: f.arg.End(), Category: category}
	if f.callee == nil {
		d.Message = fmt.Sprintf("%s uses %s, which has %s, so %s; %s",
			what, f.origin.Describe(f.arg), lack, effect, remedy)
	} else {
		d.Category += ViaCallSuffix
		param := f.callee.Signature().Params().At(f.param).Name()
		d.Message = fmt.Sprintf("call to %s passes %s as %s, which reaches %s (%s) with %s, so %s; %s",
			lint.FuncName(f.callee), f.origin.Describe(f.arg), param, what, rpc.At, lack, effect, remedy)
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos:     rpc.At.Pos(s.pass.Fset, f.callee.Pos()),
			Message: what + " on " + param + ", without a deadline of its own",
		})
	}
	if at := f.origin.At; at != nil && ast.Unparen(f.arg) != ast.Expr(at) {
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos: at.Pos(), End: at.End(), Message: f.origin.RootText() + " is called here",
		})
	}
	lint.Report(s.pass, d)
}

// connMethod returns the method of conn, a hand-written implementation of
// grpc.ClientConnInterface, that a call on a client made on it runs: Invoke
// for a unary call, NewStream for a stream.
func connMethod(conn types.Type, stream bool) *types.Func {
	name := "Invoke"
	if stream {
		name = "NewStream"
	}
	obj, _, _ := types.LookupFieldOrMethod(conn, true, nil, name)
	fn, _ := obj.(*types.Func)
	if fn != nil {
		fn = fn.Origin()
	}
	return fn
}

// concreteWrapper reports whether fn, a function with a gRPC client
// method's shape, has a body the analysis sees (a concrete function or
// method outside grpc itself): its calls are judged by its facts, so that a
// wrapper that adds its own deadline is not taken for a bare RPC.
func concreteWrapper(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() == "google.golang.org/grpc" {
		return false
	}
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		return false
	}
	return true
}

// testingVar returns the name of the *testing.T, *testing.B, *testing.F or
// testing.TB parameter of fn or of a function enclosing it, nearest first,
// when the package's Go version has their Context method (go1.24); else "".
func (s *state) testingVar(fn ast.Node) string {
	if v := s.pass.Pkg.GoVersion(); v != "" && version.Compare(v, "go1.24") < 0 {
		return ""
	}
	name, _ := s.testingParam(fn)
	return name
}

// testingParam reports whether fn or a function enclosing it takes a
// *testing.T, *testing.B, *testing.F or testing.TB, and the name of the
// nearest one that is named ("" for _ or none).
func (s *state) testingParam(fn ast.Node) (name string, ok bool) {
	if fn == nil {
		return "", false
	}
	cur, found := s.m.Cursor(fn)
	if !found {
		return "", false
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ftype *ast.FuncType
		switch n := c.Node().(type) {
		case *ast.FuncDecl:
			ftype = n.Type
		case *ast.FuncLit:
			ftype = n.Type
		}
		for _, field := range ftype.Params.List {
			if !grpcctx.IsTesting(s.pass.TypesInfo.TypeOf(field.Type)) {
				continue
			}
			ok = true
			for _, id := range field.Names {
				if id.Name != "_" {
					return id.Name, true
				}
			}
		}
	}
	return "", ok
}
