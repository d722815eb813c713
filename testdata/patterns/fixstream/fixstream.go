// Package fixstream: a streaming handler's fix uses stream.Context().
package fixstream

import (
	"context"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *srv) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	out, err := s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler ServerStream uses context.Background\(\)`
	if err != nil {
		return err
	}
	return stream.Send(out)
}
