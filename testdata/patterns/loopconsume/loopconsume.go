// Package loopconsume: loops that consume finite data; silent.
package loopconsume

import (
	"context"

	"example.com/fixtures/patterns/loopconsume/parse"
	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	f := parse.Fields(in.Text)
	return &echo.Msg{Text: f["a"]}, nil
}
