// Package crosspkg calls package node's helpers, whose detached RPCs have
// the detachedRPC fact: a call in handler scope is ctxdetach's finding
// (the handler's request context is dropped on the way), any other call is
// ctxdeadline's, once.
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
	defer s.n.Send(in) // want `call to node.Node.Send makes gRPC call echo.EchoClient.Unary \(node.go:32\) on context.Background\(\)`
	return stream.Send(in)
}

// run is a CLI's code path: no handler, so the finding is ctxdeadline's.
func run(conn *grpc.ClientConn) error {
	n := node.New(conn)
	if err := n.Watch(); err != nil { // want `call to node.Node.Watch makes gRPC stream echolegacy.EchoClient.ServerStream \(node.go:48\) on context.Background\(\), which has neither a deadline nor a cancel function`
		return err
	}
	if err := n.Timed(&echo.Msg{}); err != nil { // silent: Timed adds its own deadline
		return err
	}
	return n.Forward(&echo.Msg{}) // want `call to node.Node.Forward makes gRPC call echo.EchoClient.Unary \(node.go:42\) on context.TODO\(\), which has no deadline, so the call can wait forever and nothing can cancel it; in node.Node.send, derive the context with context.WithTimeout`
}

// withContext takes a context but is not a handler: by default ctxdetach
// does not look here, so the finding is ctxdeadline's.
func withContext(ctx context.Context, n *node.Node) error {
	_, err := n.Send(&echo.Msg{}) // want `call to node.Node.Send makes gRPC call echo.EchoClient.Unary`
	return err
}

// Relay is exported and takes no context: it passes the fact on to its
// own callers, with no finding here.
func Relay(n *node.Node) error { // want Relay:`detachedRPC\(call echo.EchoClient.Unary on context.Background\(\) at node.go:32\)`
	_, err := n.Send(&echo.Msg{})
	return err
}

// put calls through node's exported interface: the interface method's
// fact says what runs.
func put(p node.Putter) error {
	return p.Put(&echo.Msg{}) // want `call to node.Putter.Put makes gRPC call echo.EchoClient.Unary \(node.go:\d+\) on context.Background\(\)`
}
