package dltestctx

import (
	"context"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/pb/echo"
)

// dialForTest registers the connection's Close with the test's Cleanup,
// which runs once the test is done, as a defer does.
func dialForTest(t *testing.T, target string) *grpc.ClientConn {
	conn, _ := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// Reported: a test that blocks in the stream never gets to its Cleanup
// (containerd's GetContainerEvents test).
func watchInTest(t *testing.T) error {
	_, err := echo.NewEchoClient(dialForTest(t, "a")).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}
