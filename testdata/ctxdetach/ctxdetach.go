// Package ctxdetach holds the fixtures of the ctxdetach analyzer: gRPC
// handlers of every kind, in every generated-code style, that call upstream
// on detached contexts (reported) and on the request context (silent).
package ctxdetach

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"example.com/fixtures/ctxdetach/helpers"
	"example.com/fixtures/pb/echo"
)

// server implements echo.EchoServer (generic streams, protoc-gen-go-grpc
// v1.6) by embedding UnimplementedEchoServer.
type server struct {
	echo.UnimplementedEchoServer
	up   echo.EchoClient
	conn *grpc.ClientConn
	db   *sql.DB
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\), not the request context, so the RPC's cancellation and deadline never reach it; pass ctx`
}

func (s *server) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	out, err := s.up.Unary(context.TODO(), in) // want `call to s.up.Unary in handler ServerStream uses context.TODO\(\), not the request context, .*; pass stream.Context\(\)`
	if err != nil {
		return err
	}
	return stream.Send(out)
}

func (s *server) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	bg := context.Background()
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	out, err := s.up.Unary(bg, in) // want `call to s.up.Unary in handler ClientStream uses bg \(from context.Background\(\)\)`
	if err != nil {
		return err
	}
	return stream.SendAndClose(out)
}

func (s *server) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	ctx := stream.Context()
	for {
		in, err := stream.Recv()
		if err != nil {
			return err
		}
		// Silent: derived from the request context.
		tctx, cancel := context.WithTimeout(ctx, time.Second)
		out, err := s.up.Unary(tctx, in)
		cancel()
		if err != nil {
			return err
		}
		// Reported: a timeout on a detached root is still detached.
		dctx, dcancel := context.WithTimeout(context.Background(), time.Second)
		_, err = s.up.Unary(dctx, in) // want `call to s.up.Unary in handler Bidi uses dctx \(from context.Background\(\)\)`
		dcancel()
		if err != nil {
			return err
		}
		if err := stream.Send(out); err != nil {
			return err
		}
	}
}

// unaryServer implements the service without embedding
// UnimplementedEchoServer: it is a server all the same.
type unaryServer struct {
	up echo.EchoClient
	db *sql.DB
}

func (u *unaryServer) mustEmbedUnimplementedEchoServer() {}

func (u *unaryServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Reported: metadata on a detached root.
	md := metadata.AppendToOutgoingContext(context.Background(), "k", "v")
	if _, err := u.up.Unary(md, in); err != nil { // want `call to u.up.Unary in handler Unary uses md \(from context.Background\(\)\)`
		return nil, err
	}
	// Silent: metadata on the request context.
	if _, err := u.up.Unary(metadata.AppendToOutgoingContext(ctx, "k", "v"), in); err != nil {
		return nil, err
	}
	// Silent: the deliberate, sanctioned detachment.
	go u.up.Unary(context.WithoutCancel(ctx), in)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if _, err := u.up.Unary(wctx, in); err != nil {
		return nil, err
	}
	// Silent: log/slog takes a context for values only, it does not call out.
	slog.InfoContext(context.Background(), "served")
	// Reported: any outbound call with a context parameter.
	if _, err := u.db.QueryContext(context.TODO(), "SELECT 1"); err != nil { // want `call to u.db.QueryContext in handler Unary uses context.TODO\(\)`
		return nil, err
	}
	req, err := http.NewRequestWithContext(context.Background(), "GET", "http://127.0.0.1/", nil) // want `call to http.NewRequestWithContext in handler Unary uses context.Background\(\)`
	if err != nil {
		return nil, err
	}
	if _, err := http.DefaultClient.Do(req); err != nil {
		return nil, err
	}
	// Silent: a request that is built and never sent (client-go builds
	// one only to ask a proxy function for a URL) does no outbound work.
	probe, err := http.NewRequestWithContext(context.Background(), "GET", "http://127.0.0.1/", nil)
	if err != nil {
		return nil, err
	}
	_ = probe.URL
	return in, nil
}

func (u *unaryServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	// Silent: stream.Context() is the request context.
	out, err := u.up.Unary(stream.Context(), in)
	if err != nil {
		return err
	}
	return stream.Send(out)
}

func (u *unaryServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	return nil
}

func (u *unaryServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	return nil
}

// reassigning overwrites the request context parameter.
type reassigning struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (r *reassigning) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: this call still sees the request context.
	if _, err := r.up.Unary(ctx, in); err != nil {
		return nil, err
	}
	ctx = context.Background()
	return r.up.Unary(ctx, in) // want `call to r.up.Unary in handler Unary uses ctx \(from context.Background\(\)\)`
}

func (r *reassigning) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	// Silent: the definitions reaching the call disagree (request on one
	// path, detached on the other); precision first.
	c := stream.Context()
	if in.N > 0 {
		c = context.Background()
	}
	_, err := r.up.Unary(c, in)
	return err
}

