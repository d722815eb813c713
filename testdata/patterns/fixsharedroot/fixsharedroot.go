// Package fixsharedroot: a detached root shared with a deliberate goroutine gets no fix
// (replacing it would change the goroutine too).
package fixsharedroot

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	up, audit echo.EchoClient
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	bg, cancel := context.WithTimeout(context.Background(), time.Minute)
	go func() {
		defer cancel()
		// Silent: in the goroutine, a detached context with its own
		// timeout is best-effort work after the RPC.
		s.audit.Unary(bg, in)
	}()
	return s.up.Unary(bg, in) // want `call to s.up.Unary in handler Unary uses bg \(from context.Background\(\)\)`
}
