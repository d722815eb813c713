// Package adapter holds the plugin systems' adapter pattern (as in
// hashicorp/go-plugin): a service interface without contexts, a client
// stub that implements it by forwarding each method to the generated
// client, and a server adapter whose Impl field holds the real
// implementation behind the same interface. The stub is the only
// implementation in view, so the interface method has the detachedCall
// fact; but a handler that reaches its own RPC through the interface
// would call itself: its Impl is never the stub.
package adapter

import (
	"context"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

// Echoer is the interface the plugin exposes.
type Echoer interface {
	Unary(text string) (*echo.Msg, error) // want Unary:`detachedCall\(m.client.Unary on context.Background\(\)`
}

// Client is the stub that talks over gRPC: each method calls the RPC of
// the same name.
type Client struct{ client echo.EchoClient }

func (m *Client) Unary(text string) (*echo.Msg, error) { // want Unary:`detachedCall\(m.client.Unary on context.Background\(\)`
	return m.client.Unary(context.Background(), &echo.Msg{Text: text})
}

// Server is the gRPC server the stub talks to.
type Server struct {
	echo.UnimplementedEchoServer
	Impl Echoer // the real implementation
}

func (m *Server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: Impl.Unary's only implementation in view is the stub of
	// this same RPC (Unary, echo.Msg in, echo.Msg out), which the server
	// never holds.
	return m.Impl.Unary(in.Text)
}

// Lookup is the same stub under another method name: the handler does
// not reach its own RPC by name (dapr/dapr#2716's Store.Set is such a
// component), so it is reported.
type Lookup interface {
	Find(text string) (*echo.Msg, error) // want Find:`detachedCall\(m.client.Unary on context.Background\(\)`
}

type lookupClient struct{ client echo.EchoClient }

func (m *lookupClient) Find(text string) (*echo.Msg, error) { // want Find:`detachedCall\(m.client.Unary on context.Background\(\)`
	return m.client.Unary(context.Background(), &echo.Msg{Text: text})
}

type Finder struct {
	echo.UnimplementedEchoServer
	L Lookup
}

func (f *Finder) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return f.L.Find(in.Text) // want `call to f.L.Find in handler Unary reaches m.client.Unary on context.Background\(\)`
}

// Forwarder is an interface whose stub calls another service's RPC.
type Forwarder interface {
	Forward(text string) (*echov13.Msg, error) // want Forward:`detachedCall\(m.client.Unary on context.Background\(\)`
}

type forwardClient struct{ client echov13.EchoClient }

func (m *forwardClient) Forward(text string) (*echov13.Msg, error) { // want Forward:`detachedCall\(m.client.Unary on context.Background\(\)`
	return m.client.Unary(context.Background(), &echov13.Msg{Text: text})
}

// Gateway serves echo and forwards to the echov13 service through
// Forwarder.
type Gateway struct {
	echo.UnimplementedEchoServer
	Up Forwarder
}

func (g *Gateway) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	out, err := g.Up.Forward(in.Text) // want `call to g.Up.Forward in handler Unary reaches m.client.Unary on context.Background\(\)`
	if err != nil {
		return nil, err
	}
	return &echo.Msg{Text: out.Text}, nil
}

// Proxy forwards the same RPC upstream by a direct call: not an
// interface method's stub, so it is reported.
type Proxy struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (p *Proxy) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return p.up.Unary(context.Background(), in) // want `call to p.up.Unary in handler Unary uses context.Background\(\), not the request context`
}

// LegacyEchoer, LegacyClient and LegacyServer are the same adapter over
// pre-generic generated code.
type LegacyEchoer interface {
	Unary(text string) (*echov13.Msg, error) // want Unary:`detachedCall\(m.client.Unary on context.Background\(\)`
}

type LegacyClient struct{ client echov13.EchoClient }

func (m *LegacyClient) Unary(text string) (*echov13.Msg, error) { // want Unary:`detachedCall\(m.client.Unary on context.Background\(\)`
	return m.client.Unary(context.Background(), &echov13.Msg{Text: text})
}

type LegacyServer struct {
	Impl LegacyEchoer
}

func (m *LegacyServer) Unary(ctx context.Context, in *echov13.Msg) (*echov13.Msg, error) {
	// Silent: the stub of this same RPC, as in Server.
	return m.Impl.Unary(in.Text)
}

func (m *LegacyServer) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	return stream.Send(in)
}

func (m *LegacyServer) ClientStream(stream echov13.Echo_ClientStreamServer) error { return nil }

func (m *LegacyServer) Bidi(stream echov13.Echo_BidiServer) error { return nil }
