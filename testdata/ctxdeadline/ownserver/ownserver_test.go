package ownserver

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/ctxdeadline/ownserver/server"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
	"example.com/fixtures/pb/echov13"
)

type legacyServer struct {
	echolegacy.UnimplementedEchoServer
}

func serve(t *testing.T) *grpc.ClientConn {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	server.Register(s)
	echolegacy.RegisterEchoServer(s, &legacyServer{})
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestOwnServer(t *testing.T) {
	conn := serve(t)
	// Silent: the test's own server, registered through package server.
	if _, err := echo.NewEchoClient(conn).Unary(context.Background(), &echo.Msg{}); err != nil {
		t.Fatal(err)
	}
	// Silent: registered here, in the oldest style (*grpc.Server).
	if _, err := echolegacy.NewEchoClient(conn).Unary(context.Background(), &echolegacy.Msg{}); err != nil {
		t.Fatal(err)
	}
}

// The twin: the program registers no Echo service of echov13, so the
// server is not the test's own.
func TestRemoteServer(t *testing.T) {
	conn := serve(t)
	if _, err := echov13.NewEchoClient(conn).Unary(context.Background(), &echov13.Msg{}); err != nil { // want `gRPC call echov13.EchoClient.Unary uses context.Background\(\), which has no deadline`
		t.Fatal(err)
	}
}
