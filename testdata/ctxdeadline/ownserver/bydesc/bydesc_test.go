package bydesc

import (
	"context"
	"testing"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

type v13Server struct {
	echov13.UnimplementedEchoServer
}

func TestByDesc(t *testing.T) {
	s := grpc.NewServer()
	s.RegisterService(&echov13.Echo_ServiceDesc, v13Server{})
	conn, err := grpc.NewClient("passthrough:///own", grpc.WithContextDialer(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Silent: registered above.
	if _, err := echov13.NewEchoClient(conn).Unary(context.Background(), &echov13.Msg{}); err != nil {
		t.Fatal(err)
	}
	// The twin: this program registers no Echo service of echo (package
	// server is not linked here).
	if _, err := echo.NewEchoClient(conn).Unary(context.Background(), &echo.Msg{}); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
		t.Fatal(err)
	}
}
