// Package streams holds streaming calls that are cancellable but have no
// deadline: silent by default, reported with -ctxdeadline.streams.
package streams

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

func cancellable(c echo.EchoClient, v echov13.EchoClient, conn *grpc.ClientConn) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := c.Bidi(ctx); err != nil { // want `gRPC stream echo.EchoClient.Bidi uses ctx \(from context.Background\(\)\), which has no deadline, so the stream can stay open forever; derive the context with context.WithTimeout`
		return err
	}
	if _, err := v.ServerStream(ctx, &echov13.Msg{}); err != nil { // want `gRPC stream echov13.EchoClient.ServerStream uses ctx \(from context.Background\(\)\), which has no deadline`
		return err
	}
	if _, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, "/fixtures.echo.v1.Echo/ServerStream"); err != nil { // want `gRPC stream grpc.ClientConn.NewStream uses ctx \(from context.Background\(\)\), which has no deadline`
		return err
	}
	// rpcs.Watch opens its stream on its parameter: with the flag, its fact
	// asks callers for a deadline too.
	if _, err := rpcs.Watch(ctx, echo.NewEchoClient(conn)); err != nil { // want `call to rpcs.Watch passes ctx \(from context.Background\(\)\) as ctx, which reaches gRPC stream echo.EchoClient.Bidi \(rpcs.go:50\) with no deadline, so the stream can stay open forever; derive the context with context.WithTimeout`
		return err
	}
	// Silent in both modes: a deadline.
	tctx, tcancel := context.WithTimeout(context.Background(), time.Minute)
	defer tcancel()
	if _, err := c.Bidi(tctx); err != nil {
		return err
	}
	_, err := rpcs.Watch(tctx, c)
	return err
}

// A stream on a connection that is closed while it is in use can be ended
// from the client side, like one with a cancel function: silent by
// default, reported with the flag, which asks for a deadline.
func closedConn(target string, stop <-chan struct{}) error {
	conn, err := grpc.NewClient(target)
	if err != nil {
		return err
	}
	go func() {
		<-stop
		_ = conn.Close()
	}()
	_, err = echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has no deadline, so the stream can stay open forever`
	return err
}
