// Package pool hands clients to callbacks, as seaweedfs' pb.WithFilerClient
// does: WithClient makes a network client and calls fn with it (a
// callbackClients fact); WithFake calls fn with an in-process fake.
package pool

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
)

// WithClient dials through a callback of its own, as pb.WithGrpcClient
// does, and gives fn a client made from the connection.
func WithClient(target string, fn func(c echo.EchoClient) error) error { // want WithClient:`callbackClients\(param 1 gets a client as arg 0\)`
	return withConn(target, func(conn *grpc.ClientConn) error {
		client := echo.NewEchoClient(conn)
		return fn(client)
	})
}

func withConn(target string, fn func(*grpc.ClientConn) error) error {
	conn, err := grpc.NewClient(target)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// WithLegacy is WithClient for a pre-generic generated client, made on a
// connection it dials itself.
func WithLegacy(target string, fn func(c echolegacy.EchoClient) error) error { // want WithLegacy:`callbackClients\(param 1 gets a client as arg 0\)`
	conn, err := grpc.NewClient(target)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(echolegacy.NewEchoClient(conn))
}

// WithGiven calls fn with a client of its caller's, which may be a mock
// or a wrapper with its own timeout: no fact.
func WithGiven(c echo.EchoClient, fn func(c echo.EchoClient) error) error {
	return fn(c)
}

// WithFake gives fn a fake that answers in process: no fact.
func WithFake(fn func(c echo.EchoClient) error) error {
	return fn(fake{})
}

type fake struct{ echo.EchoClient }

func (fake) Unary(ctx context.Context, in *echo.Msg, _ ...grpc.CallOption) (*echo.Msg, error) { // want Unary:`readsValues`
	return in, nil
}
