// Package fixed is etcd-io/etcd#12459 after the fix: the request context
// reaches rangeKeys, which stops iterating once the RPC is cancelled or its
// deadline passes. See ../buggy for the upstream links.
package fixed

import (
	"context"

	"example.com/bugs/pb"
)

type backend interface {
	ReadRevision(rev int64) ([]byte, error)
}

type kvServer struct {
	pb.UnimplementedKVServer
	be      backend
	history func(key string) []int64
}

func (s *kvServer) Range(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	vals, err := s.rangeKeys(ctx, s.history(req.Key))
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, v := range vals {
		out = append(out, v...)
	}
	return &pb.Response{Key: req.Key, Payload: out}, nil
}

func (s *kvServer) rangeKeys(ctx context.Context, revs []int64) ([][]byte, error) {
	var vals [][]byte
	for _, rev := range revs {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		default:
		}
		v, err := s.be.ReadRevision(rev)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return vals, nil
}
