// Package guarded: calls whose detached context reaches outbound work only
// behind a bool parameter, and the constant they pass for it (validation
// class V2); calls of helpers that exec a process only for some values of
// a flag, a switch on it or a comparison, and the constants they pass
// (validation round 10, csi-driver-host-path's createVolume).
package guarded

import (
	"context"
	"os/exec"

	"example.com/fixtures/ctxdetach/guarded/meta"
	"example.com/fixtures/ctxdetach/guarded/volumes"
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

	// Silent: a directory, no process; the other constant, or a value the
	// tool cannot know, runs one.
	_ = volumes.Create(in.Text, volumes.Mount)
	_ = volumes.Create(in.Text, volumes.Block) // want `call to volumes.Create in handler Unary reaches exec.Command, which takes no context`
	access := volumes.Access(len(in.Text) % 2)
	_ = volumes.Create(in.Text, access) // want `call to volumes.Create in handler Unary reaches exec.Command, which takes no context`
	_ = volumes.Attach(in.Text, "dir")
	_ = volumes.Attach(in.Text, "file")      // want `call to volumes.Attach in handler Unary reaches exec.Command, which takes no context`
	_ = volumes.Wipe(in.Text, volumes.Mount) // want `call to volumes.Wipe in handler Unary reaches exec.Command, which takes no context`
	// The same through helpers of this package.
	_ = grow(in.Text, volumes.Mount)
	_ = grow(in.Text, volumes.Block) // want `call to grow in handler Unary reaches exec.Command, which takes no context`
	_ = provision(in.Text, volumes.Mount)
	_ = provision(in.Text, volumes.Block) // want `call to provision in handler Unary reaches`
	return in, nil
}

// grow truncates a block file; a mount volume has nothing to grow.
func grow(path string, access volumes.Access) error { // want grow:`detachedCall\(.*, if \[1 is 1\]\)`
	if access != volumes.Block {
		return nil
	}
	return exec.Command("truncate", "-s", "2M", path).Run()
}

// provision passes its own access type on to Create: Create's guard is
// not followed through the call (its access is not a constant there);
// provision's own early return is its guard.
func provision(path string, access volumes.Access) error { // want provision:`detachedCall\(.*, if \[1 not in \{0\}\]\)`
	if access == volumes.Mount {
		return nil
	}
	return volumes.Create(path, access)
}
