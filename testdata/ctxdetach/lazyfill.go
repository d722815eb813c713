package ctxdetach

import (
	"context"
	"net/http"

	"example.com/fixtures/pb/echo"
)

// versionServer caches what a slow, one-time lookup returns, for every
// later caller (argo-cd's Version handler caches helm's version).
type versionServer struct {
	echo.UnimplementedEchoServer
	version string
	p       *pusher
}

func fetchVersion() (string, error) {
	resp, err := http.Get("http://127.0.0.1/version")
	if err != nil {
		return "", err
	}
	return resp.Status, resp.Body.Close()
}

func (s *versionServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if s.version == "" {
		// Silent: a lazy fill of a cache every later call shares; on the
		// request's context one cancelled call would cache the error.
		v, err := fetchVersion()
		if err != nil {
			v = err.Error()
		}
		s.version = v
	}
	// Reported: the same lookup made for this call only.
	if _, err := fetchVersion(); err != nil { // want `call to fetchVersion in handler Unary reaches http.NewRequest, which takes no context`
		return nil, err
	}
	return &echo.Msg{Text: s.version}, nil
}
