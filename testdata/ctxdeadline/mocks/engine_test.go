package mocks

import (
	"context"
	"testing"

	"google.golang.org/grpc"

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

// A test that dials a real server makes real RPCs: reported only with
// -ctxdeadline.tests (a test hangs only until go test's -timeout).
func TestWithServer(t *testing.T) {
	conn, err := grpc.NewClient("passthrough:///localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = Verify(context.Background(), echo.NewEchoClient(conn)) // want `call to mocks.Verify passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(engine.go:\d+\) with no deadline, .*; derive the context with context.WithTimeout\(t.Context\(\), ...\)`
}
