package lastuse

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// The file uses package context elsewhere (the helper's signature): the fix
// keeps the import.
func (s *server) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	out, err := s.up.Unary(context.TODO(), in) // want `call to s.up.Unary in handler Bidi uses context.TODO\(\), not the request context, .*; pass stream.Context\(\)`
	if err != nil {
		return err
	}
	return send(stream.Context(), stream, out)
}

func send(_ context.Context, stream grpc.BidiStreamingServer[echo.Msg, echo.Msg], m *echo.Msg) error {
	return stream.Send(m)
}
