// Package fixed is dapr/dapr#2716 after dapr/dapr#5399: the component
// interface takes a context and the handler passes the request's. See
// ../buggy for the links.
package fixed

import (
	"context"

	"example.com/bugs/pb"
)

type Store interface {
	Set(ctx context.Context, req *pb.Request) error
}

type grpcStateStore struct {
	client pb.KVClient
}

func newGRPCStateStore(client pb.KVClient) *grpcStateStore {
	return &grpcStateStore{client: client}
}

func (s *grpcStateStore) Set(ctx context.Context, req *pb.Request) error {
	_, err := s.client.Put(ctx, req)
	return err
}

type api struct {
	pb.UnimplementedKVServer
	store Store
}

func (a *api) Put(ctx context.Context, in *pb.Request) (*pb.Response, error) {
	if err := a.store.Set(ctx, in); err != nil {
		return nil, err
	}
	return &pb.Response{Key: in.Key}, nil
}
