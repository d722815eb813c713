// Package node is the helper side of a detached call reached across
// packages (cockroachdb/cockroach#5551's shape: a handler calls n.send(in),
// whose body calls the store on context.Background()). Its exported
// helpers cannot know their callers: a handler in another package makes
// the detached call ctxdetach's finding at the handler's call, so
// ctxdeadline reports nothing here and gives the helper the detachedRPC
// fact; its callers outside handler scope are reported instead.
package node

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
)

// A Node holds network clients, made from a connection.
type Node struct {
	c  echo.EchoClient
	lc echolegacy.EchoClient
}

func New(conn *grpc.ClientConn) *Node {
	return &Node{c: echo.NewEchoClient(conn), lc: echolegacy.NewEchoClient(conn)}
}

// Send is exported: its finding moves to its callers.
func (n *Node) Send(in *echo.Msg) (*echo.Msg, error) { // want Send:`detachedRPC\(call echo.EchoClient.Unary on context.Background\(\) at node.go:32\)`
	return n.c.Unary(context.Background(), in) // silent here: the finding is at the calls of Send
}

// Forward reaches the detached call through an unexported helper: both
// get the fact, and the finding is at Forward's calls.
func (n *Node) Forward(in *echo.Msg) error { // want Forward:`detachedRPC\(call echo.EchoClient.Unary on context.TODO\(\) at node.go:42\)`
	return n.send(in)
}

func (n *Node) send(in *echo.Msg) error { // want send:`detachedRPC\(call echo.EchoClient.Unary on context.TODO\(\) at node.go:42\)`
	_, err := n.c.Unary(context.TODO(), in) // silent here: send is reached from the exported Forward
	return err
}

// Watch opens a pre-generic stream nothing can cancel.
func (n *Node) Watch() error { // want Watch:`detachedRPC\(stream echolegacy.EchoClient.ServerStream on context.Background\(\) at node.go:48\)`
	_, err := n.lc.ServerStream(context.Background(), &echolegacy.Msg{})
	return err
}

// Timed adds a deadline: no fact, nothing to report anywhere.
func (n *Node) Timed(in *echo.Msg) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := n.c.Unary(ctx, in)
	return err
}

// retry is unexported and no exported function calls it: no handler of
// another package can reach it, so its finding stays in its body.
func (n *Node) retry(in *echo.Msg) error {
	_, err := n.c.Unary(context.Background(), in) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

// flush is this package's own caller of Send outside handler scope: the
// finding is at its call.
func (n *Node) flush(in *echo.Msg) error {
	if err := n.retry(in); err != nil {
		return err
	}
	_, err := n.Send(in) // want `call to node.Node.Send makes gRPC call echo.EchoClient.Unary \(node.go:32\) on context.Background\(\), which has no deadline, so the call can wait forever and nothing can cancel it; in node.Node.Send, derive the context with context.WithTimeout`
	return err
}

// A Putter is reached from other packages through its interface: its one
// implementation here is unexported, and the interface method gets the
// fact of what runs.
type Putter interface {
	Put(in *echo.Msg) error // want Put:`detachedRPC\(call echo.EchoClient.Unary on context.Background\(\) at node.go:\d+\)`
}

func NewPutter(conn *grpc.ClientConn) Putter { return &putter{c: echo.NewEchoClient(conn)} }

type putter struct{ c echo.EchoClient }

func (p *putter) Put(in *echo.Msg) error { // want Put:`detachedRPC\(call echo.EchoClient.Unary on context.Background\(\) at node.go:\d+\)`
	_, err := p.c.Unary(context.Background(), in) // silent here: reached through the exported Putter
	return err
}
