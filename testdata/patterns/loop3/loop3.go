// Package loop3: loops that consume finite data; silent.
package loop3

import (
	"context"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/patterns/loop3/parse"
)

type srv struct {
	echo.UnimplementedEchoServer
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	f := parse.Fields(in.Text)
	return &echo.Msg{Text: f["a"]}, nil
}
