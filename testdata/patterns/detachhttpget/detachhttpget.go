// Package detachhttpget: http.Get hides context.Background(); the remedy is its
// context-taking variant.
package detachhttpget

import (
	"context"
	"net/http"

	"example.com/fixtures/pb/echo"
)

type srv struct{ echo.UnimplementedEchoServer }

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	resp, err := http.Get("http://x/" + in.Text) // want `call to http.Get in handler Unary reaches http.NewRequest, which takes no context \(client.go:\d+\), .*; call a variant of Get that takes a context and pass ctx`
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return in, nil
}
