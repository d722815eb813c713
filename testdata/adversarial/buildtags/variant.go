//go:build variant

package buildtags

import (
	"context"

	"example.com/fixtures/pb/echo"
)

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return s.up.Unary(context.TODO(), in) // want `call to s.up.Unary in handler Unary uses context.TODO\(\)`
}
