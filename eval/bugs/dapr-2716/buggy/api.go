// Package buggy reduces dapr/dapr#2716, before the fix.
//
// Upstream: https://github.com/dapr/dapr/issues/2716 ("Should we pass go
// context.Context to all the components?"), fixed for state stores by
// https://github.com/dapr/dapr/pull/5399 with
// https://github.com/dapr/components-contrib/pull/2208. Original:
// pkg/grpc/api.go (api.SaveState and siblings), pkg/components/state/
// pluggable.go (grpcStateStore, the gRPC client of a pluggable component).
//
// The runtime's gRPC handlers took a request context but called the state,
// pub/sub and binding components through interfaces without one. The
// pluggable store's methods then called their gRPC client on the
// component's own lifetime context, so a client that hung up or timed out
// left the component call running. The fix added a context parameter to
// the component interfaces and passed the request's.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

// Store is the state component interface (state.Store).
type Store interface {
	Set(req *pb.Request) error
}

// grpcStateStore is a pluggable state store: a gRPC client.
type grpcStateStore struct {
	ctx    context.Context // the component's lifetime
	client pb.KVClient
}

func newGRPCStateStore(client pb.KVClient) *grpcStateStore {
	return &grpcStateStore{ctx: context.Background(), client: client}
}

func (s *grpcStateStore) Set(req *pb.Request) error {
	_, err := s.client.Put(s.ctx, req)
	return err
}

type api struct {
	pb.UnimplementedKVServer
	store Store
}

func (a *api) Put(ctx context.Context, in *pb.Request) (*pb.Response, error) {
	if err := a.store.Set(in); err != nil { // want ctxdetach "context|cancellation"
		return nil, err
	}
	return &pb.Response{Key: in.Key}, nil
}
