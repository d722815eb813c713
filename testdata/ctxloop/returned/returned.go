// Package returned holds handlers whose loops hand on contexts that
// helpers of another package return: the model follows them through the
// helpers' returnedContext facts.
package returned

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/returned/shard"
	"example.com/fixtures/pb/echo"
)

// server implements echo.EchoServer.
type server struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

// ready asks upstream whether the work is done.
func (s *server) ready(ctx context.Context, in *echo.Msg) bool {
	out, err := s.up.Unary(ctx, in)
	return err == nil && out.Text != ""
}

// ServerStream polls upstream on shard.Background(), context.Background()
// made in another package: handing it on observes nothing.
func (s *server) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	for !s.ready(shard.Background(), in) { // want `polling loop in handler ServerStream never checks stream.Context\(\)`
		time.Sleep(time.Second)
	}
	return stream.Send(in)
}

// ClientStream polls upstream on the context shard.Lock returns: the
// request context it was given, handed on to ready. Silent.
func (s *server) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) (err error) {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	ctx, unlock, err := shard.Lock(stream.Context(), "-80")
	if err != nil {
		return err
	}
	defer unlock(&err)
	for !s.ready(ctx, in) {
		time.Sleep(time.Second)
	}
	return stream.SendAndClose(in)
}
