// Package fields holds clients whose calls run on a context held in a
// struct field, set once (tikv/pd#1267's client ctx, sigstore/rekor#78's
// Trillian client built around context.Background()): the model takes a
// field's origin from every value the package stores in it.
package fields

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
)

// client keeps its lifetime, WithCancel(Background), in a field.
type client struct {
	ctx    context.Context
	cancel context.CancelFunc
	up     echo.EchoClient
}

func newClient(up echo.EchoClient) *client {
	ctx, cancel := context.WithCancel(context.Background())
	return &client{ctx: ctx, cancel: cancel, up: up}
}

func (c *client) Close() { c.cancel() }

// members calls on the lifetime itself: cancellable, with no deadline.
func (c *client) members() (*echo.Msg, error) {
	return c.up.Unary(c.ctx, &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses c.ctx \(from context.Background\(\)\), which has no deadline, so the call can wait forever; derive the context with context.WithTimeout`
}

// membersBounded bounds each call: silent.
func (c *client) membersBounded() (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(c.ctx, time.Second)
	defer cancel()
	return c.up.Unary(ctx, &echo.Msg{})
}

// watch opens a stream on the lifetime: silent, a stream only has to be
// cancellable, and Close cancels it.
func (c *client) watch() error {
	_, err := c.up.ServerStream(c.ctx, &echo.Msg{})
	return err
}

// logClient is built around a context its unexported constructor is
// given; its one caller passes context.Background().
type logClient struct {
	ctx context.Context
	up  echo.EchoClient
}

func newLogClient(ctx context.Context, up echo.EchoClient) *logClient {
	return &logClient{ctx: ctx, up: up}
}

func (l *logClient) add(m *echo.Msg) error {
	_, err := l.up.Unary(l.ctx, m) // want `gRPC call echo.EchoClient.Unary uses l.ctx \(from context.Background\(\)\), which has no deadline, so the call can wait forever and nothing can cancel it`
	return err
}

func startLog(up echo.EchoClient) *logClient { return newLogClient(context.Background(), up) }

// reqClient is built per request around the request's context: silent,
// the caller's deadline comes with it.
type reqClient struct {
	ctx context.Context
	up  echo.EchoClient
}

func newReqClient(ctx context.Context, up echo.EchoClient) *reqClient {
	return &reqClient{ctx: ctx, up: up}
}

func (r *reqClient) add(m *echo.Msg) error {
	_, err := r.up.Unary(r.ctx, m)
	return err
}

// Given is built by an exported constructor: silent, its callers are in
// other packages and may pass a bounded context.
type Given struct {
	ctx context.Context
	up  echo.EchoClient
}

func NewGiven(ctx context.Context, up echo.EchoClient) *Given { return &Given{ctx: ctx, up: up} }

func (g *Given) Add(m *echo.Msg) error {
	_, err := g.up.Unary(g.ctx, m)
	return err
}

// server's handlers use the clients.
type server struct {
	echo.UnimplementedEchoServer
	store *store
	up    echo.EchoClient
}

// store calls upstream on a field set from context.Background(), and
// handler scope reaches it through a call that takes no context.
type store struct {
	ctx context.Context
	up  echo.EchoClient
}

func newStore(up echo.EchoClient) *store { return &store{ctx: context.Background(), up: up} }

// put is silent here: the handler's call of it is ctxdetach's finding
// (one bug, one finding); ctxdeadline alone reports it (TestFieldsAlone).
func (s *store) put(m *echo.Msg) error {
	_, err := s.up.Unary(s.ctx, m)
	return err
}

// abandon is given a context and ignores it: silent here too, the
// handler's call of it is ctxdetach's finding.
func (s *store) abandon(_ context.Context, m *echo.Msg) error {
	_, err := s.up.Unary(context.TODO(), m)
	return err
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if err := s.store.put(in); err != nil {
		return nil, err
	}
	if err := s.store.abandon(ctx, in); err != nil {
		return nil, err
	}
	if err := newReqClient(ctx, s.up).add(in); err != nil {
		return nil, err
	}
	return in, nil
}

var (
	_ = newClient
	_ = newStore
	_ = startLog
)
