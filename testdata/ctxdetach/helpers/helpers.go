// Package helpers holds functions a handler in another package calls; the
// ctxdetach fact carries what they do across the package boundary.
package helpers

import (
	"context"
	"sync"
	"time"

	"example.com/fixtures/pb/echo"
)

// Lookup takes no context but calls upstream on a detached one.
func Lookup(c echo.EchoClient, id string) (*echo.Msg, error) { // want Lookup:`detachedCall\(c.Unary on context.Background\(\)`
	return c.Unary(context.Background(), &echo.Msg{Text: id})
}

// Indirect reaches Lookup: the fact is transitive.
func Indirect(c echo.EchoClient) error { // want Indirect:`detachedCall\(c.Unary on context.Background\(\)`
	_, err := Lookup(c, "x")
	return err
}

// LookupCtx takes a context and ignores it, calling upstream on a detached
// one: its callers hand it a context that it drops, so they are told.
func LookupCtx(ctx context.Context, c echo.EchoClient, id string) (*echo.Msg, error) { // want LookupCtx:`detachedCall\(c.Unary on context.Background\(\) at helpers.go:\d+, ignoring its context\)`
	return c.Unary(context.Background(), &echo.Msg{Text: id})
}

// Reload takes no context and calls upstream on a detached context with a
// timeout of its own (a client API without contexts: every call gets
// context.WithTimeout(context.Background(), d)): the fact says bounded, so
// a goroutine that outlives the RPC may run it (start-and-poll handlers).
func Reload(c echo.EchoClient) error { // want Reload:`detachedCall\(c.Unary on context.Background\(\) at helpers.go:\d+, bounded\)`
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, err := c.Unary(ctx, &echo.Msg{})
	return err
}

// Purge reaches a bounded call (Reload) and an unbounded one (Lookup):
// not bounded, whichever comes first.
func Purge(c echo.EchoClient) error { // want Purge:`detachedCall\(c.Unary on context.Background\(\) at helpers.go:\d+\)`
	if err := Reload(c); err != nil {
		return err
	}
	_, err := Lookup(c, "purged")
	return err
}

// Delete is given the request context and replaces it with
// context.Background() on purpose, so that a caller who gives up does not
// leave the deletion half done. The analyzer cannot tell this from a
// dropped context (LookupCtx): its callers are told, with the detached
// idiom (context.WithoutCancel of the context it is given) in the remedy.
func Delete(_ctx context.Context, c echo.EchoClient, id string) error { // want Delete:`detachedCall\(c.Unary on context.Background\(\) at helpers.go:\d+, ignoring its context\)`
	// Background, so that the client cannot cancel the deletion half way.
	ctx := context.Background()
	_, err := c.Unary(ctx, &echo.Msg{Text: id})
	return err
}

// LookupMixed uses its context for one call and a detached one for the
// other: its callers are not told about its insides (the helper uses the
// context it is given, and where it does not is the -ctx-funcs flag's
// business, not a fact).
func LookupMixed(ctx context.Context, c echo.EchoClient, id string) (*echo.Msg, error) {
	if _, err := c.Unary(ctx, &echo.Msg{Text: id}); err != nil {
		return nil, err
	}
	return c.Unary(context.Background(), &echo.Msg{Text: id})
}

var (
	once   sync.Once
	warmed *echo.Msg
)

// Warm makes its detached call inside a function literal run by sync.Once:
// literals may run later, once or never, so no fact.
func Warm(c echo.EchoClient) *echo.Msg {
	once.Do(func() {
		warmed, _ = c.Unary(context.Background(), &echo.Msg{})
	})
	return warmed
}

// Pure makes no outbound call: no fact.
func Pure(s string) string { return s + "!" }

// Recorder is a component interface without a context. Its one
// implementation here calls upstream on the component's
// context.Background(), so the interface method has the fact too, and a
// handler in another package that calls it is told.
type Recorder interface {
	Record(m *echo.Msg) error // want Record:`detachedCall\(r.up.Unary on context.Background\(\) at helpers.go:\d+\)`
}

type recorder struct {
	ctx context.Context
	up  echo.EchoClient
}

// NewRecorder returns the Recorder.
func NewRecorder(up echo.EchoClient) Recorder {
	return &recorder{ctx: context.Background(), up: up}
}

func (r *recorder) Record(m *echo.Msg) error { // want Record:`detachedCall\(r.up.Unary on context.Background\(\) at helpers.go:\d+\)`
	_, err := r.up.Unary(r.ctx, m)
	return err
}
