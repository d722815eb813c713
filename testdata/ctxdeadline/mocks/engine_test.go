package mocks

import (
	"context"
	"testing"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
)

// mockEchoClient is what gomock or mockery generate for echo.EchoClient:
// it answers in process and can never hang.
type mockEchoClient struct{ echo.EchoClient }

func (m *mockEchoClient) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	return in, nil
}

// Silent with or without -ctxdeadline.tests: every client here is a mock.
func TestWithMocks(t *testing.T) {
	m := &mockEchoClient{}
	_ = (&Engine{users: m}).Get(context.Background())
	_ = Verify(context.Background(), m)
	_ = NewInjected(m).Get(context.Background())
}

// A test that dials a real server makes real RPCs. Its direct calls are
// reported with -ctxdeadline.tests (a test hangs only until go test's
// -timeout); calls through a helper's fact are not, even then: in tests the
// path a fact describes is mostly not the one taken (a fake in the field
// that guards a lazy dial, a chain of in-process servers).
func TestWithServer(t *testing.T) {
	conn, err := grpc.NewClient("passthrough:///localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	c := echo.NewEchoClient(conn)
	_ = Verify(context.Background(), c)               // silent: through Verify's fact
	_, _ = c.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline, .*; derive the context with context.WithTimeout\(t.Context\(\), ...\)`
}

// fakeConn answers every call in process, as an in-memory channel does.
type fakeConn struct{}

func (fakeConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	return nil
}

func (fakeConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return nil, nil
}

// A client made by another package's constructor from the test's own
// connection (open-telemetry's pmetricotlp.NewGRPCClient(cc).Export): the
// method's RPC runs on that connection, as a generated client's would, so
// with -ctxdeadline.tests it is reported like a direct call; on an
// in-process connection nothing can hang.
func TestConstructedOnConn(t *testing.T) {
	conn, err := grpc.NewClient("passthrough:///localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = rpcs.NewPlain(conn).Unary(context.Background(), &echo.Msg{}) // want `call to rpcs.UnaryClient.Unary passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary`
	c := rpcs.NewPlain(conn)
	_, _ = c.Unary(context.Background(), &echo.Msg{})                         // want `call to rpcs.UnaryClient.Unary passes context.Background\(\)`
	_, _ = rpcs.NewPlain(fakeConn{}).Unary(context.Background(), &echo.Msg{}) // silent: an in-process connection
}

// A connection wrapped by a function from a connection to a connection
// (grpchan's InterceptClientConn, a table's setup func) is judged by the
// connection it wraps: the test's in-process fake makes no RPC, a real
// connection does.
func TestWrappedConn(t *testing.T) {
	bg := context.Background()
	w := rpcs.Intercepted(fakeConn{}, func() {})
	_, _ = echo.NewEchoClient(w).Unary(bg, &echo.Msg{})            // silent: the wrapped connection is in process
	_ = w.Invoke(bg, "/echo.Echo/Unary", &echo.Msg{}, &echo.Msg{}) // silent: the same, called directly
	cases := []struct {
		setup func(grpc.ClientConnInterface) grpc.ClientConnInterface
	}{
		{setup: func(cc grpc.ClientConnInterface) grpc.ClientConnInterface { return rpcs.Intercepted(cc, func() {}) }},
	}
	for _, c := range cases {
		tc := fakeConn{}
		intercepted := c.setup(&tc)
		_ = intercepted.Invoke(bg, "/echo.Echo/Unary", &echo.Msg{}, &echo.Msg{}) // silent: a setup func given the fake
	}

	conn, err := grpc.NewClient("passthrough:///localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	r := rpcs.Intercepted(conn, func() {})
	_, _ = echo.NewEchoClient(r).Unary(bg, &echo.Msg{})            // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_ = r.Invoke(bg, "/echo.Echo/Unary", &echo.Msg{}, &echo.Msg{}) // want `call to grpc.ClientConnInterface.Invoke passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call grpc.ClientConnInterface.Invoke \(rpcs.go:139\)`
	for _, c := range cases {
		_ = c.setup(conn).Invoke(bg, "/echo.Echo/Unary", &echo.Msg{}, &echo.Msg{}) // want `gRPC call grpc.ClientConnInterface.Invoke uses bg`
	}
}

// The tests put mocks in the syncers' fields: their production calls are
// judged as in production (dialled.go), whatever the tests store.
func TestSyncers(t *testing.T) {
	_ = (&syncer{c: &mockEchoClient{}}).Sync()
	_ = (&plainSyncer{c: &mockEchoClient{}}).Sync()
}
