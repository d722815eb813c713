package ctxdeadline

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// A method value of a client method is called like the method: its call
// is an RPC.
func methodValues(conn *grpc.ClientConn) error {
	c := echo.NewEchoClient(conn)
	call := c.Unary
	if _, err := call(context.Background(), msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
		return err
	}
	// Silent: a timed context.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := call(ctx, msg)
	return err
}
