// Package ctxdeadline holds the fixtures of the ctxdeadline analyzer: client
// code that makes gRPC calls on contexts without a deadline (reported), each
// next to its correct twin (silent).
package ctxdeadline

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
)

var msg = &echo.Msg{Text: "hi"}

func background(c echo.EchoClient) error {
	_, err := c.Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline, so the call can wait forever and nothing can cancel it; derive the context with context.WithTimeout`
	return err
}

// Silent: WithTimeout sets a deadline.
func backgroundTimeout(c echo.EchoClient) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(ctx, msg)
	return err
}

func todo(c echo.EchoClient) error {
	ctx := context.TODO()
	_, err := c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.TODO\(\)\), which has no deadline`
	return err
}

// Silent: WithDeadline sets a deadline.
func todoDeadline(c echo.EchoClient) error {
	ctx, cancel := context.WithDeadline(context.TODO(), time.Now().Add(time.Second))
	defer cancel()
	_, err := c.Unary(ctx, msg)
	return err
}

func cancelOnly(c echo.EchoClient) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline, so the call can wait forever; derive the context with context.WithTimeout`
	return err
}

// Silent: the Cause variants set a deadline too.
func causes(c echo.EchoClient) error {
	ctx, cancel := context.WithTimeoutCause(context.Background(), time.Second, errors.New("slow"))
	defer cancel()
	if _, err := c.Unary(ctx, msg); err != nil {
		return err
	}
	dctx, dcancel := context.WithDeadlineCause(context.Background(), time.Now().Add(time.Second), errors.New("late"))
	defer dcancel()
	_, err := c.Unary(dctx, msg)
	return err
}

func metadataOnBackground(c echo.EchoClient) error {
	ctx := metadata.AppendToOutgoingContext(context.Background(), "k", "v")
	if _, err := c.Unary(ctx, msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
		return err
	}
	md := metadata.NewOutgoingContext(context.WithValue(context.Background(), key{}, 1), metadata.Pairs("k", "v"))
	_, err := c.Unary(md, msg) // want `gRPC call echo.EchoClient.Unary uses md \(from context.Background\(\)\), which has no deadline`
	return err
}

type key struct{}

// Silent: metadata and values on a timed context keep its deadline.
func metadataOnTimeout(c echo.EchoClient) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ctx = metadata.AppendToOutgoingContext(ctx, "k", "v")
	ctx = context.WithValue(ctx, key{}, 1)
	_, err := c.Unary(ctx, msg)
	return err
}

func invoke(conn *grpc.ClientConn, cc grpc.ClientConnInterface) error {
	out := new(echo.Msg)
	if err := conn.Invoke(context.Background(), "/fixtures.echo.v1.Echo/Unary", msg, out); err != nil { // want `gRPC call grpc.ClientConn.Invoke uses context.Background\(\), which has no deadline`
		return err
	}
	return cc.Invoke(context.TODO(), "/fixtures.echo.v1.Echo/Unary", msg, out) // want `gRPC call grpc.ClientConnInterface.Invoke uses context.TODO\(\), which has no deadline`
}

// Silent: a timed context.
func invokeTimeout(conn *grpc.ClientConn) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return conn.Invoke(ctx, "/fixtures.echo.v1.Echo/Unary", msg, new(echo.Msg))
}

func newStream(conn *grpc.ClientConn) error {
	desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}
	_, err := conn.NewStream(context.Background(), desc, "/fixtures.echo.v1.Echo/Bidi") // want `gRPC stream grpc.ClientConn.NewStream uses context.Background\(\), which has neither a deadline nor a cancel function, so only the server can ever end the stream; derive the context with context.WithCancel and call cancel when done, or with context.WithTimeout`
	return err
}

// Silent: a stream only needs to be cancellable.
func newStreamCancel(conn *grpc.ClientConn) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, "/fixtures.echo.v1.Echo/ServerStream")
	return err
}

func waitForReady(c echo.EchoClient) error {
	_, err := c.Unary(context.Background(), msg, grpc.WaitForReady(true)) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline, so with grpc.WaitForReady\(true\) the call can block forever while the server is unreachable; derive the context with context.WithTimeout`
	return err
}

// Silent: WaitForReady with a deadline gives up at the deadline.
func waitForReadyTimeout(c echo.EchoClient) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(ctx, msg, grpc.WaitForReady(true))
	return err
}

func rawStreams(c echo.EchoClient) error {
	if _, err := c.Bidi(context.Background()); err != nil { // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
		return err
	}
	if _, err := c.ServerStream(context.TODO(), msg); err != nil { // want `gRPC stream echo.EchoClient.ServerStream uses context.TODO\(\), which has neither a deadline nor a cancel function`
		return err
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "k", "v")
	_, err := c.ClientStream(ctx) // want `gRPC stream echo.EchoClient.ClientStream uses ctx \(from context.Background\(\)\), which has neither a deadline nor a cancel function`
	return err
}

