// Package dropped holds handlers that never use their request context
// and run their work on another one (cockroachdb/cockroach#5551: Node.Batch
// ran each batch on n.context(), a Background context with the node's
// tags). Nothing was detached on purpose there: the request's context was
// dropped, so a helper-made background context counts, and so does a
// callee with no evidence of outbound work that does fallible work.
package dropped

import (
	"context"

	"example.com/fixtures/pb/echo"
)

type nodeKey struct{}

// stores evaluates batches; its implementation is not in view.
type stores interface {
	Send(ctx context.Context, m *echo.Msg) (*echo.Msg, error)
	Get(ctx context.Context, key string) (*echo.Msg, error)
}

// logger only records; its implementation is not in view either.
type logger interface {
	Info(ctx context.Context, msg string)
}

type node struct {
	echo.UnimplementedEchoServer
	id     int
	stores stores
	log    logger
	ctx    context.Context
	cancel context.CancelFunc
}

// context makes the node's own context, a Background one with its tags.
func (n *node) context() context.Context {
	return context.WithValue(context.Background(), nodeKey{}, n.id)
}

// annotate adds the node's tags to ctx.
func (n *node) annotate(ctx context.Context) context.Context {
	return context.WithValue(ctx, nodeKey{}, n.id)
}

func newNode(s stores, l logger) *node {
	ctx, cancel := context.WithCancel(context.Background())
	return &node{stores: s, log: l, ctx: ctx, cancel: cancel}
}

// Unary never uses ctx.
func (n *node) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	var out *echo.Msg
	var err error
	f := func() {
		bctx := n.context()
		// Silent: logging carries nothing upstream, whatever its context.
		n.log.Info(bctx, "batch")
		// Silent: a lookup of one of the request's fields is not the
		// RPC's work delegated, and nothing shows that Get leaves the
		// process (a cache, a map).
		if _, err := n.stores.Get(bctx, in.Text); err == nil {
			return
		}
		// Reported: the batch runs on the node's context, not the
		// request's, which the handler dropped.
		out, err = n.stores.Send(bctx, in) // want `call to n.stores.Send in handler Unary uses bctx \(from n.context\(\)\), not the request context, so the RPC's cancellation and deadline never reach it; pass ctx`
	}
	f()
	if err != nil {
		return nil, err
	}
	// Silent: the node's lifetime, with its cancel function kept: a
	// lifetime of its own, ended by whoever holds the cancel function.
	if _, err := n.stores.Send(n.ctx, in); err != nil {
		return nil, err
	}
	go func() {
		// Silent: a goroutine may outlive the handler; detaching there
		// is the goroutine rules' business.
		_, _ = n.stores.Send(n.context(), in)
	}()
	return out, nil
}

// ServerStream has no request context parameter: its stream's Context()
// is the request's. Not this rule's shape.
func (n *node) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	out, err := n.stores.Send(n.context(), in)
	if err != nil {
		return err
	}
	return stream.Send(out)
}

// other uses its request context, and a helper-made background context
// for one call: detached on purpose (a step that must outlive the RPC),
// and nothing shows that the stores' Send leaves the process.
type other struct {
	echo.UnimplementedEchoServer
	n *node
}

func (o *other) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if _, err := o.n.stores.Send(o.n.context(), in); err != nil {
		return nil, err
	}
	return o.n.stores.Send(o.n.annotate(ctx), in)
}

// fixed is #5551's fix: the batch's context is the request's, with the
// node's tags. Silent.
type fixed struct {
	echo.UnimplementedEchoServer
	n *node
}

func (f *fixed) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return f.n.stores.Send(f.n.annotate(ctx), in)
}

// blank declares its request context _ and calls a store on
// context.TODO().
type blank struct {
	echo.UnimplementedEchoServer
	stores stores
}

func (b *blank) Unary(_ context.Context, in *echo.Msg) (*echo.Msg, error) {
	return b.stores.Send(context.TODO(), in) // want `call to b.stores.Send in handler Unary uses context.TODO\(\), not the request context`
}

var _ = newNode
