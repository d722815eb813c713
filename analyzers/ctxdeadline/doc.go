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
// ...grpc.CallOption: the methods of generated client interfaces in every
// generator style, from any module (grpc_health_v1.HealthClient too),
// (*grpc.ClientConn).Invoke and NewStream, and grpc.ClientConnInterface.
//
// A call is reported when its context certainly has no deadline: it comes
// from context.Background() or context.TODO(), through variables and
// context.WithCancel, context.WithValue, metadata.NewOutgoingContext or
// metadata.AppendToOutgoingContext (none of which adds a deadline), and no
// context.WithTimeout, WithDeadline, WithTimeoutCause or WithDeadlineCause
// lies on any path to the call. Where assignments depend on branches (if
// timeout > 0 { ctx, cancel = context.WithTimeout(ctx, timeout) }), a call
// is reported only when no path adds a deadline. The analyzer stays silent
// when it cannot tell: a context from a field, a map, a function value, or a
// function it does not know that takes and returns a context (it may add a
// deadline), or paths that disagree about where the context comes from.
//
// context.WithoutCancel(ctx) drops ctx's deadline as well as its
// cancellation, so a call on it without a new timeout can hang forever with
// nothing left to stop it; it is reported like context.Background().
// (ctxdetach accepts WithoutCancel as the deliberate way to detach from a
// request; ctxdeadline asks that the detached work still be bounded.)
//
// Streams: a long-lived stream (a subscription, a watch) may legitimately have no
// deadline, but something must be able to end it. By default a streaming
// call is reported only when its context can never be cancelled: neither a
// deadline nor a cancel function (context.WithCancel, WithCancelCause,
// errgroup.WithContext) lies on any path to it. With -ctxdeadline.streams,
// streams need a deadline like unary calls.
//
// Handlers: in gRPC handler scope (handler methods, server interceptors and function
// literals inside them) the request context is fine: it carries the
// caller's deadline, if any. A context there detached from the request with
// context.Background() or context.TODO() is ctxdetach's finding, and
// ctxdeadline stays silent so that the user sees one finding, not two.
//
// Context parameters: a context that arrives as a parameter is the caller's business: the call
// is not reported where it is made. Instead, through facts, a function
// declaration whose context parameter reaches a deadline-less gRPC call
// (directly in its body, or through further such functions, in any
// package) makes its callers responsible: a call that passes a context
// without a deadline there is reported at that argument, with the RPC as
// related position. Calls inside function literals do not count: they may
// run later, once, or never.
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
// called method's receiver type, not against the spelling at the call site.
// The flag may be repeated.
package ctxdeadline
