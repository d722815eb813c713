// Package cgo checks that a cgo package is analyzed and reported like any
// other: cmd/cgo's rewrite carries a generated-code header, but its code is
// the user's.
package cgo

// #include <stdlib.h>
// static int spin(int n) { return n + 1; }
import "C"

import (
	"context"
	"strings"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if C.spin(C.int(in.N)) > 3 || strings.HasPrefix(in.Text, "x") {
		return in, nil
	}
	return s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\)`
}
