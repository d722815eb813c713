// Package a recurses into itself and into package b: A1 and A2 call each
// other and b's cycle; a handler calls A1.
package a

import (
	"context"

	"example.com/fixtures/adversarial/recursion/b"
	"example.com/fixtures/pb/echo"
)

// A1 and A2 call each other and package b's cycles.
func A1(c echo.EchoClient, n int) int {
	if n <= 0 {
		b.Relay(c, n)
		return b.Ping(n)
	}
	return A2(c, n-1)
}

// A2 goes back to A1.
func A2(c echo.EchoClient, n int) int { return A1(c, n) }

type srv struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	in.N = int64(A1(s.up, int(in.N))) // want `call to A1 in handler Unary runs a polling loop in Pong that never checks for cancellation \(b.go:25\)` `call to A1 in handler Unary reaches c.Unary on context.Background\(\) \(b.go:38\)`
	return in, nil
}
