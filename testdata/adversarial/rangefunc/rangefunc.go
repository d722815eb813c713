// Package rangefunc ranges over function iterators in handlers.
package rangefunc

import (
	"context"
	"iter"

	"example.com/fixtures/pb/echo"
)

// count yields 0..n-1: a finite iterator.
func count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// forever yields until the consumer stops.
func forever() iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; ; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

type srv struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// The loop over a finite iterator is no ctxloop finding; its
	// detached RPC is a ctxdetach one.
	for i := range count(int(in.N)) {
		in.N += int64(i)
		_, _ = s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\)`
	}
	// Silent: the loop over an endless iterator checks ctx.
	for i := range forever() {
		if ctx.Err() != nil || i > 10 {
			break
		}
	}
	return in, nil
}
