package rpcs

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// Functions with a gRPC client method's shape (a context first,
// ...grpc.CallOption last) that are concrete, hand-written code are judged
// by their bodies, in any package, through the deadlineParams fact.

// DoUnary is an interop-style test helper (grpc-go's interop.DoEmptyUnaryCall)
// that passes its context straight to the RPC: its callers are reported
// through the fact.
func DoUnary(ctx context.Context, c echo.EchoClient, opts ...grpc.CallOption) error { // want DoUnary:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:20 on client param 1\)`
	_, err := c.Unary(ctx, &echo.Msg{}, opts...)
	return err
}

// DoWithTimeout sets its own timeout (grpc-go's
// interop.DoTimeoutOnSleepingServer): any context is fine.
func DoWithTimeout(ctx context.Context, c echo.EchoClient, opts ...grpc.CallOption) error {
	ctx, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	_, err := c.Unary(ctx, &echo.Msg{}, opts...)
	return err
}

// DoCancelAfterBegin opens a stream on a context it cancels itself
// (grpc-go's interop.DoCancelAfterBegin): the stream can always be ended.
func DoCancelAfterBegin(ctx context.Context, c echo.EchoClient, opts ...grpc.CallOption) error {
	ctx, cancel := context.WithCancel(ctx)
	stream, err := c.ClientStream(ctx, opts...)
	if err != nil {
		return err
	}
	cancel()
	_, err = stream.CloseAndRecv()
	return err
}

// LocalWriter stands in for an EchoClient in process (thanos'
// localAsyncWriter.RemoteWrite): its Unary has the client method's shape
// and makes no RPC at all.
type LocalWriter struct{ N int }

func (w *LocalWriter) Unary(ctx context.Context, in *echo.Msg, _ ...grpc.CallOption) (*echo.Msg, error) {
	w.N++
	return in, ctx.Err()
}

// UnaryClient is a client interface of the user's, and AsClient a
// constructor of one that calls the server in process. Its callers in
// other packages cannot see the type it returns (go vet sees this package
// through its export data, which leaves serverAsClient out); the
// constructor's ctorMethods fact tells them what its methods do.
type UnaryClient interface { // want UnaryClient:`implMethods\(Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:\d+\)\)`
	Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
}

// AsClient calls the server in process: no RPC, its fact lists no method.
func AsClient(s echo.EchoServer) UnaryClient { return serverAsClient{s} } // want AsClient:`ctorMethods\(\)`

type serverAsClient struct{ s echo.EchoServer }

func (c serverAsClient) Unary(ctx context.Context, in *echo.Msg, _ ...grpc.CallOption) (*echo.Msg, error) {
	return c.s.Unary(ctx, in)
}

// NewTimed makes a client whose every method adds its own timeout (a
// history.NewClient(conn, timeout)): calls on it are bounded whatever
// context they get.
func NewTimed(conn grpc.ClientConnInterface, timeout time.Duration) UnaryClient { // want NewTimed:`ctorMethods\(\)`
	return &timedClient{c: echo.NewEchoClient(conn), timeout: timeout}
}

type timedClient struct {
	c       echo.EchoClient
	timeout time.Duration
}

func (t *timedClient) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	return t.c.Unary(ctx, in, opts...)
}

// NewPlain makes a client that passes its context on unchanged: callers
// need a deadline.
func NewPlain(conn grpc.ClientConnInterface) UnaryClient { // want NewPlain:`ctorMethods\(Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:\d+\)\)`
	return plainClient{echo.NewEchoClient(conn)}
}

type plainClient struct{ c echo.EchoClient }

func (p plainClient) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) { // want Unary:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:\d+\)`
	return p.c.Unary(ctx, in, opts...)
}

// NewPartial overrides one method of an embedded client: the others run
// the embedded client's, whose body is unknown here.
func NewPartial(c echo.EchoClient) echo.EchoClient { // want NewPartial:`ctorMethods\(Bidi: by shape; ClientStream: by shape; ServerStream: by shape\)`
	return &partialClient{EchoClient: c}
}

type partialClient struct{ echo.EchoClient }

func (p *partialClient) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return p.EchoClient.Unary(ctx, in, opts...)
}

// DialTimed dials and returns a client whose every method adds its own
// timeout, or nil and the error (dragonfly's GetClientByAddr): the same
// fact as NewTimed's.
func DialTimed(target string, timeout time.Duration) (UnaryClient, error) { // want DialTimed:`ctorMethods\(\)`
	conn, err := grpc.NewClient(target)
	if err != nil {
		return nil, err
	}
	return &timedClient{c: echo.NewEchoClient(conn), timeout: timeout}, nil
}

// DialPlain is DialTimed for a client that passes its context on.
func DialPlain(target string) (UnaryClient, error) { // want DialPlain:`ctorMethods\(Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:\d+\)\)`
	conn, err := grpc.NewClient(target)
	if err != nil {
		return nil, err
	}
	return plainClient{echo.NewEchoClient(conn)}, nil
}
