package ctxdetach

import (
	"context"
	"net/http"

	"example.com/fixtures/pb/echo"
)

// restClient builds its requests in one method and sends them in another,
// as client-go's rest.Request does (newHTTPRequest, then request).
type restClient struct{ hc *http.Client }

func (c *restClient) newRequest(ctx context.Context, path string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, "http://api"+path, nil)
}

func (c *restClient) Get(ctx context.Context, path string) error {
	req, err := c.newRequest(ctx, path)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type apiServer struct {
	echo.UnimplementedEchoServer
	api *restClient
}

func (s *apiServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Reported: Get sends the request its context travels in.
	if err := s.api.Get(context.Background(), "/x"); err != nil { // want `call to s.api.Get in handler Unary uses context.Background\(\), not the request context`
		return nil, err
	}
	// Silent: a request built only to read its URL is never sent.
	req, err := s.api.newRequest(context.Background(), "/y")
	if err != nil {
		return nil, err
	}
	return &echo.Msg{Text: req.URL.Path}, nil
}
