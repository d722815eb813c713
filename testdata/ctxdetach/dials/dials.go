// Package dials holds connection providers that handlers reach: grpc's
// dial without WithBlock returns at once and connects in the background,
// so a dial on context.Background() there bounds nothing the request waits
// for (armada's leader proxy, round 6's R8 shape); a blocking dial does.
package dials

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/pb/echo"
)

type provider struct {
	mu    sync.Mutex
	conns map[string]*grpc.ClientConn
}

// conn dials once per leader and caches the connection: grpc.Dial, whose
// body is DialContext(context.Background(), ...) with the caller's options,
// none of them blocking.
func (p *provider) conn(leader string) (*grpc.ClientConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[leader]; ok {
		return c, nil
	}
	c, err := grpc.Dial(leader, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	p.conns[leader] = c
	return c, nil
}

// blocking waits for the connection on context.Background(): the request
// cannot cut it short.
func (p *provider) blocking(leader string) (*grpc.ClientConn, error) { // want blocking:`detachedCall\(grpc.DialContext on context.Background\(\)`
	return grpc.DialContext(context.Background(), leader, grpc.WithBlock(), grpc.WithTransportCredentials(insecure.NewCredentials()))
}

// cached makes the blocking dial once per leader and keeps the connection
// for every later request (armada's leader connection provider, round 6's
// class B shape): the dial is the cache's work, which one request's
// cancellation must not cut short. No fact.
func (p *provider) cached(leader string) (*grpc.ClientConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[leader]; ok {
		return c, nil
	}
	c, err := p.blocking(leader)
	if err != nil {
		return nil, err
	}
	p.conns[leader] = c
	return c, nil
}

type proxy struct {
	echo.UnimplementedEchoServer
	p *provider
}

// Unary: silent: the dial behind conn does not wait (no WithBlock), and
// the RPC on the connection is made on ctx.
func (s *proxy) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	c, err := s.p.conn(in.Text)
	if err != nil {
		return nil, err
	}
	return echo.NewEchoClient(c).Unary(ctx, in)
}

// ServerStream: the twin: the blocking dial on context.Background() waits
// for the connection however long the client is gone. Reported.
func (s *proxy) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	c, err := s.p.blocking(in.Text) // want `call to s.p.blocking in handler ServerStream reaches grpc.DialContext on context.Background\(\) \(dials.go:\d+\)`
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(c).Unary(stream.Context(), in)
	return err
}

// ClientStream: silent: the blocking dial behind cached fills the
// provider's cache (see cached); ServerStream is its twin without one.
func (s *proxy) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	c, err := s.p.cached(in.Text)
	if err != nil {
		return err
	}
	out, err := echo.NewEchoClient(c).Unary(stream.Context(), in)
	if err != nil {
		return err
	}
	return stream.SendAndClose(out)
}

// optsProvider dials with options of its own: production code sets none
// that block; the package's tests add grpc.WithBlock() for their own
// dials (dials_test.go), which says nothing of how production dials
// (istio's xDS proxy, whose tests block and whose agent does not).
type optsProvider struct{ opts []grpc.DialOption }

func newOptsProvider() *optsProvider {
	return &optsProvider{opts: []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}}
}

func (p *optsProvider) dial(ctx context.Context, target string) (*grpc.ClientConn, error) {
	return grpc.DialContext(ctx, target, p.opts...)
}

// blockingProvider's production options block.
type blockingProvider struct{ opts []grpc.DialOption }

func newBlockingProvider() *blockingProvider {
	return &blockingProvider{opts: []grpc.DialOption{grpc.WithBlock(), grpc.WithTransportCredentials(insecure.NewCredentials())}}
}

func (p *blockingProvider) dial(ctx context.Context, target string) (*grpc.ClientConn, error) {
	return grpc.DialContext(ctx, target, p.opts...)
}

type optsProxy struct {
	echo.UnimplementedEchoServer
	p *optsProvider
	b *blockingProvider
}

// Unary: silent: in production the dial does not wait.
func (s *optsProxy) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := s.p.dial(dctx, in.Text)
	if err != nil {
		return nil, err
	}
	return echo.NewEchoClient(c).Unary(ctx, in)
}

// ServerStream: the twin: production's dial blocks, on a context the
// request cannot end.
func (s *optsProxy) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := s.b.dial(dctx, in.Text) // want `call to s.b.dial in handler ServerStream uses dctx \(from context.Background\(\)\), not the request context`
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(c).Unary(stream.Context(), in)
	return err
}
