package ctxloop

import (
	"errors"
	"io"
	"log"

	"example.com/fixtures/pb/echov13"
)

// v13Watch holds the wait shapes on the named stream interfaces of
// protoc-gen-go-grpc v1.3.
type v13Watch struct {
	echov13.UnimplementedEchoServer
	quit    chan struct{}
	updates chan *echov13.Msg
}

// Reported: the forwarding goroutine's select watches only s.quit.
func (s *v13Watch) Bidi(stream echov13.Echo_BidiServer) error {
	reqCh := make(chan *echov13.Msg)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select { // want `select on reqCh and s.quit in goroutine started by handler Bidi does not wake when the RPC ends`
			case reqCh <- req:
			case <-s.quit:
				return
			}
		}
	}()
	for {
		select {
		case req := <-reqCh: // silent as a wait: reqCh's producer leaves when Recv fails
			if err := stream.Send(req); err != nil {
				return err
			}
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}

// Reported: only io.EOF leaves the loop.
func (s *v13Watch) ClientStream(stream echov13.Echo_ClientStreamServer) error {
	var n int64
	for { // want `loop in handler ClientStream never checks stream.Context\(\) \(only io.EOF from stream.Recv leaves the loop\)`
		in, err := stream.Recv()
		switch {
		case errors.Is(err, io.EOF):
			return stream.SendAndClose(&echov13.Msg{N: n})
		case err != nil:
			log.Print(err)
		default:
			n += in.N
		}
	}
}

// Silent: the select also wakes on the stream's context.
func (s *v13Watch) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	for {
		select {
		case u := <-s.updates:
			if err := stream.Send(u); err != nil {
				return err
			}
		case <-s.quit:
			return nil
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}