// Silent: a cancellable bidi stream, ended by cancel when bidi returns.
func bidiCancel(c echo.EchoClient) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := c.Bidi(ctx)
	if err != nil {
		return err
	}
	for {
		if _, err := stream.Recv(); err != nil {
			return err
		}
	}
}

// Silent: errgroup.WithContext's context is cancelled when Wait returns.
func bidiErrgroup(c echo.EchoClient) error {
	g, ctx := errgroup.WithContext(context.Background())
	g.Go(func() error {
		_, err := c.Bidi(ctx)
		return err
	})
	return g.Wait()
}

// Silent: a context parameter is the caller's business; withParam gets a
// fact instead. Its client is a parameter too: whether a caller's call makes
// a real RPC depends on the client the caller passes.
func withParam(ctx context.Context, c echo.EchoClient) error { // want withParam:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at client.go:\d+ on client param 1\)`
	_, err := c.Unary(ctx, msg)
	return err
}

// viaLocal reaches withParam's RPC: same-package facts are transitive too.
func viaLocal(ctx context.Context, c echo.EchoClient) error { // want viaLocal:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at client.go:\d+ on client param 1\)`
	return withParam(ctx, c)
}

// callers makes its client from a connection: a real RPC.
func callers(conn grpc.ClientConnInterface) error {
	c := echo.NewEchoClient(conn)
	if err := withParam(context.Background(), c); err != nil { // want `call to ctxdeadline.withParam passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(client.go:\d+\) with no deadline, so the call can wait forever; derive the context with context.WithTimeout`
		return err
	}
	if err := viaLocal(context.TODO(), c); err != nil { // want `call to ctxdeadline.viaLocal passes context.TODO\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary`
		return err
	}
	// Silent: a timed context.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return viaLocal(ctx, c)
}

// Silent: the client is a parameter, of unknown origin: in a unit test it is
// a mock, in production it may be a wrapper with its own timeout. Only a
// call made on the client directly is judged without knowing its origin.
func callersOfUnknown(c echo.EchoClient) error {
	if err := withParam(context.Background(), c); err != nil {
		return err
	}
	if err := rpcs.Fetch(context.Background(), c); err != nil {
		return err
	}
	return (&rpcs.Exposed{C: c}).Get(context.Background())
}

// crossPackage calls functions of another package whose facts say where
// their context parameters go, on a client made from a connection.
func crossPackage(conn *grpc.ClientConn) error {
	c := echo.NewEchoClient(conn)
	bg := context.Background()
	if err := rpcs.Fetch(bg, c); err != nil { // want `call to rpcs.Fetch passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:19\) with no deadline`
		return err
	}
	if err := rpcs.Via(context.TODO(), c); err != nil { // want `call to rpcs.Via passes context.TODO\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:19\)`
		return err
	}
	if err := rpcs.Tagged(c, bg); err != nil { // want `call to rpcs.Tagged passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:35\)`
		return err
	}
	if _, err := rpcs.Watch(bg, c); err != nil { // want `call to rpcs.Watch passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC stream echo.EchoClient.Bidi \(rpcs.go:50\) with neither a deadline nor a cancel function`
		return err
	}
	if err := rpcs.Pick(bg, bg, c); err != nil { // want `call to rpcs.Pick passes bg \(from context.Background\(\)\) as b, which reaches`
		return err
	}
	if err := rpcs.Background(c); err != nil { // silent: reported in rpcs.Background's body
		return err
	}
	cl := rpcs.NewClient(conn)
	if err := cl.Get(bg); err != nil { // want `call to rpcs.Client.Get passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:109\)`
		return err
	}
	if err := (*rpcs.Client).Get(cl, context.TODO()); err != nil { // want `call to rpcs.Client.Get passes context.TODO\(\) as ctx`
		return err
	}

	// Silent: Bounded sets its own timeout, Drain cancels its own stream,
	// Later's call is in a literal, Pick's first parameter reaches no RPC.
	if err := rpcs.Bounded(bg, c); err != nil {
		return err
	}
	if err := rpcs.Drain(bg, c); err != nil {
		return err
	}
	if err := rpcs.Later(bg, c)(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(bg, time.Second)
	defer cancel()
	if err := rpcs.Pick(bg, ctx, c); err != nil {
		return err
	}
	// Silent: timed contexts, and a cancellable one for the stream.
	if err := rpcs.Fetch(ctx, c); err != nil {
		return err
	}
	if err := rpcs.Via(ctx, c); err != nil {
		return err
	}
	wctx, wcancel := context.WithCancel(bg)
	defer wcancel()
	_, err := rpcs.Watch(wctx, c)
	return err
}

// generatedCallers calls a function declared in a generated file: its fact
// flows, and the call here, outside the generated file, is reported.
func generatedCallers(conn *grpc.ClientConn) error {
	return GenFetch(context.Background(), echo.NewEchoClient(conn)) // want `call to ctxdeadline.GenFetch passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(generated.go:\d+\)`
}
