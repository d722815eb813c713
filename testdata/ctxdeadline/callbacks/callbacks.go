// Package callbacks calls helpers whose client parameter is the parameter
// of a callback: a network client where the function calling the callback
// makes one from a connection (a callbackClients fact), unknown elsewhere.
package callbacks

import (
	"context"

	"example.com/fixtures/ctxdeadline/callbacks/env"
	"example.com/fixtures/ctxdeadline/callbacks/pool"
	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
)

func viaPool() error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error {
		return rpcs.Fetch(context.Background(), c) // want `call to rpcs.Fetch passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:19\) with no deadline`
	})
}

func viaFake() error {
	return pool.WithFake(func(c echo.EchoClient) error {
		return rpcs.Fetch(context.Background(), c) // silent: the callback gets a fake
	})
}

func viaEnv(e *env.Env) error {
	return e.WithClient(func(c echo.EchoClient) error {
		return rpcs.Fetch(context.Background(), c) // want `call to rpcs.Fetch passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:19\) with no deadline`
	})
}

func viaEnvFake(e *env.Env) error {
	return e.WithFake(func(c echo.EchoClient) error {
		return rpcs.Fetch(context.Background(), c) // silent: forwarded to the fake
	})
}
