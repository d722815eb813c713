// Package netcalls holds handlers that call the standard library's net
// package, whose convenience functions run on context.Background(): a
// handler that dials is cut off from the request, one that listens is not
// (grpc-go's benchmark worker starts its server from an RPC). The
// findings' related positions are in the standard library, so these
// fixtures sit apart from the ones the SARIF tests read.
package netcalls

import (
	"context"
	"net"

	"example.com/fixtures/pb/echo"
)

type server struct {
	echo.UnimplementedEchoServer
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: net.Listen binds a local socket on context.Background(); the
	// context only bounds looking up the local address.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer lis.Close()
	// Silent: so does net.ListenUnix, through net's own listenUnix
	// (kubevirt's device plugin opens a socket for a container to dial).
	ul, err := net.ListenUnix("unix", &net.UnixAddr{Name: "/tmp/netcalls.sock", Net: "unix"})
	if err != nil {
		return nil, err
	}
	defer ul.Close()

	// Reported: net.Dial connects to a peer on context.Background().
	conn, err := net.Dial("tcp", lis.Addr().String()) // want `call to net.Dial in handler Unary reaches net.Dialer.Dial, which takes no context \(dial.go:\d+\)`
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return in, nil
}
