// Package callbacks calls helpers whose client parameter is the parameter
// of a callback: a network client where the function calling the callback
// makes one from a connection (a callbackClients fact), unknown elsewhere.
package callbacks

import (
	"context"
	"time"

	"example.com/fixtures/ctxdeadline/callbacks/env"
	"example.com/fixtures/ctxdeadline/callbacks/pool"
	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
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

func viaLegacy() error {
	return pool.WithLegacy("dns:///upstream", func(c echolegacy.EchoClient) error {
		return rpcs.FetchLegacy(context.Background(), c) // want `call to rpcs.FetchLegacy passes context.Background\(\) as ctx, which reaches gRPC call echolegacy.EchoClient.Unary \(legacy.go:11\) with no deadline`
	})
}

func viaGiven(c echo.EchoClient) error {
	return pool.WithGiven(c, func(c echo.EchoClient) error {
		return rpcs.Fetch(context.Background(), c) // silent: the callback gets viaGiven's parameter, of unknown origin (a mock, a wrapper)
	})
}

// bounded gives the helper a context with a deadline: silent.
func bounded(e *env.Env) error {
	return e.WithClient(func(c echo.EchoClient) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return rpcs.Fetch(ctx, c) // silent: the context has a deadline
	})
}

// Inside the callback, the client is used in further function literals:
// a goroutine, a retry, a walk's visitor. It is still the network client
// the wrapper made.
func nested(e *env.Env, retry func(func() error) error) error {
	return e.WithClient(func(c echo.EchoClient) error {
		go func() {
			_ = rpcs.Fetch(context.Background(), c) // want `call to rpcs.Fetch passes context.Background\(\) as ctx`
		}()
		return retry(func() error {
			return walk(func(string) error {
				return rpcs.Fetch(context.TODO(), c) // want `call to rpcs.Fetch passes context.TODO\(\) as ctx`
			})
		})
	})
}

func nestedLegacy() error {
	return pool.WithLegacy("dns:///upstream", func(c echolegacy.EchoClient) error {
		return walk(func(string) error {
			return rpcs.FetchLegacy(context.Background(), c) // want `call to rpcs.FetchLegacy passes context.Background\(\) as ctx`
		})
	})
}

// nestedFake: the fake's client, in a nested literal, stays unknown.
func nestedFake() error {
	return pool.WithFake(func(c echo.EchoClient) error {
		return walk(func(string) error {
			return rpcs.Fetch(context.Background(), c) // silent: the callback gets a fake
		})
	})
}

// reassigned: the callback's parameter is overwritten with a value of
// unknown origin before the nested literal uses it.
func reassigned(other echo.EchoClient) error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error {
		c = other
		return walk(func(string) error {
			return rpcs.Fetch(context.Background(), c) // silent: c may hold other, a parameter of unknown origin
		})
	})
}

// shadowed: a local of the nested literal with the callback's name is not
// the callback's client.
func shadowed(other echo.EchoClient) error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error {
		return walk(func(string) error {
			c := other
			return rpcs.Fetch(context.Background(), c) // silent: this c is other, of unknown origin
		})
	})
}

func walk(visit func(string) error) error { return visit("/") }
