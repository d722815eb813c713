package ctxdetach

import (
	"context"

	"example.com/fixtures/pb/echo"
)

// versionServer caches what a slow, one-time lookup returns, for every
// later caller (argo-cd's Version handler caches helm's version).
type versionServer struct {
	echo.UnimplementedEchoServer
	version string
	up      echo.EchoClient
}

func (s *versionServer) fetchVersion() (string, error) { // want fetchVersion:`detachedCall\(s.up.Unary on context.Background\(\) at lazyfill.go:\d+\)`
	m, err := s.up.Unary(context.Background(), &echo.Msg{Text: "version"})
	if err != nil {
		return "", err
	}
	return m.Text, nil
}

func (s *versionServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if s.version == "" {
		// Silent: a lazy fill of a cache every later call shares; on the
		// request's context one cancelled call would cache the error.
		v, err := s.fetchVersion()
		if err != nil {
			v = err.Error()
		}
		s.version = v
	}
	// Reported: the same lookup made for this call only.
	if _, err := s.fetchVersion(); err != nil { // want `call to s.fetchVersion in handler Unary reaches s.up.Unary on context.Background\(\)`
		return nil, err
	}
	return &echo.Msg{Text: s.version}, nil
}
