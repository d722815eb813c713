// Package app calls package mocks from production code: reported only where
// a real RPC is made.
package app

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/mocks"
	"example.com/fixtures/pb/echo"
)

func run(conn *grpc.ClientConn, injected echo.EchoClient) {
	_ = mocks.NewEngine(conn).Get(context.Background())              // want `call to mocks.Engine.Get passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(engine.go:\d+\) with no deadline`
	_ = mocks.Verify(context.Background(), echo.NewEchoClient(conn)) // want `call to mocks.Verify passes context.Background\(\) as ctx`
	c := echo.NewEchoClient(conn)
	_ = mocks.Verify(context.TODO(), c) // want `call to mocks.Verify passes context.TODO\(\) as ctx`

	// Silent: the client is a parameter of unknown origin (a mock in a
	// test, a wrapper with its own timeout in production).
	_ = mocks.Verify(context.Background(), injected)
	// Silent: Injected's client comes from its caller; no fact.
	_ = mocks.NewInjected(c).Get(context.Background())
	// Reported: a direct call chooses its context itself, whatever the
	// client is.
	_, _ = injected.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}
