// Package buggy reduces cockroachdb/cockroach#5551, before the fix.
//
// Upstream: https://github.com/cockroachdb/cockroach/pull/5551 (found in
// https://github.com/cockroachdb/cockroach/issues/5368). Original:
// server/node.go (Node.Batch), storage/replica.go
// (redirectOnOrAcquireLeaderLease).
//
// Node.Batch, the KV gRPC handler, ran each batch in a closure under a
// context built from the node's own (a Background context carrying log
// tags), dropping the caller's context and its timeout. A command waiting
// for a leader lease selected on that context's Done and sat there for 541
// minutes. The fix derived the batch's context from the request's.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

type nodeIDKey struct{}

type stores interface {
	// Send waits for the range's lease (selecting on ctx.Done) and
	// evaluates the batch.
	Send(ctx context.Context, req *pb.Request) (*pb.Response, error)
}

type node struct {
	pb.UnimplementedKVServer
	id     int32
	stores stores
}

// context returns the node's own context: rooted in Background, it has
// neither the caller's deadline nor its cancellation.
func (n *node) context() context.Context {
	return context.WithValue(context.Background(), nodeIDKey{}, n.id)
}

func (n *node) Batch(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	var resp *pb.Response
	var err error
	f := func() {
		bctx := n.context()
		resp, err = n.stores.Send(bctx, req) // want ctxdetach "not the request context|cancellation"
	}
	f()
	return resp, err
}
