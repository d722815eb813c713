package ctxdeadline

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"

	"example.com/fixtures/pb/echolegacy"
	"example.com/fixtures/pb/echov13"
)

// v13 uses the named-stream style (protoc-gen-go-grpc v1.3).
func v13(c echov13.EchoClient) error {
	if _, err := c.Unary(context.Background(), &echov13.Msg{}); err != nil { // want `gRPC call echov13.EchoClient.Unary uses context.Background\(\), which has no deadline`
		return err
	}
	if _, err := c.ServerStream(context.TODO(), &echov13.Msg{}); err != nil { // want `gRPC stream echov13.EchoClient.ServerStream uses context.TODO\(\), which has neither a deadline nor a cancel function`
		return err
	}
	// Silent: a timeout for the call, a cancel function for the stream.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.Unary(ctx, &echov13.Msg{}); err != nil {
		return err
	}
	sctx, scancel := context.WithCancel(context.Background())
	defer scancel()
	_, err := c.Bidi(sctx)
	return err
}

// legacy uses the oldest generated form.
func legacy(c echolegacy.EchoClient) error {
	if _, err := c.Unary(context.TODO(), &echolegacy.Msg{}); err != nil { // want `gRPC call echolegacy.EchoClient.Unary uses context.TODO\(\), which has no deadline`
		return err
	}
	if _, err := c.Bidi(context.Background()); err != nil { // want `gRPC stream echolegacy.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
		return err
	}
	// Silent: a timeout.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(ctx, &echolegacy.Msg{})
	return err
}

// health calls a client generated in another module (grpc's own health
// service).
func health(conn *grpc.ClientConn) error {
	h := grpc_health_v1.NewHealthClient(conn)
	if _, err := h.Check(context.Background(), &grpc_health_v1.HealthCheckRequest{}); err != nil { // want `gRPC call grpc_health_v1.HealthClient.Check uses context.Background\(\), which has no deadline`
		return err
	}
	if _, err := h.Watch(context.Background(), &grpc_health_v1.HealthCheckRequest{}); err != nil { // want `gRPC stream grpc_health_v1.HealthClient.Watch uses context.Background\(\), which has neither a deadline nor a cancel function`
		return err
	}
	// Silent: a timeout for Check, a cancel function for Watch.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := h.Check(ctx, &grpc_health_v1.HealthCheckRequest{}); err != nil {
		return err
	}
	wctx, wcancel := context.WithCancel(context.Background())
	defer wcancel()
	_, err := h.Watch(wctx, &grpc_health_v1.HealthCheckRequest{})
	return err
}
