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
// interface method called on the result of a constructor of the same
// package that returns one concrete type: storepb.ServerAsClient(srv).
// Series(ctx, req) runs the server in process and makes no RPC. Generated
// constructors (NewEchoClient) and other packages' constructors (go vet
// sees only their export data) are not looked into.
//
// A call is reported when its context certainly has no deadline: it comes
// from context.Background() or context.TODO(), through variables,
// context.WithCancel, context.WithValue, metadata.NewOutgoingContext or
// metadata.AppendToOutgoingContext (none of which adds a deadline), and no
// context.WithTimeout, WithDeadline, WithTimeoutCause or WithDeadlineCause
// lies on any path to the call. Where an assignment depends on a branch
// (if timeout > 0 { ctx, cancel = context.WithTimeout(ctx, timeout) }), the
// call is reported only when no path adds a deadline. The analyzer stays
// silent when it cannot tell: a context from a field, a map or a call it
// does not understand, a function it does not know that takes and returns
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
// that it can block forever.
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
// WithCancelCause, errgroup.WithContext) lies on any path to it. With
// -ctxdeadline.streams, streams need a deadline like unary calls.
//
// Handlers: in gRPC handler scope (handler methods, server interceptors and
// the function literals inside them) the request context is fine: it
// carries the caller's deadline, if any. A context there that is detached
// from the request with context.Background() or context.TODO() is
// ctxdetach's finding, and ctxdeadline stays silent so that the user sees
// one finding, not two.
//
// Context parameters: a context that arrives as a parameter is the caller's
// business, so the call is not reported where it is made. Instead, through
// facts, a function declaration whose context parameter reaches a gRPC call
// that adds no deadline of its own (directly in its body, or through
// further such functions, in any package) passes the question to its
// callers: a call that gives it a context without a deadline is reported at
// that argument, with the RPC as related position. Calls inside function
// literals do not count (they may run later, once, or never), nor do calls
// through function values or interfaces, whose callee is unknown.
//
// There is no suggested fix: a timeout needs a duration and a cancel call
// that only the author can choose. Test files are checked like any other
// (a hung RPC holds the test until go test's -timeout kills the binary);
// there the remedy names the test's context, context.WithTimeout(t.Context(),
// ...), when a *testing.T, B, F or TB is in scope and the Go version has
// it. The standalone command's -test=false leaves test files out.
//
// # Flags
//
//	-ctxdeadline.streams
//
// Require a deadline on streaming calls too (default false: a stream only
// has to be cancellable).
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
