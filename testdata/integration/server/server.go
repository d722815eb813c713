// Package server is a gRPC service with one finding of each kind that the
// channel tests look for. A comment "lint: NAME" marks a line where analyzer
// NAME reports with default settings; "lint(NAME.FLAG): NAME" a line where it
// reports only with that flag on; "standalone: NAME" a line that the
// standalone command reports and //nolint silences in golangci-lint.
package server

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
	"example.com/integration/upstream"
)

// Server implements echo.EchoServer.
type Server struct {
	echo.UnimplementedEchoServer
	Up echo.EchoClient
}

// Unary calls upstream on a detached context; ctxdetach's fix passes ctx.
func (s *Server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return s.Up.Unary(context.Background(), in) // lint: ctxdetach
}

// ClientStream reaches a detached call through a helper in another package.
func (s *Server) ClientStream(stream echo.Echo_ClientStreamServer) error {
	if err := upstream.Notify(s.Up, "start"); err != nil { // lint: ctxdetach
		return err
	}
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	return stream.SendAndClose(in)
}

// ServerStream spins in a loop that never looks at the stream's context.
func (s *Server) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	i := 0
	for { // lint: ctxloop
		if i*i >= int(in.N) {
			break
		}
		i++
	}
	return stream.Send(&echo.Msg{N: int64(i)})
}

// Bidi has findings that are silenced: by golangci-lint's //nolint, and by
// grpccancelcheck's own directive, which every driver honours.
func (s *Server) Bidi(stream echo.Echo_BidiServer) error {
	_, err := s.Up.Unary(context.TODO(), &echo.Msg{}) //nolint:grpccancelcheck // standalone: ctxdetach
	if err != nil {
		return err
	}
	//grpccancelcheck:ignore ctxdetach -- the audit record must be written even if the peer hangs up
	_, err = s.Up.Unary(context.TODO(), &echo.Msg{Text: "audit"})
	return err
}

// Refresh is no handler, but it has a context parameter: only
// -ctxdetach.ctx-funcs takes it as a request context.
func Refresh(ctx context.Context, c echo.EchoClient) error {
	tctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(tctx, &echo.Msg{}) // lint(ctxdetach.ctx-funcs): ctxdetach
	return err
}

// Ping is a client call with no deadline.
func Ping(c echo.EchoClient) error {
	_, err := c.Unary(context.Background(), &echo.Msg{}) // lint: ctxdeadline
	return err
}
