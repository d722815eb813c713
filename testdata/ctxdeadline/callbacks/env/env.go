// Package env forwards callbacks to package pool, as seaweedfs' shell
// CommandEnv.WithFilerClient forwards to pb.WithGrpcFilerClient: the
// callbackClients fact follows the callback through the forwarding wrapper,
// though this package never touches a connection (it does not import grpc).
package env

import (
	"example.com/fixtures/ctxdeadline/callbacks/pool"
	"example.com/fixtures/pb/echo"
)

type Env struct{ target string }

// WithClient hands fn on to pool.WithClient, which calls it with a network
// client.
func (e *Env) WithClient(fn func(echo.EchoClient) error) error { // want WithClient:`callbackClients\(param 0 gets a client as arg 0\)`
	return pool.WithClient(e.target, fn)
}

// WithFake hands fn on to pool.WithFake: no fact.
func (e *Env) WithFake(fn func(echo.EchoClient) error) error {
	return pool.WithFake(fn)
}

// withLater forwards to a wrapper of this package declared after it.
func withLater(fn func(echo.EchoClient) error) error { // want withLater:`callbackClients\(param 0 gets a client as arg 0\)`
	return later(fn)
}

func later(fn func(echo.EchoClient) error) error { // want later:`callbackClients\(param 0 gets a client as arg 0\)`
	return pool.WithClient("dns:///later", fn)
}
