// Package generic has helpers whose type parameter is constrained to
// context.Context.
package generic

import (
	"context"

	"example.com/fixtures/pb/echo"
)

// call makes an RPC on c, whatever context type C is.
func call[C context.Context](c C, up echo.EchoClient, in *echo.Msg) (*echo.Msg, error) {
	return up.Unary(c, in)
}

// label does no outbound work with c.
func label[C context.Context](c C) string {
	if c.Value(key{}) != nil {
		return "tagged"
	}
	return "plain"
}

type key struct{}

// wait blocks until c is done.
func wait[C interface{ context.Context }](c C) error {
	<-c.Done()
	return c.Err()
}

type srv struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: the request context, through a type parameter.
	if _, err := call(ctx, s.up, in); err != nil {
		return nil, err
	}
	if err := wait(ctx); err != nil {
		return nil, err
	}
	// Silent: label makes no outbound call with its context.
	in.Text = label(context.Background())
	// call hands its type-parameter context to up.Unary: a context
	// parameter like any other (ContextParams sees C context.Context).
	return call(context.Background(), s.up, in) // want `call to call in handler Unary uses context.Background\(\), not the request context`
}
