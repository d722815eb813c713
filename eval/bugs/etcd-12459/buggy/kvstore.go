// Package buggy reduces etcd-io/etcd#12459 (issue etcd-io/etcd#12458), before
// the fix.
//
// Upstream: https://github.com/etcd-io/etcd/issues/12458,
// https://github.com/etcd-io/etcd/pull/12459 (commit 0558e379c). Original:
// server/mvcc/kvstore_txn.go (storeTxnRead.rangeKeys), reached from the
// Range handler through server/etcdserver/apply.go.
//
// A Range over a key with a huge revision history resolved every revision
// with its own backend read, in a helper that had no context. A client that
// gave up after its 2 s deadline left the server reading for 10 s more. The
// fix passed the request context down to rangeKeys and selected on its Done
// (with a default) at every revision.
//
// Caught with -ctxloop.finite, the opt-in for finite loops that do heavy
// work per iteration (off by default).
//
// flags: -ctxloop.finite=true
package buggy

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
	history func(key string) []int64 // revisions of a key, oldest first
}

func (s *kvServer) Range(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	vals, err := s.rangeKeys(s.history(req.Key)) // want ctxloop "finite loop.*never checks"
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, v := range vals {
		out = append(out, v...)
	}
	return &pb.Response{Key: req.Key, Payload: out}, nil
}

// rangeKeys has no context: nothing can stop it once it has started.
func (s *kvServer) rangeKeys(revs []int64) ([][]byte, error) {
	var vals [][]byte
	for _, rev := range revs {
		vs := s.tx.UnsafeRange("key", revToBytes(rev))
		if len(vs) != 1 {
			return nil, errRevisionNotFound
		}
		vals = append(vals, vs[0])
	}
	return vals, nil
}
