// Package lastuse holds a fix that removes the file's last use of package
// context: the fix must delete the import too, or the fixed file does not
// compile (drivers that apply raw edits, as gopls and golangci-lint do, do not
// clean imports up).
package lastuse

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

type server struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *server) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	out, err := s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler ServerStream uses context.Background\(\), not the request context, .*; pass stream.Context\(\)`
	if err != nil {
		return err
	}
	return stream.Send(out)
}
