// Package fixed is etcd-io/etcd#12459 after the fix: the request context
// reaches rangeKeys, which stops iterating once the RPC is cancelled or its
// deadline passes. See ../buggy for the upstream links.
package fixed

import (
	"context"
	"encoding/binary"
	"errors"

	"example.com/bugs/internal/etcd/backend"
	"example.com/bugs/pb"
)

var errRevisionNotFound = errors.New("range failed to find revision pair")

func revToBytes(rev int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(rev)) }

type kvServer struct {
	pb.UnimplementedKVServer
	tx      backend.ReadTx
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
		vs := s.tx.UnsafeRange("key", revToBytes(rev))
		if len(vs) != 1 {
			return nil, errRevisionNotFound
		}
		vals = append(vals, vs[0])
	}
	return vals, nil
}
