//go:build !variant

// Package buildtags has one handler in two variants of one file, selected by
// the build tag "variant": each variant is analyzed when selected.
package buildtags

import (
	"context"

	"example.com/fixtures/pb/echo"
)

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\)`
}
