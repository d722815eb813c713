// Package fixed is cockroachdb/cockroach#5551 after the fix: the batch's
// context is the request's, annotated with the node's tags, so the
// caller's timeout reaches the lease wait. See ../buggy for the links.
package fixed

import (
	"context"

	"example.com/bugs/pb"
)

type nodeIDKey struct{}

type stores interface {
	Send(ctx context.Context, req *pb.Request) (*pb.Response, error)
}

type node struct {
	pb.UnimplementedKVServer
	id     int32
	stores stores
}

// annotate adds the node's tags to ctx and keeps its deadline.
func (n *node) annotate(ctx context.Context) context.Context {
	return context.WithValue(ctx, nodeIDKey{}, n.id)
}

func (n *node) Batch(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	var resp *pb.Response
	var err error
	f := func() {
		bctx := n.annotate(ctx)
		resp, err = n.stores.Send(bctx, req)
	}
	f()
	return resp, err
}
