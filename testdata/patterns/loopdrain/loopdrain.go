// Package loopdrain: a non-blocking drain that returns (silent) and for true {}
// (reported).
package loopdrain

import (
	"context"
	"strings"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	pending chan string
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	var out []string
	for {
		select {
		case m := <-s.pending:
			out = append(out, m)
		default:
			return &echo.Msg{Text: strings.Join(out, ",")}, nil
		}
	}
}

func (s *srv) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	for true { // want `loop in handler ServerStream never checks stream.Context\(\)`
		in.N++
	}
	return nil
}
