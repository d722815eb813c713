// Package mocks holds the fixtures of ctxdeadline's rule for clients of
// unknown origin: an RPC through an interface-typed client reaches callers
// as a fact only where the client is known to be a network client (made
// from a connection) or is a parameter whose argument decides it. Unit
// tests pass mocks there, and production code often a wrapper with its own
// timeout; neither can hang on a missing deadline.
package mocks

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

var req = &echo.Msg{Text: "id"}

// Engine holds its client in an unexported field that this package sets
// from a connection only (its tests set it to a mock, which the test
// variant of the package sees).
type Engine struct{ users echo.EchoClient }

// NewEngine makes the Engine's client from a connection.
func NewEngine(conn grpc.ClientConnInterface) *Engine {
	return &Engine{users: echo.NewEchoClient(conn)}
}

// Get's context reaches the RPC: its callers need a deadline. The same in
// the package's test variant, whose tests set the field to a mock:
// production code is judged by what production code stores, and a test's
// call through the fact is not reported anyway.
func (e *Engine) Get(ctx context.Context) error { // want Get:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at engine.go:\d+\)`
	_, err := e.users.Unary(ctx, req)
	return err
}

// Verify makes its RPC on the client its caller passes: each caller's
// argument decides whether a real RPC is made.
func Verify(ctx context.Context, c echo.EchoClient) error { // want Verify:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at engine.go:\d+ on client param 1\)`
	_, err := c.Unary(ctx, req)
	return err
}

// Injected gets its client from whoever builds it: a mock, a wrapper, a
// real client; the package cannot tell.
type Injected struct{ users echo.EchoClient }

func NewInjected(c echo.EchoClient) *Injected { return &Injected{users: c} }

// Silent at callers: the client's origin is unknown, so Get has no fact.
func (i *Injected) Get(ctx context.Context) error {
	_, err := i.users.Unary(ctx, req)
	return err
}