// closures: function literals and goroutines inherit the handler's scope.
type closures struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (c *closures) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		// Silent: the errgroup context derives from the request.
		_, err := c.up.Unary(gctx, in)
		return err
	})
	g.Go(func() error {
		// Reported, without a fix: ctx and gctx are both in scope.
		_, err := c.up.Unary(context.Background(), in) // want `call to c.up.Unary in handler Unary uses context.Background\(\), not the request context, .*; pass the request context`
		return err
	})
	go func() {
		// Reported, without a fix: a goroutine may outlive the RPC.
		c.up.Unary(context.Background(), in) // want `call to c.up.Unary in handler Unary uses context.Background\(\)`
	}()
	return in, g.Wait()
}

// helperCalls calls functions that make detached calls inside.
type helperCalls struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (h *helperCalls) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if _, err := helpers.Lookup(h.up, in.Text); err != nil { // want `call to helpers.Lookup in handler Unary reaches c.Unary on context.Background\(\) \(helpers.go:\d+\), .*; give Lookup a context parameter and pass ctx`
		return nil, err
	}
	if err := helpers.Indirect(h.up); err != nil { // want `call to helpers.Indirect in handler Unary reaches c.Unary on context.Background\(\)`
		return nil, err
	}
	// Reported: LookupCtx is given the request's context and ignores it.
	if _, err := helpers.LookupCtx(ctx, h.up, in.Text); err != nil { // want `call to helpers.LookupCtx in handler Unary reaches c.Unary on context.Background\(\) \(helpers.go:\d+\), .*; make LookupCtx use the context it is given, not context.Background\(\)`
		return nil, err
	}
	// Silent: LookupMixed uses the context it is given.
	if _, err := helpers.LookupMixed(ctx, h.up, in.Text); err != nil {
		return nil, err
	}
	// Silent: Warm's detached call sits in a sync.Once literal.
	helpers.Warm(h.up)
	h.audit(in) // want `call to h.audit in handler Unary reaches h.up.Unary on context.TODO\(\)`
	return in, nil
}

// audit is a same-package helper that takes no context.
func (h *helperCalls) audit(in *echo.Msg) { // want audit:`detachedCall\(h.up.Unary on context.TODO\(\)`
	h.up.Unary(context.TODO(), in)
}

// blank names its request context "_": still a handler, but there is no
// name to offer in a fix.
type blank struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (b *blank) Unary(_ context.Context, in *echo.Msg) (*echo.Msg, error) {
	return b.up.Unary(context.Background(), in) // want `call to b.up.Unary in handler Unary uses context.Background\(\), .*; pass the request context`
}

// invoker calls through the raw ClientConn.
type invoker struct {
	echo.UnimplementedEchoServer
	conn *grpc.ClientConn
}

var background = context.Background()

func (i *invoker) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	out := new(echo.Msg)
	err := i.conn.Invoke(context.Background(), "/fixtures.echo.v1.Echo/Unary", in, out) // want `call to i.conn.Invoke in handler Unary uses context.Background\(\)`
	if err != nil {
		return nil, err
	}
	// Reported: a package-level detached context (no fix: it is shared).
	err = i.conn.Invoke(background, "/fixtures.echo.v1.Echo/Unary", in, out) // want `call to i.conn.Invoke in handler Unary uses background \(from context.Background\(\)\)`
	return out, err
}

// notAServer has a method with a handler's signature but implements no
// service: silent, it is not a handler. It ignores its context, so its
// callers are told (a fact).
type notAServer struct {
	up echo.EchoClient
}

func (n *notAServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) { // want Unary:`detachedCall\(n.up.Unary on context.Background\(\) at ctxdetach.go:\d+, ignoring its context\)`
	return n.up.Unary(context.Background(), in)
}

// newServer is a constructor: outside handler scope, silent.
func newServer(conn *grpc.ClientConn) *server { // want newServer:`detachedCall`
	up := echo.NewEchoClient(conn)
	up.Unary(context.Background(), &echo.Msg{})
	return &server{up: up, conn: conn}
}

// authUnary is a unary server interceptor.
func authUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	return handler(context.Background(), req) // want `call to handler in interceptor authUnary uses context.Background\(\), .*; pass ctx`
}

// okUnary forwards the request context: silent.
func okUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	return handler(metadata.NewIncomingContext(ctx, metadata.MD{}), req)
}

// streamInterceptor returns a stream interceptor written as a literal.
func streamInterceptor(up echo.EchoClient) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if _, err := up.Unary(context.TODO(), &echo.Msg{}); err != nil { // want `call to up.Unary in interceptor literal in streamInterceptor uses context.TODO\(\), .*; pass ss.Context\(\)`
			return err
		}
		// Silent: the stream's context is the request context.
		if _, err := up.Unary(ss.Context(), &echo.Msg{}); err != nil {
			return err
		}
		return handler(srv, ss)
	}
}

// upstream is what authStream checks the caller against.
var upstream echo.EchoClient

// authStream is a stream interceptor in a package-level variable: it is
// named after the variable.
var authStream grpc.StreamServerInterceptor = func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if _, err := upstream.Unary(context.Background(), &echo.Msg{}); err != nil { // want `call to upstream.Unary in interceptor authStream uses context.Background\(\), .*; pass ss.Context\(\)`
		return err
	}
	return handler(srv, ss)
}
