// Package ctxdetach defines an Analyzer that reports outbound calls in gRPC
// handlers that are made on a context detached from the request.
//
// # Analyzer ctxdetach
//
// ctxdetach: check that gRPC handlers pass the request context to outbound calls
//
// A gRPC server is usually also a client of other servers. When a handler
// calls upstream with context.Background() or context.TODO(), or a context
// derived from them, the caller's cancellation and deadline stop at the
// handler: the upstream work runs on after nobody wants it.
//
// WRONG:
//
//	func (s *server) GetUser(ctx context.Context, req *pb.GetUserRequest) (*pb.User, error) {
//		return s.users.Lookup(context.Background(), &pb.LookupRequest{Id: req.Id})
//	}
//
// RIGHT:
//
//	func (s *server) GetUser(ctx context.Context, req *pb.GetUserRequest) (*pb.User, error) {
//		return s.users.Lookup(ctx, &pb.LookupRequest{Id: req.Id})
//	}
//
// Handler scope is every method of a type that implements a generated
// service server interface (both the generic and the older named-stream
// generated styles, with or without an embedded UnimplementedXxxServer), every
// unary and stream server interceptor, and every function literal inside
// them, goroutines included. The request context is the handler's or
// interceptor's context parameter, a stream's Context(), and anything
// derived from them.
//
// An outbound call is a call that hands its context to outbound work, on
// positive evidence only:
//
//   - a gRPC client call (generated client methods, ClientConn.Invoke and
//     NewStream), or an interceptor's call of its handler or invoker;
//   - a function of the standard library's net, net/http, database/sql,
//     os/exec or crypto/tls (http.NewRequestWithContext, db.QueryContext,
//     exec.CommandContext, a dial or a DNS lookup);
//   - a function or method, in any package, whose body passes the context
//     (or one derived from it) to such work, or waits on it (ctx.Done(),
//     ctx.Err(), ctx.Deadline());
//   - an interface method implemented in the interface's own package (or
//     called on the result of this package's constructor) by a method that
//     does so: a Store whose implementation calls a gRPC client or
//     database/sql.
//
// Anything else is not: loggers and telemetry that take a context to read
// a trace or a logger from it (log/slog, OpenTelemetry's Logger and
// metric instruments, zerolog, logr, btclog, a Logger interface of the
// user's), calls through function values whose origin is not visible,
// and interfaces whose implementation is not known (a mock, a wrapper). A
// function value that can only hold client method values (a local
// call := c.Lookup, an unexported field so set, a dispatch table of them
// built in the function; see ctxdeadline's doc) is a gRPC call. Calls that return a
// context derive one and are judged where the result is used. Nor are
// net's listening functions, however they are reached (net.Listen and
// net.ListenUnix bind a local socket through net's own listenTCP,
// listenUnix, ... on context.Background(); the context only bounds that).
// Nor is grpc.DialContext unless an option that makes it wait (WithBlock,
// WithReturnConnectionError, FailOnNonTempDialError) is in view, made by
// code outside _test.go files when the dial is (a test's WithBlock for its
// own dials says nothing of how production dials): without one the dial returns at once and connects in the
// background, so grpc's own Dial (DialContext(context.Background(), ...))
// and a provider that dials once and caches the connection are no detached
// outbound work; the RPCs on the connection carry their own contexts. Nor
// is a fixed command by which code checks its environment: exec.Command
// whose arguments are all constants or a temporary path the same function
// made (k8s mount-utils runs umount on a fresh temp dir to learn its "not
// mounted" message); one built from a parameter, a field or run-time data
// does the request's work and counts. Nor is work that fills an object's
// cache: a call whose result the function stores in a field (x.f = v,
// x.f[k] = v), in a function that before the call returned early on a
// read of that field (if c, ok := p.conns[name]; ok { return c, nil }):
// the value serves every later request, and one request's cancellation
// must not cut its making short (the guarded form, if x.f == nil { x.f =
// ... }, in handler scope is the same rule).
//
// Evidence that lies only behind a flag of the callee (a bool, integer or
// string parameter the body never assigns: every outbound use of the
// context sits under if retry { ... }, if mode == remote { ... } or a
// switch's case BlockAccess:, or after if cached { return ... }) holds
// only for calls that may pass such a value: a call that passes a
// constant the guard rules out (owners.Get(context.Background(), pod,
// false): read the cache only, linkerd2's GetOwnerKindAndName) is not
// outbound. The same holds for a helper that takes no context and runs a
// process or a detached call only for some values
// (createVolume(id, MountAccess) makes a directory; its exec.Command runs
// under case BlockAccess, csi-driver-host-path). The guard is known across
// packages (the outboundParams and detachedCall facts), but is not
// followed through a caller that passes its own flag on: that caller
// counts as outbound whatever its callers pass.
//
// The analyzer follows contexts through local variables and assignments,
// including ctx = context.Background() over the parameter; where the
// definitions that reach a call disagree it stays silent. A context held
// in an unexported struct field has the origin of every value the package
// stores in it (a constructor's &store{ctx: context.Background()}; a
// parameter of an unexported function only this package calls stands for
// what its calls pass); a field set from a request context or from an
// exported constructor's parameter is not followed.
// context.WithoutCancel(ctx) is the deliberate way to detach (for work that
// must outlive the RPC) and is never reported. Three other ways to give
// work a lifetime of its own are not reported either:
//
//   - a context made with context.WithCancel, WithTimeout or WithDeadline
//     whose cancel function is kept beyond the function that made it
//     (stored in a field or a map, returned, passed on: not only called or
//     deferred). Whoever holds it ends the context: a watcher another RPC
//     stops, a container's I/O that lives as long as the container;
//   - an argument for a context parameter that the callee, in any package,
//     uses only inside goroutines it starts (a monitor that runs until
//     ctx.Done()): the context is the lifetime handed to background work,
//     not one the call runs on;
//   - an argument for a context parameter that the callee, in any package,
//     keeps (or a context derived from it) in a struct it builds or a field
//     it sets, where the caller keeps the call's result too: stores it in a
//     field, a map, a package-level variable or a sync.Map (buildkit's
//     NewContainer handler keeps the container, which runs on its context,
//     in lbf.ctrs for later RPCs). A result used and closed within the
//     handler lives no longer than the RPC and is still reported.
//
// Nor is a detached context in a defer statement of the handler (the
// deferred call, or a deferred function literal): cleanup runs when the
// handler returns, often because the request failed or was cancelled, and
// the request context would cancel it (a rollback on the error path,
// containerd's util.DeferContext()). A cleanup RPC without a deadline
// there is ctxdeadline's finding.
//
// Nor is a context that a helper whose job is to make one returns detached
// (containerd's util.NamespacedContext(): its returnedContext fact is
// rooted in context.Background()): work on it outlives the request by
// design.
//
// A handler that never uses its request context (the parameter is blank
// or never referred to) has not detached anything on purpose: it dropped
// the request's context (cockroachdb/cockroach#5551: Node.Batch ran each
// batch on n.context(), the node's Background context). Outside its
// goroutines, a helper-made background context is reported there too,
// and so is a detached context passed to a callee without evidence of
// outbound work (an interface whose implementation is not in view) that
// is handed the request message itself (the RPC's work, delegated whole:
// stores.Send(bctx, req), not a lookup of one of its fields), returns an
// error (a logger's Info does not) and is not known to read only values.
// A kept cancel function still marks a lifetime of its own.
//
// Nor is a call to a function that only reads values from its context
// (metadata.FromOutgoingContext, a logger lookup: the model's readsValues
// fact): it carries nothing upstream.
//
// Goroutines: a goroutine the handler starts may outlive the RPC, and gRPC
// cancels the request context when the handler returns. There a detached
// context with a deadline on every path (best-effort work after the RPC:
// refreshing routes after a stream failed) is not reported: it is detached
// on purpose and bounded. Nor is a call there to a function that takes no
// context whose every detached call has such a deadline (a start-and-poll
// handler's go func() { s.purge() }(), whose upstream calls each run on
// context.WithTimeout(context.Background(), d); the detachedCall fact says
// bounded): the work is meant to outlive the RPC and has a lifetime of its
// own. An unbounded one is reported. In a goroutine that a unary handler
// does not wait for (no channel receive, WaitGroup.Wait or errgroup.Wait
// outside its goroutines: the model's HandlerWaits), the remedy is
// context.WithTimeout(context.WithoutCancel(ctx), d), for a helper given a
// context parameter too, never the request context, which gRPC cancels
// when the handler returns (the gorush bug below); it also keeps the
// request's values (trace, metadata). In a goroutine the handler may wait
// for, or one of a streaming handler, the remedy names both.
//
// Deliberate detachment in the handler's flow: a detached context with a
// deadline of its own (context.WithTimeout(context.Background(), d), in the
// handler or in every detached call of a helper it reaches: a client API
// whose methods each bound their call), or one that a function given the
// request context put in its place (ctx := context.Background() over a
// parameter it never uses, "so that the client cannot cancel the deletion
// half way"), is often meant to finish after the caller gives up: a
// multi-step mutation that must not stop half done. It is still reported:
// the analyzer cannot tell that from a dropped context (the same shape,
// a read under a lock or a day-long copy nobody waits for any more, was
// true on the projects read; cockroachdb/cockroach#5551), and the caller's
// cancellation is lost either way. The remedy then also names the idiom
// for the deliberate case, context.WithTimeout(context.WithoutCancel(ctx),
// d) (for a function that replaced its context, made there from the
// context it is given): it says so in the code, keeps the request's
// values, and is never reported. A context.TODO() root, or one without a deadline passed
// inline, gets the plain remedy.
//
// Through facts, a call from handler scope to a function in any package
// that takes no context, or takes one and never uses it (s.abandon(ctx,
// ...) whose body calls upstream on context.TODO()), yet makes an outbound
// call on a detached context inside it (directly in its body, or through
// further such functions) is reported at the handler's call, with the
// inner call as related position. A function that uses the context it is
// given somewhere is not followed (with -ctx-funcs it is checked itself).
// Calls inside function literals of such a function are not counted: they
// may run later, once, or in the background. A method of an interface that
// takes no context has the fact when every implementation of it in the
// interface's package has it (a component's Set whose gRPC store calls on
// the component's context.Background()); one that does not, or one whose
// body is unknown, keeps the interface's calls silent. Nor is a unary
// handler's call of an interface method of its own name whose fact is a
// gRPC call of the handler's own RPC (the same method name, request and
// response types): the adapter pattern of plugin systems, where the server
// adapter's Impl holds the real implementation behind the same interface
// as the remote stub that forwards each method to the generated client
// (hashicorp/go-plugin's GRPCServer.Get calls Impl.Get, and the only
// implementation in view is the stub GRPCClient.Get). Were the stub the
// handler's Impl, the handler would call itself. A direct call of the same
// RPC (a proxy forwarding upstream) is still reported. ctxdeadline, beside
// ctxdetach, leaves the detached calls in such functions to this report.
//
// A call of a function that takes no context, while its variant that takes
// one does outbound work (exec.Command and exec.CommandContext, net.Dial and
// net.DialContext: the same name with a Context or WithContext suffix, a
// context.Context first and the same parameters), is reported in handler
// scope and through the same facts: nothing can cancel it. A logger's
// Info/InfoContext pair is not outbound and does not count.
//
// Work that outlives the handler: in a unary handler, outbound work in a
// goroutine that the handler starts and does not wait for (no channel
// receive, WaitGroup.Wait or errgroup.Wait outside its goroutines) on the
// request context is reported: gRPC cancels that context when the handler
// returns, so the work is cut off at random (appleboy/gorush#789). The
// remedy is context.WithTimeout(context.WithoutCancel(ctx), d), the same as
// for a bare context.Background() in such a goroutine. Streaming
// handlers are left alone: a goroutine that serves a stream is meant to end
// with it.
//
// A suggested fix replaces context.Background() or context.TODO() with the
// request context when exactly one request context is in scope there
// (a context variable derived from the request, or else stream.Context()),
// and removes a plain ctx = context.Background() over the request context.
//
// # Flags
//
//	-ctxdetach.ctx-funcs
//
// Also check every function that has a context.Context parameter, taking
// that parameter as its request context (default false: gRPC handler
// scope only).
package ctxdetach
