package ctxloop

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// group runs functions in goroutines, as errgroup.Group does: no go
// statement in the handler names the producer.
type group struct{ errs chan error }

func (g *group) Go(f func() error) { go func() { g.errs <- f() }() }

// statusServer is buildkit's Control.Status (validation class W2): the
// producer that feeds ch is a call given the request's context, run by the
// group.
type statusServer struct {
	echo.UnimplementedEchoServer
	produce func(ctx context.Context, ch chan<- *echo.Msg) error
	blind   func(ch chan<- *echo.Msg) error
}

// Silent: produce is given ctx, derived from the stream's, and ch: it
// knows when the RPC ends and closes ch.
func (s *statusServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	ch := make(chan *echo.Msg, 8)
	g := &group{errs: make(chan error, 2)}
	g.Go(func() error { return s.produce(ctx, ch) })
	for {
		m, ok := <-ch // silent: fed by a call given the request's context
		if !ok {
			return nil
		}
		if err := stream.Send(m); err != nil {
			return err
		}
	}
}

// Reported: the producer is given the channel but no context.
func (s *statusServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	ch := make(chan *echo.Msg, 8)
	g := &group{errs: make(chan error, 2)}
	g.Go(func() error { return s.blind(ch) })
	for {
		m, ok := <-ch // want `receive from ch in handler Bidi does not wake when the RPC ends`
		if !ok {
			return nil
		}
		if err := stream.Send(m); err != nil {
			return err
		}
	}
}
