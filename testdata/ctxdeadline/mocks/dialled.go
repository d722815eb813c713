package mocks

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/ctxdeadline/conns/mw"
	"example.com/fixtures/pb/echo"
)

// A client made by an unexported constructor on the connection it is
// given (hatchet's newAdmin(conn, ...)) has what every caller's connection
// has: its one caller dials with an interceptor that bounds every unary
// call, so Sync's call is bounded. The package's tests put a mock in the
// field; production code is judged by what production code stores, in the
// test variant too.
type syncer struct{ c echo.EchoClient }

func newSyncer(conn *grpc.ClientConn) *syncer { return &syncer{c: echo.NewEchoClient(conn)} }

func DialSyncer(target string) (*syncer, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(mw.Timeout(30e9)))
	if err != nil {
		return nil, err
	}
	return newSyncer(conn), nil
}

func (s *syncer) Sync() error {
	_, err := s.c.Unary(context.Background(), req) // silent: bounded by its caller's connection
	return err
}

// The same with a caller whose connection bounds nothing: reported, in
// both variants.
type plainSyncer struct{ c echo.EchoClient }

func newPlainSyncer(conn *grpc.ClientConn) *plainSyncer {
	return &plainSyncer{c: echo.NewEchoClient(conn)}
}

func DialPlainSyncer(target string) (*plainSyncer, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return newPlainSyncer(conn), nil
}

func (s *plainSyncer) Sync() error {
	_, err := s.c.Unary(context.Background(), req) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}
