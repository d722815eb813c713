// Package ctxdeadline defines an Analyzer that reports outbound gRPC calls
// whose context carries no deadline.
//
// # Analyzer ctxdeadline
//
// ctxdeadline: check that outbound gRPC calls have a deadline
//
// A gRPC call has no deadline unless its caller sets one. A call on
// context.Background() waits as long as the server, the network or a
// grpc.WaitForReady queue lets it, forever in the bad cases, and nothing
// upstream can cancel it.
//
// WRONG:
//
//	func lookup(c pb.UsersClient, id string) (*pb.User, error) {
//		return c.Lookup(context.Background(), &pb.LookupRequest{Id: id})
//	}
//
// RIGHT:
//
//	func lookup(c pb.UsersClient, id string) (*pb.User, error) {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		return c.Lookup(ctx, &pb.LookupRequest{Id: id})
//	}
//
// An outbound gRPC call is a call of anything with the shape of a gRPC
// client method, a context.Context first parameter and a trailing
// ...grpc.CallOption: generated client methods of every generator style and
// from any module (grpc_health_v1.HealthClient too), (*grpc.ClientConn)
// Invoke and NewStream, and grpc.ClientConnInterface. Hand-written
// functions and methods with that shape are judged by their bodies (a
// wrapper that sets its own timeout is silent), and so is a client
// interface method called on a value made by a constructor that returns
// one concrete type (directly, or through variables every assignment of
// which is the result of a constructor of that type: w := WithBefore(cc);
// w = WithOptions(w), ydb-go-sdk's middleware; a constructor may also
// return an error, and nil with it: c, err := GetClient(target)):
// storepb.ServerAsClient(srv).Series(ctx, req) runs the server in process
// and makes no RPC, and the methods of history.NewClient(conn, timeout)
// add their own timeout. A
// constructor of another package is known through a fact on it that says
// what its result's methods do with their context, by method name, so it
// works under go vet too. Generated constructors (NewEchoClient) are not
// looked into: their result is a network client.
//
// A client made on a hand-written implementation of
// grpc.ClientConnInterface (grpchan's inprocgrpc.Channel, a pool, a test's
// fake) runs that type's Invoke or NewStream for every call: the call is
// judged by their deadlineParams fact, silent when they make no RPC. A
// function from a connection to a connection (grpchan's
// InterceptClientConn, a test table's setup func) wraps the one it is
// given: its result, called directly or through a client made on it (a
// generated client, or another package's constructor's, whose ctorMethods
// fact is then not used), is judged by that connection.
//
// A call is reported when its context certainly has no deadline: it comes
// from context.Background() or context.TODO(), through variables,
// context.WithCancel, context.WithValue, metadata.NewOutgoingContext or
// metadata.AppendToOutgoingContext (none of which adds a deadline), and no
// context.WithTimeout, WithDeadline, WithTimeoutCause or WithDeadlineCause
// lies on any path to the call. Where an assignment depends on a branch
// (if timeout > 0 { ctx, cancel = context.WithTimeout(ctx, timeout) }), the
// call is reported only when no path adds a deadline. A cancel function
// armed on a timer is a deadline too: ctx, cancel :=
// context.WithCancel(ctx) with time.AfterFunc(d, cancel) (or a literal
// given to AfterFunc that calls cancel) in the same function is a
// watchdog, which swarmkit's raft transport resets after every message
// sent. A context held in
// an unexported struct field has the origin of every value the package
// stores in it (a client's ctx made by WithCancel(context.Background()) in
// its constructor, as tikv's PD client did; a parameter of an unexported
// function that only this package calls stands for what its calls pass,
// as in rekor's newAPI(context.Background(), ...)), when that is rooted in
// a detaching call. The analyzer stays silent when it cannot tell: a
// context from a field set otherwise (from a request, from an exported
// constructor's parameter, through its address), a map or a call it does
// not understand, a function it does not know that takes and returns
// a context on the way (signal.NotifyContext, an interface method, a
// function value: it may add a deadline), or paths that disagree about
// where the context comes from. A function that returns a context is
// known by its body, in any package (through a fact across packages): the
// context it returns is derived from one of its parameters, with or
// without a deadline or a cancel function added, or made there by
// context.Background() or TODO(). A helper that makes a timeout but
// returns the context it was given (as vitess's LockShard did) adds
// nothing.
// A grpc.WaitForReady(true) call without a deadline gets a message saying
// that it can block forever, and so does one on a connection dialled with
// grpc.WithDefaultCallOptions(grpc.WaitForReady(true)).
//
// Connections: a unary call on a client made from a connection dialled
// with a unary client interceptor that gives every call a deadline
// (go-grpc-middleware's timeout.UnaryClientInterceptor, a retry
// interceptor with a per-try timeout, one whose body derives its context
// with WithTimeout or WithDeadline before calling the invoker) is bounded
// whatever its context: silent. The dial is followed through variables,
// option slices built with append, this package's functions, and
// functions of other packages that return such a connection (a fact). An
// interceptor the analysis cannot see (a parameter, an exported field of a
// configuration, the result of a function value) may bound the calls too,
// so unary calls on that connection are not reported; interceptors held
// in local variables are followed to their values. Streams are not bounded
// by unary interceptors; a stream client interceptor that opens every
// stream on a context given a deadline (grpc.WithStreamInterceptor,
// WithChainStreamInterceptor) bounds the streams on the connection in the
// same way (testdata/ctxdeadline/conns: boundedStreams, loggedStreams),
// and one the analysis cannot see may (viaConfiguredStreams). A
// connection whose dial is out of view (a *grpc.ClientConn handed in as
// a parameter or an interface value) is not known to bound anything.
//
// context.WithoutCancel(ctx) drops ctx's deadline along with its
// cancellation: a call on it without a new timeout can hang forever with
// nothing left to stop it, so it is reported like context.Background().
// ctxdetach accepts WithoutCancel as the deliberate way to detach from a
// request; ctxdeadline asks that the detached work still be bounded, with
// context.WithTimeout(context.WithoutCancel(ctx), d).
//
// Streams: a long-lived stream (a subscription, a watch) may legitimately
// have no deadline, but something must be able to end it. By default a
// streaming call is reported only when its context can never be cancelled:
// neither a deadline nor a cancel function (context.WithCancel,
// WithCancelCause, errgroup.WithContext) lies on any path to it, and
// nothing closes its connection while it is in use: closing a
// *grpc.ClientConn ends every stream on it, as a cancel function would
// (grpcctx.Client.Closed: conn.Close in a goroutine or an AfterFunc, the
// owner's Close method closing the field the connection is kept in, or
// each element of a field of connections (p.conns[i].Close()), a helper
// that returns a connection it so closes, a parameter every caller gives
// such a one). A connection stored into such a field is closed from the
// store on; before it, in the storing function, only when nothing waits
// on a stream there (a stream whose headers are awaited before the
// connection is handed over can block before any Close). A Close
// statement in the function that uses the connection, deferred or not,
// runs only once it is done, a close callback
// a helper returns only when its caller is, and one registered with a
// test's Cleanup only once the test is: none of them counts. A unary call
// still needs a deadline. With -ctxdeadline.streams, streams
// need a deadline like unary calls.
//
// Handlers: in gRPC handler scope (handler methods, server interceptors and
// the function literals inside them) the request context is fine: it
// carries the caller's deadline, if any. A context there that is detached
// from the request with context.Background() or context.TODO() is
// ctxdetach's finding when ctxdetach runs too, and ctxdeadline stays silent
// so that the user sees one finding, not two (with -ctxdetach.ctx-funcs the
// same holds in every function with a context parameter). So it is in a
// function of the package that takes no context and that handler scope
// calls (directly, through further such functions, or as an interface
// method's implementation): ctxdetach reports the handler's call of it,
// with the detached call as related position. Through an interface method
// ctxdetach reports only when every implementation of it detaches; where
// one does not (a gRPC plugin lister beside an in-process one, velero's
// PluginLister), the detached RPC is reported here, in the implementation
// (testdata/ctxdeadline/listers). An implementation is judged by the RPCs
// directly in its body: one whose RPC is in a helper it calls counts as
// not detaching, so such an RPC may get both findings, never neither. An
// interface method that takes a context has no such fact (its
// implementations may only log with it): an implementation that drops the
// context for a detached RPC is reported here too. A helper that another
// package can call (an exported function or method, an exported
// interface's implementation, or a helper one of them calls) cannot know
// whether a handler calls it: facts flow from a package to its importers,
// not back. It keeps its finding in its body, and a handler of another
// package that calls it gets ctxdetach's finding too: two findings, both
// true. (Moving the finding to the helper's calls was measured in
// session 5: it lost the findings of helpers whose callers are in tests or
// behind an interface or a goroutine, and made one finding per call of
// others.)
//
//	// package node
//	func (n *Node) Send(in *pb.Req) error { ... n.c.Put(context.Background(), in) ... } // reported here
//
//	// package server
//	func (s *server) Put(ctx context.Context, in *pb.Req) (*pb.Resp, error) {
//		return nil, s.n.Send(in) // ctxdetach's finding
//	}
//
// When ctxdetach is switched off, or ctxdeadline runs without it (the
// package's Analyzer on its own), ctxdeadline reports a detached call in
// handler scope itself.
//
// Function values: a call through a function value is a gRPC call when
// every value it may hold is a method value of a client method, and where
// the value comes from is visible in the package: a local variable
// (call := c.Lookup), an unexported struct field every store of which in
// the package is such a value, or an element of a local map, slice or
// array (a dispatch table, m[name](ctx, req) or f, ok := m[name]) whose
// every definition is a composite literal of such values, whose element
// stores store such values, and which goes nowhere else (not passed to a
// function, aliased, stored, returned or address-taken). The message
// names every method the value may call. Anything else is not followed: a
// parameter or a function's result (a callback, a wrapper with its own
// timeout), a package variable, a range value, a table made by make. A
// method value of a client made by a constructor whose method that runs
// is known (storepb.ServerAsClient's, in process) is silent, as its direct
// call is.
//
// Context parameters: a context that arrives as a parameter is the caller's
// business, so the call is not reported where it is made. Instead, through
// facts, a function declaration whose context parameter reaches a gRPC call
// that adds no deadline of its own (directly in its body, or through
// further such functions, in any package) passes the question to its
// callers: a call that gives it a context without a deadline is reported at
// that argument, with the RPC as related position. Calls inside function
// literals do not count (they may run later, once, or never), nor do calls
// through interfaces or function values, whose callee is unknown (a
// function value that can only hold client method values is the RPC
// itself, below).
//
// Clients of unknown origin: an interface-typed client is not known to be a
// network client. In a unit test it is a gomock or mockery mock; in
// production it may be a wrapper that adds its own timeout. So an RPC
// reaches callers through the fact only where its client is known: made
// from a connection (pb.NewUsersClient(conn) on every way to the call, or
// an unexported field that every assignment in the package sets so), a
// ClientConn's Invoke or NewStream, a concrete client type, or a parameter
// of the function, in which case the fact says which and each caller's
// argument for it decides (a mock or an injected value: silent; a client
// made from a connection: reported). An exported field, or one set from a
// constructor's parameter, may hold anything: no fact.
//
// Callbacks: a wrapper that dials, makes a client from the connection and
// calls a callback with it (seaweedfs' pb.WithGrpcFilerClient(..., fn)
// makes filer_pb.NewSeaweedFilerClient(conn) and returns fn(client)) says
// so in a fact on the wrapper (callbackClients: its function-typed
// parameter i is called with a network client as argument j, directly or
// inside a function literal in its body), and so does a function that
// passes its own parameter straight on to such a wrapper
// (CommandEnv.WithFilerClient(streaming, fn), in another package, which
// never touches a connection). In a function literal given there as
// argument i, parameter j is a network client, in the literal and in the
// literals inside it (a goroutine, a retry, a walk's visitor), unless the
// package assigns to it: a helper it is passed to with
// context.Background() is reported as for pb.NewUsersClient(conn). A
// wrapper that calls the callback with a value it did not make from a
// connection (a fake, a parameter of its own) gets no fact, and the
// callback's calls stay silent; a callback passed as a variable or a
// method value, and a wrapper called through an interface (seaweedfs'
// filer_pb.FilerClient.WithFilerClient), are not followed.
//
//	func WithClient(target string, fn func(echo.EchoClient) error) error {
//		... conn ...
//		return fn(echo.NewEchoClient(conn))
//	}
//
//	_ = pool.WithClient(target, func(c echo.EchoClient) error {
//		return rpcs.Fetch(context.Background(), c) // reported
//	})
//
// Direct calls: a direct call is judged wherever its client comes from
// (the call site itself chose a context without a deadline), with one
// exception for a client interface
// the user's code declares (in a hand-written file) rather than protoc:
// when the client's value is not in view (an interface-typed field set
// from a constructor's parameter, a parameter, a pool's Get, a map) and
// the interface's package makes all its values itself (every function
// there whose result is the interface returns, besides nil, a value of a
// type of that package, a type assertion to the interface or another such
// function's result, through local variables too), the call is judged by
// what the methods of those types, and of every other type of that
// package that implements the interface, do with their context, joined
// over all of them: silent when each adds its own deadline or makes no RPC
// (dragonfly's managerclient.V2, whose only implementation starts every
// method with context.WithTimeout(ctx, contextTimeout)), reported when one
// of them passes the context on unchanged, has no body there (an embedded
// client) or the package returns a value of another package as the
// interface (a generated client). The interface's package exports this as
// a fact on the interface (implMethods), so it works across packages and
// under go vet; a function of another package that passes its context to
// such a bounded call gets no fact for it either. A generated client
// interface (pb.UsersClient) of unknown origin is always judged by its
// shape: a direct call on it is reported.
//
//	type announcer struct{ mgr managerclient.V2 }     // set from New's parameter
//	a.mgr.UpdateScheduler(context.Background(), req)  // silent: V2's implementation adds a timeout
//	type engine struct{ users pb.UsersClient }        // set from New's parameter
//	e.users.Lookup(context.Background(), req)         // reported: a generated client
//
//	func Verify(ctx context.Context, c pb.UsersClient) error { ... c.Lookup(ctx, req) ... }
//
//	_ = Verify(context.Background(), mock)                      // silent: a mock
//	_ = Verify(context.Background(), pb.NewUsersClient(conn))   // reported
//
// There is no suggested fix: a timeout needs a duration and a cancel call
// that only the author can choose.
//
// Test code is not checked by default: _test.go files, and a test's
// helper in any file (a function that takes a *testing.T, B, F or TB, or a
// literal inside one; a package of test utilities such as a storage
// adapter's satest), judged as a _test.go file is. A hung RPC there holds
// the test only until go test's -timeout kills the binary, and most clients
// in tests are mocks. With -ctxdeadline.tests they are, with the rules
// above (a mock stays silent), and the remedy names the test's context,
// context.WithTimeout(t.Context(), ...), when a *testing.T, B, F or TB is
// in scope and the Go version has it. A call that passes a context to a
// function with the fact (no-deadline-via-call) is never reported in a
// _test.go file, even then: in tests the path the fact describes is mostly
// not the one taken (a fake put into the field that guards a lazy dial, a
// chain of in-process servers); the test's direct calls are, and so are
// calls of a client the test makes with another package's constructor
// from a *grpc.ClientConn (pmetricotlp.NewGRPCClient(conn).Export(...)):
// the connection is the test's own, as with a generated NewXClient(conn).
// A call inside a check given to testify's Eventually, EventuallyWithT or
// Never (assert or require) is not reported: the check runs in a goroutine
// that the wait leaves behind at its deadline, so the test cannot hang.
// Nor is a direct call to a service that the test's program registers on
// a server of its own (pb.RegisterEchoServer(s, impl) or
// s.RegisterService(&pb.Echo_ServiceDesc, impl), in the test, its package
// or any package the test links): whether it can hang is what the test's
// handler does, which ctxloop and ctxdetach judge where it is written. A
// call to a service the program does not register (an e2e test against a
// deployed server) is reported.
//
// # Flags
//
//	-ctxdeadline.streams
//
// Require a deadline on streaming calls too (default false: a stream only
// has to be cancellable).
//
//	-ctxdeadline.tests
//
// Also check _test.go files (default false).
//
//	-ctxdeadline.rpc list
//
// A comma-separated list of methods, interfaces or functions, fully
// qualified as for -exempt, that make a gRPC call the analysis cannot see
// into: a hand-written client interface whose implementation is registered
// through a factory (vitessio/vitess#15990). Their calls are judged like
// generated client methods, on a network client.
//
//	-ctxdeadline.exempt list
//
// A comma-separated list of client methods or types whose calls are not
// checked, for services whose client interceptor or service config imposes
// a default timeout. Names are fully qualified, in the style of printf's
// -funcs: example.com/pb.UsersClient.Lookup (one method),
// example.com/pb.UsersClient (all its methods),
// (*google.golang.org/grpc.ClientConn).Invoke. They are matched against the
// called method's receiver type, so a call through an embedding struct is
// exempt too and a same-named method of another type is not. The flag may
// be repeated.
package ctxdeadline
