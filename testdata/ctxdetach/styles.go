package ctxdetach

import (
	"context"

	"example.com/fixtures/pb/echolegacy"
	"example.com/fixtures/pb/echov13"
)

// v13Server implements the named-stream style (protoc-gen-go-grpc v1.3).
type v13Server struct {
	echov13.UnimplementedEchoServer
	up echov13.EchoClient
}

func (v *v13Server) Unary(ctx context.Context, in *echov13.Msg) (*echov13.Msg, error) {
	return v.up.Unary(context.TODO(), in) // want `call to v.up.Unary in handler Unary uses context.TODO\(\)`
}

func (v *v13Server) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	out, err := v.up.Unary(context.Background(), in) // want `call to v.up.Unary in handler ServerStream uses context.Background\(\), .*; pass stream.Context\(\)`
	if err != nil {
		return err
	}
	return stream.Send(out)
}

func (v *v13Server) ClientStream(stream echov13.Echo_ClientStreamServer) error {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	// Silent: the request context.
	out, err := v.up.Unary(stream.Context(), in)
	if err != nil {
		return err
	}
	return stream.SendAndClose(out)
}

func (v *v13Server) Bidi(stream echov13.Echo_BidiServer) error {
	_, err := v.up.Unary(context.Background(), &echov13.Msg{}) // want `call to v.up.Unary in handler Bidi uses context.Background\(\)`
	return err
}

// legacyServer implements the oldest form, registered with
// RegisterEchoServer(*grpc.Server, EchoServer).
type legacyServer struct {
	echolegacy.UnimplementedEchoServer
	up echolegacy.EchoClient
}

func (l *legacyServer) Unary(ctx context.Context, in *echolegacy.Msg) (*echolegacy.Msg, error) {
	return l.up.Unary(context.Background(), in) // want `call to l.up.Unary in handler Unary uses context.Background\(\)`
}

func (l *legacyServer) Bidi(stream echolegacy.Echo_BidiServer) error {
	// Silent: the request context.
	_, err := l.up.Unary(stream.Context(), &echolegacy.Msg{})
	return err
}
