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

// LookupCtx takes a context: its callers are not told about its insides
// (with a context parameter the helper can be fixed to use it; that is the
// -ctx-funcs flag's business, not a fact).
func LookupCtx(ctx context.Context, c echo.EchoClient, id string) (*echo.Msg, error) {
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
