// Package exempt holds deadline-less calls, some of them to methods and
// types that TestExempt exempts with -ctxdeadline.exempt. Lines marked
// "exempted" are silent with the flag and reported without it.
package exempt

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

// wrapped embeds the generated client: its Unary is still
// echo.EchoClient.Unary, whatever the call site spells.
type wrapped struct {
	echo.EchoClient
}

func calls(c echo.EchoClient, v echov13.EchoClient, conn *grpc.ClientConn, cci grpc.ClientConnInterface) {
	bg := context.Background()
	c.Unary(bg, &echo.Msg{})                     // exempted: example.com/fixtures/pb/echo.EchoClient.Unary
	wrapped{c}.Unary(bg, &echo.Msg{})            // exempted: the same method, promoted
	c.Bidi(bg)                                   // want `gRPC stream echo.EchoClient.Bidi uses bg`
	v.Unary(bg, &echov13.Msg{})                  // want `gRPC call echov13.EchoClient.Unary uses bg`
	conn.Invoke(bg, "/m", nil, nil)              // exempted: (*google.golang.org/grpc.ClientConn).Invoke
	conn.NewStream(bg, &grpc.StreamDesc{}, "/m") // want `gRPC stream grpc.ClientConn.NewStream uses bg`
	cci.Invoke(bg, "/m", nil, nil)               // want `gRPC call grpc.ClientConnInterface.Invoke uses bg`
	h := grpc_health_v1.NewHealthClient(conn)
	h.Check(bg, &grpc_health_v1.HealthCheckRequest{}) // exempted: google.golang.org/grpc/health/grpc_health_v1.HealthClient
	h.Watch(bg, &grpc_health_v1.HealthCheckRequest{}) // exempted: the whole type
}

// fetch's RPC is exempt: with the flag it gets no fact, and its caller is
// silent too.
func fetch(ctx context.Context, c echo.EchoClient) { // exempted: no fact with the flag
	c.Unary(ctx, &echo.Msg{})
}

func fetchCaller(conn *grpc.ClientConn) {
	fetch(context.Background(), echo.NewEchoClient(conn)) // exempted: fetch has no fact
}
