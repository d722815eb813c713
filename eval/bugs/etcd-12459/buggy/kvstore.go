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
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

// backend is the storage transaction: one read per revision.
type backend interface {
	ReadRevision(rev int64) ([]byte, error)
}

type kvServer struct {
	pb.UnimplementedKVServer
	be      backend
	history func(key string) []int64 // revisions of a key, oldest first
}

func (s *kvServer) Range(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	vals, err := s.rangeKeys(s.history(req.Key))
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
	for _, rev := range revs { // want-missing ctxloop "never checks|cancellation"
		v, err := s.be.ReadRevision(rev)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return vals, nil
}
