// Package fixoneline: a one-line loop body gets no fix (the check would land after
// the loop).
package fixoneline

import (
	"context"
	"strings"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	found := false
	for !found { found = strings.HasPrefix(in.Text, "x"); in.Text = in.Text[1:] } // want `search loop in handler Unary never checks ctx`
	return &echo.Msg{Text: in.Text}, nil
}
