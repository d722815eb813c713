// Package node is the helper side of a detached call reached across
// packages (cockroachdb/cockroach#5551's shape: a handler calls n.send(in),
// whose body calls the store on context.Background()). Its exported
// helpers cannot know their callers: a handler in another package makes
// the detached call ctxdetach's finding at the handler's call, and
// ctxdeadline reports it here too (moving the finding to the callers lost
// the findings whose callers are out of sight).
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

// Send is exported: reported in its body.
func (n *Node) Send(in *echo.Msg) (*echo.Msg, error) {
	return n.c.Unary(context.Background(), in) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}

// Forward reaches the detached call through an unexported helper, which
// is reported in its body.
func (n *Node) Forward(in *echo.Msg) error {
	return n.send(in)
}

func (n *Node) send(in *echo.Msg) error {
	_, err := n.c.Unary(context.TODO(), in) // want `gRPC call echo.EchoClient.Unary uses context.TODO\(\), which has no deadline`
	return err
}

// Watch opens a pre-generic stream nothing can cancel.
func (n *Node) Watch() error {
	_, err := n.lc.ServerStream(context.Background(), &echolegacy.Msg{}) // want `gRPC stream echolegacy.EchoClient.ServerStream uses context.Background\(\), which has neither a deadline nor a cancel function`
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

// flush is this package's own caller of Send outside handler scope: Send's
// finding is in its body, not here.
func (n *Node) flush(in *echo.Msg) error {
	if err := n.retry(in); err != nil {
		return err
	}
	_, err := n.Send(in) // silent: reported in Send
	return err
}

// A Putter is reached from other packages through its interface: its one
// implementation here is unexported and reported in its body.
type Putter interface {
	Put(in *echo.Msg) error
}

func NewPutter(conn *grpc.ClientConn) Putter { return &putter{c: echo.NewEchoClient(conn)} }

type putter struct{ c echo.EchoClient }

func (p *putter) Put(in *echo.Msg) error {
	_, err := p.c.Unary(context.Background(), in) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}
