// Package guarded: calls whose detached context reaches outbound work only
// behind a bool parameter, and the constant they pass for it (validation
// class V2).
package guarded

import (
	"context"

	"example.com/fixtures/ctxdetach/guarded/meta"
	"example.com/fixtures/pb/echo"
)

type server struct {
	echo.UnimplementedEchoServer
	api *meta.API
	w   *watcher
}

// watcher is shared by every subscriber.
type watcher struct {
	api *meta.API
}

// Subscribe resolves the owner from the cache only: its detached context
// reaches no outbound work, so it gets no fact.
func (w *watcher) Subscribe(name string) string {
	owner, _ := w.api.Owner(context.Background(), name, false)
	return owner
}

// SubscribeFresh asks the server on a miss, on context.Background().
func (w *watcher) SubscribeFresh(name string) string { // want SubscribeFresh:`detachedCall\(w.api.Owner on context.Background\(\)`
	owner, _ := w.api.Owner(context.Background(), name, true)
	return owner
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: with retry false, Owner reads the cache only.
	_, _ = s.api.Owner(context.Background(), in.Text, false)
	_, _ = s.api.Owner(context.Background(), in.Text, true) // want `call to s.api.Owner in handler Unary uses context.Background\(\)`
	// Silent: cached true returns before the RPC.
	_, _ = s.api.Lookup(context.Background(), in.Text, true)
	_, _ = s.api.Lookup(context.Background(), in.Text, false) // want `call to s.api.Lookup in handler Unary uses context.Background\(\)`
	retry := in.Text != ""
	_, _ = s.api.Owner(context.Background(), in.Text, retry)   // want `call to s.api.Owner in handler Unary uses context.Background\(\)`
	_ = s.api.Refresh(context.Background(), in.Text, false)    // want `call to s.api.Refresh in handler Unary uses context.Background\(\)`
	_, _ = s.api.Forward(context.Background(), in.Text, false) // want `call to s.api.Forward in handler Unary uses context.Background\(\)`
	// Silent: CacheOnly's context reaches nothing.
	_, _ = s.api.CacheOnly(context.Background(), in.Text)
	// Silent: Subscribe's detached call does no outbound work.
	_ = s.w.Subscribe(in.Text)
	_ = s.w.SubscribeFresh(in.Text) // want `call to s.w.SubscribeFresh in handler Unary reaches w.api.Owner on context.Background\(\)`
	return in, nil
}
