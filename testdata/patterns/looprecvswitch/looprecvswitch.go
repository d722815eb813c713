// Package looprecvswitch: a Recv loop whose error is tested by a switch with an init
// statement; silent.
package looprecvswitch

import (
	"io"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
}

func (s *srv) Bidi(stream echo.Echo_BidiServer) error {
	var total int64
	defer func() { _ = total }()
	for {
		switch in, err := stream.Recv(); {
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		default:
			total += in.N
		}
	}
}

func (s *srv) ClientStream(stream echo.Echo_ClientStreamServer) error {
	var n int64
	for {
		_, err := stream.Recv()
		switch {
		case err == io.EOF:
			return stream.SendAndClose(&echo.Msg{N: n})
		case err != nil:
			return err
		}
		n++
	}
}
