// Package store declares interfaces a handler calls with a context: Store,
// implemented here over a gRPC client (outbound work), and Cache, whose
// implementations live elsewhere (unknown: a mock, an in-memory map).
package store

import (
	"context"
	"database/sql"

	"example.com/fixtures/pb/echo"
)

// Store is implemented in this package by grpcStore, which calls upstream:
// its Get reaches outbound work, and so does a call of Store.Get.
type Store interface {
	Get(ctx context.Context, key string) (string, error) // want Get:`outboundParams\(\[0\]\)`
	// Put's implementation writes to a database.
	Put(ctx context.Context, key, value string) error // want Put:`outboundParams\(\[0\]\)`
	// Len's implementation counts in memory: not outbound.
	Len(ctx context.Context) int
}

// New makes a Store backed by an upstream service and a database.
func New(c echo.EchoClient, db *sql.DB) Store { return &grpcStore{c: c, db: db} }

type grpcStore struct {
	c  echo.EchoClient
	db *sql.DB
	n  int
}

func (s *grpcStore) Get(ctx context.Context, key string) (string, error) { // want Get:`outboundParams\(\[0\]\)`
	m, err := s.c.Unary(ctx, &echo.Msg{Text: key})
	if err != nil {
		return "", err
	}
	return m.Text, nil
}

func (s *grpcStore) Put(ctx context.Context, key, value string) error { // want Put:`outboundParams\(\[0\]\)`
	_, err := s.db.ExecContext(ctx, "INSERT INTO kv VALUES (?, ?)", key, value)
	return err
}

func (s *grpcStore) Len(ctx context.Context) int { // want Len:`readsValues`
	_ = ctx.Value(struct{}{})
	return s.n
}

// Cache has no implementation in this package: nothing shows that a call
// of it leaves the process.
type Cache interface {
	Lookup(ctx context.Context, key string) (string, error)
}
