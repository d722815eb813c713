// Package helpers holds functions a handler in another package calls; the
// ctxdetach fact carries what they do across the package boundary.
package helpers

import (
	"context"
	"sync"

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
