// Package fields holds handlers that reach upstream calls on contexts held
// in struct fields, directly or through a component's interface whose
// context-less method is implemented here (dapr/dapr#2716): the model
// takes a field's origin from every value the package stores in it.
package fields

import (
	"context"

	"example.com/fixtures/ctxdetach/helpers"
	"example.com/fixtures/pb/echo"
)

// Store is a component interface without a context.
type Store interface {
	Set(m *echo.Msg) error // want Set:`detachedCall\(s.up.Unary on context.Background\(\) at fields.go:\d+\)`
}

// grpcStore is Store's one implementation here: a gRPC client called on
// the component's context.Background(), set by its constructor.
type grpcStore struct {
	ctx context.Context
	up  echo.EchoClient
}

func newGRPCStore(up echo.EchoClient) *grpcStore {
	return &grpcStore{ctx: context.Background(), up: up}
}

func (s *grpcStore) Set(m *echo.Msg) error { // want Set:`detachedCall\(s.up.Unary on context.Background\(\)`
	_, err := s.up.Unary(s.ctx, m)
	return err
}

// server calls the store and its upstream on its own fields.
type server struct {
	echo.UnimplementedEchoServer
	rec   helpers.Recorder
	store Store
	up    echo.EchoClient
	ctx   context.Context // set by newServer from context.Background()
}

func newServer(up echo.EchoClient) *server {
	return &server{store: newGRPCStore(up), up: up, ctx: context.Background()}
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Reported: the store's one implementation calls upstream on the
	// component's context.Background().
	if err := s.store.Set(in); err != nil { // want `call to s.store.Set in handler Unary reaches s.up.Unary on context.Background\(\) \(fields.go:\d+\), so the RPC's cancellation and deadline never reach it; give Set a context parameter and pass ctx`
		return nil, err
	}
	// Reported: another package's interface whose one implementation there
	// calls upstream on a detached context (its fact).
	if err := s.rec.Record(in); err != nil { // want `call to s.rec.Record in handler Unary reaches r.up.Unary on context.Background\(\) \(helpers.go:\d+\)`
		return nil, err
	}
	// Reported: abandon is given the request's context and ignores it.
	if err := s.abandon(ctx, in); err != nil { // want `call to s.abandon in handler Unary reaches s.up.Unary on context.TODO\(\) \(fields.go:\d+\), .*; make abandon use the context it is given, not context.TODO\(\)`
		return nil, err
	}
	// Reported: the server's own field, set from context.Background().
	return s.up.Unary(s.ctx, in) // want `call to s.up.Unary in handler Unary uses s.ctx \(from context.Background\(\)\), not the request context`
}

// abandon takes a context and never uses it.
func (s *server) abandon(_ context.Context, m *echo.Msg) error { // want abandon:`detachedCall\(s.up.Unary on context.TODO\(\) at fields.go:\d+, ignoring its context\)`
	_, err := s.up.Unary(context.TODO(), m)
	return err
}

// Cache is a component interface with two implementations here, one of
// which makes no outbound call: which runs is not known, so no fact.
type Cache interface {
	Get(key string) (*echo.Msg, error)
}

type remoteCache struct {
	ctx context.Context
	up  echo.EchoClient
}

func newRemoteCache(up echo.EchoClient) *remoteCache {
	return &remoteCache{ctx: context.Background(), up: up}
}

func (c *remoteCache) Get(key string) (*echo.Msg, error) { // want Get:`detachedCall\(c.up.Unary on context.Background\(\)`
	return c.up.Unary(c.ctx, &echo.Msg{Text: key})
}

type memCache map[string]*echo.Msg

func (c memCache) Get(key string) (*echo.Msg, error) { return c[key], nil }

// component keeps a lifetime of its own: WithCancel(Background) with its
// cancel function kept beside it, ended by Close.
type component struct {
	ctx    context.Context
	cancel context.CancelFunc
	up     echo.EchoClient
}

func newComponent(up echo.EchoClient) *component {
	ctx, cancel := context.WithCancel(context.Background())
	return &component{ctx: ctx, cancel: cancel, up: up}
}

func (c *component) Close() { c.cancel() }

func (c *component) refresh() error {
	_, err := c.up.Unary(c.ctx, &echo.Msg{})
	return err
}

// request holds the request context of the handler that makes it.
type request struct {
	ctx context.Context
	up  echo.EchoClient
}

func (r *request) run(in *echo.Msg) (*echo.Msg, error) { return r.up.Unary(r.ctx, in) }

// given holds a context from an exported constructor's caller, whom the
// package does not see.
type given struct {
	ctx context.Context
	up  echo.EchoClient
}

func NewGiven(ctx context.Context, up echo.EchoClient) *given { return &given{ctx: ctx, up: up} } // want NewGiven:`keepsParams\(\[0\]\)`

func (g *given) call(in *echo.Msg) (*echo.Msg, error) { return g.up.Unary(g.ctx, in) }

type quietServer struct {
	echo.UnimplementedEchoServer
	cache Cache
	comp  *component
	given *given
	up    echo.EchoClient
}

func newQuietServer(up echo.EchoClient) *quietServer {
	return &quietServer{cache: memCache{}, comp: newComponent(up), given: NewGiven(context.Background(), up), up: up}
}

func (s *quietServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: Cache has an implementation here that makes no outbound
	// call (memCache, the one newQuietServer uses).
	if m, err := s.cache.Get(in.Text); err == nil && m != nil {
		return m, nil
	}
	// Silent: the component's lifetime, detached on purpose; Close ends it.
	if err := s.comp.refresh(); err != nil {
		return nil, err
	}
	// Silent: the field holds this request's context.
	r := &request{ctx: ctx, up: s.up}
	if _, err := r.run(in); err != nil {
		return nil, err
	}
	// Silent: NewGiven is exported; its callers elsewhere may pass any
	// context.
	return s.given.call(in)
}

var _ = newServer
var _ = newRemoteCache
var _ = newQuietServer
