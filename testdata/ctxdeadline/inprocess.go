package ctxdeadline

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
)

// Clients made on a hand-written grpc.ClientConnInterface run its Invoke
// and NewStream for every call: they are judged by what those methods do
// with the context, the same whether the client is used directly or held
// in a variable first.

// inProcessConn serves every call in process (grpchan's
// inprocgrpc.Channel): there is no RPC to bound.
type inProcessConn struct{ s echo.EchoServer }

func (c *inProcessConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	out, err := c.s.Unary(ctx, args.(*echo.Msg))
	if err == nil {
		*reply.(*echo.Msg) = *out
	}
	return err
}

func (c *inProcessConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, ctx.Err()
}

// poolConn spreads calls over real connections: every call is an RPC.
type poolConn struct{ conns []*grpc.ClientConn }

func (p *poolConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error { // want Invoke:`deadlineParams\(param 0 reaches call grpc.ClientConn.Invoke at inprocess.go:38\)`
	return p.conns[0].Invoke(ctx, method, args, reply, opts...)
}

func (p *poolConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) { // want NewStream:`deadlineParams\(param 0 reaches stream grpc.ClientConn.NewStream at inprocess.go:42\)`
	return p.conns[0].NewStream(ctx, desc, method, opts...)
}

// taggedConn gets Invoke and NewStream from the real connection it
// embeds: a network connection.
type taggedConn struct{ *grpc.ClientConn }

func inProcessClients(s echo.EchoServer) {
	bg := context.Background()
	_, _ = echo.NewEchoClient(&inProcessConn{s}).Unary(bg, msg) // silent: served in process
	c := echo.NewEchoClient(&inProcessConn{s})
	_, _ = c.Unary(bg, msg) // silent: the same client held in a variable
	call := c.Unary
	_, _ = call(bg, msg) // silent: and through a method value
	_, _ = c.Bidi(bg)    // silent: its NewStream makes no RPC either
	var cc grpc.ClientConnInterface = &inProcessConn{s}
	_, _ = echo.NewEchoClient(cc).Unary(bg, msg) // silent: the variable only ever holds the in-process channel
	legacy := echolegacy.NewEchoClient(&inProcessConn{s})
	_, _ = legacy.Unary(bg, &echolegacy.Msg{}) // silent: pre-generic generated code, in process
	w := rpcs.Intercepted(&inProcessConn{s}, func() {})
	_, _ = echo.NewEchoClient(w).Unary(bg, msg)            // silent: a wrapper's calls are the in-process channel's
	_ = w.Invoke(bg, "/echo.Echo/Unary", msg, msg)         // silent: the same, called directly
	_, _ = rpcs.NewPlain(&inProcessConn{s}).Unary(bg, msg) // silent: another package's client on the in-process channel
}

func pooledClients(conns []*grpc.ClientConn, conn *grpc.ClientConn) {
	bg := context.Background()
	_, _ = echo.NewEchoClient(&poolConn{conns}).Unary(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	c := echo.NewEchoClient(&poolConn{conns})
	_, _ = c.Unary(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	call := c.Unary
	_, _ = call(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = c.Bidi(bg)    // want `gRPC stream echo.EchoClient.Bidi uses bg \(from context.Background\(\)\), which has neither a deadline nor a cancel function`
	legacy := echolegacy.NewEchoClient(&poolConn{conns})
	_, _ = legacy.Unary(bg, &echolegacy.Msg{}) // want `gRPC call echolegacy.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	w := rpcs.Intercepted(&poolConn{conns}, func() {})
	_, _ = echo.NewEchoClient(w).Unary(bg, msg)           // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_ = w.Invoke(bg, "/echo.Echo/Unary", msg, msg)        // want `call to grpc.ClientConnInterface.Invoke passes bg`
	_, _ = rpcs.NewPlain(&poolConn{conns}).Unary(bg, msg) // want `call to rpcs.UnaryClient.Unary passes bg`
	tagged := echo.NewEchoClient(taggedConn{conn})
	_, _ = tagged.Unary(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
}

// hookConn runs what its constructors built, closures that run a hook
// and call the connection they wrap, taken from their callers (ydb-go-sdk's
// conn middleware): a mock in the package's tests, anything in production.
type hookConn struct {
	invoke    func(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error
	newStream func(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error)
}

func (h *hookConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	return h.invoke(ctx, method, args, reply, opts...)
}

func (h *hookConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return h.newStream(ctx, desc, method, opts...)
}

func withBefore(cc grpc.ClientConnInterface, before func()) grpc.ClientConnInterface {
	return &hookConn{
		invoke: func(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
			before()
			return cc.Invoke(ctx, method, args, reply, opts...)
		},
		newStream: func(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			before()
			return cc.NewStream(ctx, desc, method, opts...)
		},
	}
}

func withOptions(cc grpc.ClientConnInterface, extra ...grpc.CallOption) grpc.ClientConnInterface {
	return &hookConn{
		invoke: func(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
			return cc.Invoke(ctx, method, args, reply, append(opts, extra...)...)
		},
		newStream: func(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
			return cc.NewStream(ctx, desc, method, append(opts, extra...)...)
		},
	}
}

// chainedHooks wraps a connection twice, with two constructors that both
// make a hookConn: the call runs hookConn's Invoke, which calls a function
// value (a closure of the constructor's, whose connection is its caller's). Where the variable may also
// hold a real connection, the call is an RPC.
func chainedHooks(cc grpc.ClientConnInterface, conn *grpc.ClientConn, real bool) {
	w := withBefore(cc, func() {})
	w = withOptions(w, grpc.WaitForReady(false))
	_ = w.Invoke(context.Background(), "/echo.Echo/Unary", msg, msg) // silent: a hookConn either way
	v := withBefore(cc, func() {})
	if real {
		v = conn
	}
	_ = v.Invoke(context.Background(), "/echo.Echo/Unary", msg, msg) // want `gRPC call grpc.ClientConnInterface.Invoke uses context.Background\(\)`
}
