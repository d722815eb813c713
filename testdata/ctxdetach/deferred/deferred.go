// Package deferred holds cleanup in handlers: a deferred call runs when the
// handler returns, often because the request failed or was cancelled, so a
// detached context is right there (the request context would cancel the
// cleanup: containerd's RunPodSandbox rolls back with util.DeferContext()).
// ctxdetach is silent on it; a deadline-less cleanup RPC is ctxdeadline's
// finding, so the pair still reports it once.
package deferred

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
)

type server struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (out *echo.Msg, retErr error) {
	defer func() {
		if retErr != nil {
			_, _ = s.up.Unary(context.Background(), in) // cleanup-rpc: ctxdetach silent (a rollback), ctxdeadline reports the missing deadline
		}
	}()
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, _ = s.up.Unary(cctx, in) // silent for both: detached on purpose and bounded
	}()
	return s.up.Unary(context.TODO(), in) // want `call to s.up.Unary in handler Unary uses context.TODO\(\), not the request context`
}
