package ctxloop

import (
	"io"
	"log"

	"example.com/fixtures/pb/echov13"
)

// v13Server uses the named stream interfaces of protoc-gen-go-grpc v1.3.
type v13Server struct {
	echov13.UnimplementedEchoServer
}

// Silent: a Recv loop that returns on error.
func (v13Server) Bidi(stream echov13.Echo_BidiServer) error {
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(in); err != nil {
			return err
		}
	}
}

// Reported: a Send loop that only logs.
func (v13Server) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	for { // want `loop in handler ServerStream never checks stream.Context\(\) \(the error of stream.Send is ignored\)`
		if err := stream.Send(in); err != nil {
			log.Printf("send: %v", err)
		}
	}
}
