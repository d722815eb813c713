// Package rpcs holds functions that take a context and make gRPC calls on
// it: the ctxdeadline fact tells their callers, in any package, that a
// context passed there needs a deadline.
package rpcs

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"example.com/fixtures/pb/echo"
)

// Fetch passes its context to the RPC unchanged: the caller decides the
// deadline.
func Fetch(ctx context.Context, c echo.EchoClient) error { // want Fetch:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at rpcs.go:19 on client param 1\)`
	_, err := c.Unary(ctx, &echo.Msg{})
	return err
}

// Via reaches Fetch's RPC through Fetch: the fact is transitive, and still
// names the RPC.
func Via(ctx context.Context, c echo.EchoClient) error { // want Via:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at rpcs.go:19 on client param 1\)`
	return Fetch(ctx, c)
}

// Tagged adds metadata and a cancel function, neither of which is a
// deadline: its second parameter still needs one.
func Tagged(c echo.EchoClient, ctx context.Context) error { // want Tagged:`deadlineParams\(param 1 reaches call echo.EchoClient.Unary at rpcs.go:35 on client param 0\)`
	ctx = metadata.AppendToOutgoingContext(ctx, "k", "v")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err := c.Unary(ctx, &echo.Msg{})
	return err
}

// Bounded sets its own timeout: no fact, any context is fine.
func Bounded(ctx context.Context, c echo.EchoClient) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := c.Unary(ctx, &echo.Msg{})
	return err
}

// Watch opens a stream on its context unchanged: the caller must make it
// cancellable.
func Watch(ctx context.Context, c echo.EchoClient) (grpc.BidiStreamingClient[echo.Msg, echo.Msg], error) { // want Watch:`deadlineParams\(param 0 reaches stream echo.EchoClient.Bidi at rpcs.go:50 on client param 1\)`
	return c.Bidi(ctx)
}

// Drain owns a cancel function for its stream: no fact, the stream ends
// when Drain returns whatever the caller passed.
func Drain(ctx context.Context, c echo.EchoClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.ServerStream(ctx, &echo.Msg{})
	if err != nil {
		return err
	}
	for {
		if _, err := stream.Recv(); err != nil {
			return err
		}
	}
}

// Pick has two context parameters; only the second reaches an RPC.
func Pick(a, b context.Context, c echo.EchoClient) error { // want Pick:`deadlineParams\(param 1 reaches call echo.EchoClient.Unary at rpcs.go:72 on client param 2\)`
	_ = a
	_, err := c.Unary(b, &echo.Msg{})
	return err
}

// Later makes its call inside a function literal that may run later, once
// or never: no fact.
func Later(ctx context.Context, c echo.EchoClient) func() error {
	return func() error {
		_, err := c.Unary(ctx, &echo.Msg{})
		return err
	}
}

// Background makes a deadline-less detached call and takes no context: it
// is reported here, in its body, whoever calls it.
func Background(c echo.EchoClient) error {
	_, err := c.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

// Client wraps a generated client made from a connection; its method's
// fact works like a function's.
type Client struct {
	c echo.EchoClient // set only from a connection: a real client
}

// NewClient makes a Client on conn.
func NewClient(conn grpc.ClientConnInterface) *Client {
	return &Client{c: echo.NewEchoClient(conn)}
}

// Get reaches a unary RPC and a stream on the same parameter: the fact
// keeps the unary call, which asks more of the caller.
func (cl *Client) Get(ctx context.Context) error { // want Get:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at rpcs.go:109\)`
	if _, err := cl.c.ServerStream(ctx, &echo.Msg{}); err != nil {
		return err
	}
	_, err := cl.c.Unary(ctx, &echo.Msg{})
	return err
}

// Exposed wraps a client in an exported field: any package may set it to
// anything (a mock, a wrapper with its own timeout), so the RPC is not
// known to be real and Get has no fact.
type Exposed struct {
	C echo.EchoClient
}

func (e *Exposed) Get(ctx context.Context) error {
	_, err := e.C.Unary(ctx, &echo.Msg{})
	return err
}

// Intercepted wraps cc, running hook before each call (grpchan's
// InterceptClientConn): every call on the result runs cc's Invoke or
// NewStream in the end, so its callers judge the result by cc.
func Intercepted(cc grpc.ClientConnInterface, hook func()) grpc.ClientConnInterface { // want Intercepted:`ctorMethods\(Invoke: deadlineParams\(param 0 reaches call grpc.ClientConnInterface.Invoke at rpcs.go:139\); NewStream: deadlineParams\(param 0 reaches stream grpc.ClientConnInterface.NewStream at rpcs.go:144\)\)`
	return &intercepted{cc: cc, hook: hook}
}

type intercepted struct {
	cc   grpc.ClientConnInterface
	hook func()
}

func (i *intercepted) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error { // want Invoke:`deadlineParams\(param 0 reaches call grpc.ClientConnInterface.Invoke at rpcs.go:139\)`
	i.hook()
	return i.cc.Invoke(ctx, method, args, reply, opts...)
}

func (i *intercepted) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) { // want NewStream:`deadlineParams\(param 0 reaches stream grpc.ClientConnInterface.NewStream at rpcs.go:144\)`
	i.hook()
	return i.cc.NewStream(ctx, desc, method, opts...)
}
