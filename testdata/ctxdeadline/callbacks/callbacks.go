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

// Unexported package-level helpers that the package only calls, each call
// passing a network client (here the callback's): their client parameter
// is a network client too, so the helper's own detached call is reported
// in its body, as seaweedfs' s3api deleteObjectEntry(client, ...) ->
// demoteDirectoryMarkerToImplicitDirectory(client, ...).
func viaHelpers() error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error {
		if err := deleteEntry(c); err != nil {
			return err
		}
		return countdown(c, 3)
	})
}

func deleteEntry(c echo.EchoClient) error { return demote(c) }

func demote(c echo.EchoClient) error {
	return rpcs.Fetch(context.Background(), c) // want `call to rpcs.Fetch passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary`
}

// countdown calls itself: the recursive call passes on what the others
// pass.
func countdown(c echo.EchoClient, n int) error {
	if n > 0 {
		return countdown(c, n-1)
	}
	return rpcs.Fetch(context.Background(), c) // want `call to rpcs.Fetch passes context.Background\(\) as ctx`
}

// withMixed calls mixed with the callback's client and with a parameter.
func withMixed(injected echo.EchoClient) error {
	if err := pool.WithClient("dns:///upstream", func(c echo.EchoClient) error { return mixed(c) }); err != nil {
		return err
	}
	return mixed(injected)
}

func mixed(c echo.EchoClient) error {
	return rpcs.Fetch(context.Background(), c) // silent: one call passes withMixed's parameter, of unknown origin (a mock, a wrapper)
}

// escapes is also used as a function value, which may be called anywhere.
func escapes(c echo.EchoClient) error {
	return rpcs.Fetch(context.Background(), c) // silent: escapes is used as a value, so not every call is in view
}

var escaped = escapes

func withEscapes() error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error { return escapes(c) })
}

// Helper is exported: other packages may call it with a mock.
func Helper(c echo.EchoClient) error {
	return rpcs.Fetch(context.Background(), c) // silent: an exported function's caller may pass anything
}

func withHelper() error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error { return Helper(c) })
}

// overwrites assigns its parameter before using it.
func overwrites(c echo.EchoClient, other echo.EchoClient) error {
	c = other
	return rpcs.Fetch(context.Background(), c) // silent: c holds other, a parameter of unknown origin
}

func withOverwrites(other echo.EchoClient) error {
	return pool.WithClient("dns:///upstream", func(c echo.EchoClient) error { return overwrites(c, other) })
}
