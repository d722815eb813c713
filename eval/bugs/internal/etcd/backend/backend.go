// Package backend mirrors etcd's server/mvcc/backend (now
// server/storage/backend): the read transaction the MVCC store ranges over,
// one UnsafeRange per revision.
package backend

// ReadTx is a backend read transaction.
type ReadTx interface {
	UnsafeRange(bucket string, key []byte) (values [][]byte)
}
