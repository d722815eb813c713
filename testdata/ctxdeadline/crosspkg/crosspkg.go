// Package crosspkg calls package node's helpers, whose detached RPCs
// ctxdeadline reports in node's bodies: a call in handler scope is
// ctxdetach's finding too (the handler's request context is dropped on the
// way), any other call is silent here.
package crosspkg

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/crosspkg/node"
	"example.com/fixtures/pb/echo"
)

type server struct {
	echo.UnimplementedEchoServer
	n *node.Node
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if err := s.n.Forward(in); err != nil { // silent here: in handler scope, ctxdetach's finding
		return nil, err
	}
	return s.n.Send(in) // silent here: ctxdetach's finding
}

func (s *server) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	defer s.n.Send(in) // silent: cleanup (ctxdetach), and reported in Send
	return stream.Send(in)
}

// run is a CLI's code path: no handler; the findings are in node's bodies.
func run(conn *grpc.ClientConn) error {
	n := node.New(conn)
	if err := n.Watch(); err != nil { // silent: reported in Watch
		return err
	}
	if err := n.Timed(&echo.Msg{}); err != nil { // silent: Timed adds its own deadline
		return err
	}
	return n.Forward(&echo.Msg{}) // silent: reported in send
}

// withContext takes a context but is not a handler: the finding is in
// Send's body.
func withContext(ctx context.Context, n *node.Node) error {
	_, err := n.Send(&echo.Msg{}) // silent: reported in Send
	return err
}

// Relay is exported and takes no context: no finding here either.
func Relay(n *node.Node) error {
	_, err := n.Send(&echo.Msg{})
	return err
}

// put calls through node's exported interface: reported in the
// implementation's body.
func put(p node.Putter) error {
	return p.Put(&echo.Msg{}) // silent: reported in putter.Put
}
