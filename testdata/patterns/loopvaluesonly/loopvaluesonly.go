// Package loopvaluesonly: loops whose only use of the context is to read values from
// it (metadata, the peer, the method name, a helper that does the same)
// never observe cancellation and are reported. Loops that hand the context
// to a function that does look at it, or to one the model cannot see into,
// stay silent.
package loopvaluesonly

import (
	"context"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	ready func() bool
	store store
	last  context.Context
}

type store interface {
	Lookup(ctx context.Context, key string) bool
}

type idKey struct{}

// tenant reads the caller's tenant from the metadata: a value lookup.
func tenant(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	if v := metadata.ValueFromIncomingContext(ctx, "tenant"); len(v) > 0 {
		return v[0]
	}
	return ""
}

// requestID reads a value, and label reads through both readers: value
// lookups too.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(idKey{}).(string)
	return id
}

func label(ctx context.Context) string { return tenant(ctx) + "/" + requestID(ctx) }

// even and odd hand the context to each other and read a value at the end:
// mutually recursive readers are readers.
func even(ctx context.Context, n int) bool {
	if n == 0 {
		return ctx.Value(idKey{}) != nil
	}
	return odd(ctx, n-1)
}

func odd(ctx context.Context, n int) bool { return n != 0 && even(ctx, n-1) }

// lookup checks the context before the work: it observes cancellation.
func lookup(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return strings.HasPrefix(key, "x"), nil
}

// remember keeps the context: what happens to it later is unknown.
func (s *srv) remember(ctx context.Context) { s.last = ctx }

// Unary: value lookups in the loop are no check of cancellation.
func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	found := false
	for !found { // want `search loop in handler Unary never checks ctx`
		md, _ := metadata.FromIncomingContext(ctx)
		p, _ := peer.FromContext(ctx)
		method, _ := grpc.Method(ctx)
		found = len(md.Get(in.Text)) > 0 && p != nil && method != ""
	}
	for !s.ready() { // want `polling loop in handler Unary never checks ctx`
		_ = label(ctx)
		_ = even(ctx, 4)
		time.Sleep(10 * time.Millisecond)
	}

	// Silent: the callee checks the context and the loop leaves on its error.
	for found = false; !found; {
		ok, err := lookup(ctx, in.Text)
		if err != nil {
			return nil, err
		}
		found = ok
	}

	// Silent: an interface method and a function that keeps the context
	// may well observe it.
	for !s.store.Lookup(ctx, in.Text) {
	}
	for !s.ready() {
		s.remember(ctx)
		time.Sleep(10 * time.Millisecond)
	}
	return in, nil
}
