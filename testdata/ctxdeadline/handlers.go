package ctxdeadline

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
)

// server implements echo.EchoServer: its methods are gRPC handlers.
type server struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

// newServer sets the upstream client from a connection: a real client.
func newServer(conn *grpc.ClientConn) *server {
	return &server{up: echo.NewEchoClient(conn)}
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: the request context carries the caller's deadline, if any.
	if _, err := s.up.Unary(ctx, in); err != nil {
		return nil, err
	}
	if err := rpcs.Fetch(ctx, s.up); err != nil {
		return nil, err
	}
	// Silent here: a context detached from the request in handler scope is
	// ctxdetach's finding, not a second one from ctxdeadline.
	if _, err := s.up.Unary(context.Background(), in); err != nil {
		return nil, err
	}
	if err := rpcs.Fetch(context.TODO(), s.up); err != nil {
		return nil, err
	}
	// Reported: context.WithoutCancel is the sanctioned detachment (ctxdetach
	// is silent), but it drops the deadline; the work needs a bound.
	go s.up.Unary(context.WithoutCancel(ctx), in)   // want `gRPC call echo.EchoClient.Unary uses context.WithoutCancel\(ctx\), which has no deadline \(context.WithoutCancel drops its parent's\)`
	go rpcs.Fetch(context.WithoutCancel(ctx), s.up) // want `call to rpcs.Fetch passes context.WithoutCancel\(ctx\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(rpcs.go:19\) with no deadline \(context.WithoutCancel drops its parent's\)`
	// Silent: detached deliberately and bounded.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return s.up.Unary(wctx, in)
}

func (s *server) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	// Silent: stream.Context() is the request context.
	up, err := s.up.Bidi(stream.Context())
	if err != nil {
		return err
	}
	// Silent: a goroutine in handler scope on a detached context is
	// ctxdetach's finding.
	go func() {
		s.up.Unary(context.Background(), &echo.Msg{})
	}()
	return up.CloseSend()
}

// logging is a unary server interceptor: its context is a request context.
func logging(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	// Silent: the request context.
	if err := rpcs.Fetch(ctx, nil); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// notServer has a handler's method shape but implements no service: it is
// ordinary client code, and its deadline-less call is reported.
type notServer struct {
	up echo.EchoClient
}

func (n *notServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return n.up.Unary(context.Background(), in) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}
