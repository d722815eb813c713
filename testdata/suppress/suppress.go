// Package suppress holds the fixtures of the //grpccancelcheck:ignore
// directive (internal/lint/directives.go), exercised through ctxdetach: a
// directive with a reason silences the findings it covers; one without a
// reason, or naming no analyzer, silences nothing and is reported itself.
package suppress

import (
	"context"

	"example.com/fixtures/pb/echo"
)

type server struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

// Trailing directive with a reason: silent.
func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return s.up.Unary(context.Background(), in) //grpccancelcheck:ignore ctxdetach -- the upstream write must finish even when the caller gives up
}

// Directive alone on the line above a statement: silent, also where the
// finding sits on a later line of that statement.
func (s *server) Bidi(stream echo.Echo_BidiServer) error {
	//grpccancelcheck:ignore ctxdetach -- fire-and-forget audit record
	_, _ = s.up.Unary(
		context.TODO(),
		&echo.Msg{},
	)
	return nil
}

// The directive may be the first line of a longer comment, and may name
// several analyzers.
func (s *server) ClientStream(stream echo.Echo_ClientStreamServer) error {
	//grpccancelcheck:ignore ctxloop,ctxdetach -- the shutdown notice must reach
	// the peer even after this stream is cancelled.
	_, err := s.up.Unary(context.Background(), &echo.Msg{})
	return err
}

// A directive with a reason above the declaration covers all of it.
//
//grpccancelcheck:ignore ctxdetach -- drains the queue on shutdown, detached on purpose
func (s *server) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	if _, err := s.up.Unary(context.Background(), in); err != nil {
		return err
	}
	_, err := s.up.Unary(context.TODO(), in)
	return err
}

type other struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

// A directive for another analyzer does not silence ctxdetach.
func (s *other) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	//grpccancelcheck:ignore ctxloop -- not about this call
	return s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\)`
}

// No reason: the finding stays and the directive is reported, once even
// when it covers two findings.
func (s *other) Bidi(stream echo.Echo_BidiServer) error {
	// want +1 `grpccancelcheck:ignore directive for ctxdetach gives no reason, so it suppresses nothing; say why the code is fine after " -- ", e.g. //grpccancelcheck:ignore ctxdetach -- why this is fine`
	//grpccancelcheck:ignore ctxdetach
	_, _ = s.up.Unary(context.Background(), // want `call to s.up.Unary in handler Bidi uses context.Background\(\)`
		must(s.up.Unary(context.TODO(), &echo.Msg{}))) // want `call to s.up.Unary in handler Bidi uses context.TODO\(\)`
	_, err := s.up.Unary(context.TODO(), &echo.Msg{}) //grpccancelcheck:ignore ctxdetach --   // want `call to s.up.Unary in handler Bidi uses context.TODO\(\)` `grpccancelcheck:ignore directive for ctxdetach gives no reason`
	return err
}

// Naming no analyzer silences nothing.
func (s *other) ClientStream(stream echo.Echo_ClientStreamServer) error {
	// want +1 `grpccancelcheck:ignore directive names no analyzer, so it suppresses nothing; name the analyzers and give a reason, e.g. //grpccancelcheck:ignore ctxdetach -- why this is fine`
	//grpccancelcheck:ignore -- everything here is fine
	_, err := s.up.Unary(context.Background(), &echo.Msg{}) // want `call to s.up.Unary in handler ClientStream uses context.Background\(\)`
	return err
}

// A blank line ends the directive's reach; a look-alike is no directive.
func (s *other) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	//grpccancelcheck:ignore ctxdetach -- too far away

	_, err := s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler ServerStream uses context.Background\(\)`
	if err != nil {
		return err
	}
	//grpccancelcheck:ignored ctxdetach -- not the directive
	_, err = s.up.Unary(context.TODO(), in) // want `call to s.up.Unary in handler ServerStream uses context.TODO\(\)`
	return err
}

func must(m *echo.Msg, _ error) *echo.Msg { return m }
