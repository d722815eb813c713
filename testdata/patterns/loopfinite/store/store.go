// Package store stands for a storage engine in another package: each Get
// reads from disk.
package store

type KV struct{ Key, Value string }

type Store struct{ data map[int64]KV }

// Get reads one revision.
func (s *Store) Get(rev int64) (KV, bool) {
	kv, ok := s.data[rev]
	return kv, ok
}
