// Package returned holds handlers that call upstream on contexts helpers of
// another package return: the model follows them through the helpers'
// returnedContext facts.
package returned

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/returned/shard"
	"example.com/fixtures/pb/echo"
)

// server implements echo.EchoServer.
type server struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

// Unary calls upstream on the context shard.Lock returns: the request
// context it was given. Silent.
func (s *server) Unary(ctx context.Context, in *echo.Msg) (out *echo.Msg, err error) {
	ctx, unlock, err := shard.Lock(ctx, "-80")
	if err != nil {
		return nil, err
	}
	defer unlock(&err)
	return s.up.Unary(ctx, in)
}

// ServerStream calls upstream on shard.Background(), a background context
// another package's helper makes. Silent: a helper whose job is to make
// one detaches on purpose (containerd's util.NamespacedContext() feeds the
// exit waits that must outlive the RPC), and passing the request context
// instead would end such work with the RPC.
func (s *server) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	out, err := s.up.Unary(shard.Background(), in)
	if err != nil {
		return err
	}
	return stream.Send(out)
}

// ClientStream hands its own context.Background() through shard.Lock,
// which returns it: detached.
func (s *server) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) (err error) {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	ctx, unlock, err := shard.Lock(context.Background(), "-80")
	if err != nil {
		return err
	}
	defer unlock(&err)
	out, err := s.up.Unary(ctx, in) // want `call to s.up.Unary in handler ClientStream uses ctx \(from context.Background\(\)\), not the request context`
	if err != nil {
		return err
	}
	return stream.SendAndClose(out)
}

// Bidi bounds the request context through shard.WithTimeout: still the
// request's. Silent.
func (s *server) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	ctx, cancel := shard.WithTimeout(stream.Context(), shard.LockTimeout)
	defer cancel()
	out, err := s.up.Unary(ctx, in)
	if err != nil {
		return err
	}
	return stream.Send(out)
}
