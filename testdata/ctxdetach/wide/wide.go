// Package wide holds functions outside gRPC handler scope that have a
// context parameter: ctxdetach reports them only with -ctxdetach.ctx-funcs.
package wide

import (
	"context"

	"example.com/fixtures/pb/echo"
)

// Worker has a context parameter but calls upstream on a detached one. It
// ignores its context, so its callers are told (a fact) in both modes.
func Worker(ctx context.Context, c echo.EchoClient) error { // want Worker:`detachedCall\(c.Unary on context.Background\(\) at wide.go:\d+, ignoring its context\)`
	_, err := c.Unary(context.Background(), &echo.Msg{}) // want `call to c.Unary in function Worker uses context.Background\(\), .*; pass ctx`
	return err
}

// Fine passes its parameter on: silent in both modes.
func Fine(ctx context.Context, c echo.EchoClient) error {
	_, err := c.Unary(ctx, &echo.Msg{})
	return err
}

// NoContext has no context parameter: outside scope in both modes.
func NoContext(c echo.EchoClient) error { // want NoContext:`detachedCall\(c.Unary on context.Background\(\)`
	_, err := c.Unary(context.Background(), &echo.Msg{})
	return err
}

// worker is Worker unexported: no other package can call it, so
// ctxdeadline, told of ctxdetach's default scope only, reports its call in
// its body, where the widened ctxdetach reports it too (what
// TestOneFindingCtxFuncs checks the registry avoids).
func worker(ctx context.Context, c echo.EchoClient) error { // want worker:`detachedCall\(c.Unary on context.Background\(\) at wide.go:\d+, ignoring its context\)`
	_, err := c.Unary(context.Background(), &echo.Msg{}) // want `call to c.Unary in function worker uses context.Background\(\), .*; pass ctx`
	return err
}
