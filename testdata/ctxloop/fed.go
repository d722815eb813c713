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

// stackResponse is hashicorp/terraform's stackruntime.PlanResponse
// (validation round 7, V7-A1): the producer's channels travel in a struct
// passed to it, and the producer closes them when it returns.
type stackResponse struct {
	Changes chan *echo.Msg
	Diags   chan error
}

type stackServer struct {
	echo.UnimplementedEchoServer
	plan  func(ctx context.Context, resp *stackResponse)
	blind func(resp *stackResponse)
	stops func() chan struct{} // a server-wide stop signal, no RPC's
}

// Silent: plan is given ctx, derived from the stream's, and the struct
// that holds both channels: it ends them with the RPC, and the loops end
// when it closes them. The select also waits on a server-wide stop
// channel, which does not end with the RPC, but the select wakes by its
// other cases.
func (s *stackServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	changes := make(chan *echo.Msg, 8)
	diags := make(chan error, 2)
	resp := stackResponse{Changes: changes, Diags: diags}
	stop := s.stops()
	go func() { s.plan(ctx, &resp) }()
	for {
		select {
		case <-stop:
			cancel() // the producer winds down and closes the channels
		case m, ok := <-changes: // silent: fed by a call given the request's context, through resp
			if !ok {
				for err := range diags { // silent: the same producer's
					_ = err
				}
				return nil
			}
			_ = stream.Send(m)
		case err, ok := <-diags:
			if !ok {
				diags = nil
				continue
			}
			_ = err
		}
	}
}

// Silent: the same with the struct made by address and its channels
// taken out of it.
func (s *stackServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	resp := &stackResponse{Changes: make(chan *echo.Msg, 8), Diags: make(chan error, 2)}
	go s.plan(ctx, resp)
	changes, diags := resp.Changes, resp.Diags
	for m := range changes { // silent: resp went to a call given the request's context
		_ = m
	}
	for err := range diags { // silent: the same
		_ = err
	}
	return stream.SendAndClose(&echo.Msg{})
}

// Reported: the producer is given the struct but no context.
func (s *stackServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	changes := make(chan *echo.Msg, 8)
	resp := stackResponse{Changes: changes, Diags: make(chan error, 2)}
	stop := s.stops()
	go s.blind(&resp)
	for { // want `loop in handler Bidi never checks stream.Context\(\) \(the error of stream.Send is ignored\)`
		select {
		case <-stop:
			return nil
		case m, ok := <-changes:
			if !ok {
				return nil
			}
			_ = stream.Send(m)
		}
	}
}

// stackFieldServer receives from the struct's fields where they are, in a
// loop that a failed Send leaves: the loop observes the RPC's end, and
// each receive is judged on its own.
type stackFieldServer struct{ stackServer }

// Silent: resp went to a call given the request's context, which feeds
// and ends resp.Changes.
func (s *stackFieldServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	resp := &stackResponse{Changes: make(chan *echo.Msg, 8), Diags: make(chan error, 2)}
	go s.plan(ctx, resp)
	for {
		m, ok := <-resp.Changes // silent: fed through resp
		if !ok {
			return nil
		}
		if err := stream.Send(m); err != nil {
			return err
		}
	}
}

// Reported: the producer is given resp but no context.
func (s *stackFieldServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	resp := &stackResponse{Changes: make(chan *echo.Msg, 8), Diags: make(chan error, 2)}
	go s.blind(resp)
	for {
		m, ok := <-resp.Changes // want `receive from resp.Changes in handler Bidi does not wake when the RPC ends`
		if !ok {
			return nil
		}
		if err := stream.Send(m); err != nil {
			return err
		}
	}
}
