package ctxloop

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

// A hand-off outside any loop: a send on a struct field's channel that the
// package makes unbuffered and no loop receives from waits for a receiver
// that comes once, if at all (grpc-go#8911's fake ORCA service).

type fakeService struct {
	echo.UnimplementedEchoServer
	reqCh  chan *echo.Msg // unbuffered, received once by await
	respCh chan *echo.Msg
	jobs   chan *echo.Msg // unbuffered, drained by run's loop
	events chan *echo.Msg // buffered
	audit  chan *echo.Msg // made out of sight
}

func newFakeService() *fakeService {
	return &fakeService{
		reqCh:  make(chan *echo.Msg),
		respCh: make(chan *echo.Msg),
		jobs:   make(chan *echo.Msg),
		events: make(chan *echo.Msg, 8),
	}
}

// await is the test's side: it stops receiving when its own context ends.
func (f *fakeService) await(ctx context.Context) *echo.Msg {
	select {
	case m := <-f.reqCh:
		return m
	case <-ctx.Done():
		return nil
	}
}

// run is a worker that is there until jobs is closed: a send on jobs
// waits for it to finish its current job, not for good.
func (f *fakeService) run() { // want run:`blindLoop\(polling loop in run` run:`blocks\(receive from f.jobs in run`
	for {
		j, ok := <-f.jobs
		if !ok {
			return
		}
		f.respCh <- j // silent: not in handler scope
	}
}

// Reported: grpc-go#8911 before the fix.
func (f *fakeService) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	f.reqCh <- in // want `send on f.reqCh in handler ServerStream does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; send in a select with case <-stream.Context\(\).Done\(\)`
	for {
		select {
		case m := <-f.respCh:
			if err := stream.Send(m); err != nil {
				return err
			}
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}

// Reported in a unary handler. Silent in the goroutine it starts and does
// not wait for: that goroutine is meant to outlive the RPC, whose context
// is cancelled as the handler returns (see spawnServer3 in spawned.go).
func (f *fakeService) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	go func() {
		f.reqCh <- in // silent: a goroutine the unary handler does not wait for
	}()
	f.reqCh <- in // want `send on f.reqCh in handler Unary does not wake when the RPC ends, .*; send in a select with case <-ctx.Done\(\)`
	return in, nil
}

// Silent twins.
func (f *fakeService) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	select { // silent: grpc-go#8911's fix, the hand-off wakes on the stream's context
	case f.reqCh <- in:
	case <-stream.Context().Done():
		return stream.Context().Err()
	}
	f.jobs <- in   // silent: run's loop serves jobs until it is closed
	f.events <- in // silent: made with a buffer
	f.audit <- in  // silent: its making is out of sight, the buffer unknown
	out := make(chan *echo.Msg)
	go func() { out <- in }() // silent: a local channel, the handler's own goroutine
	return stream.Send(<-out)
}

// The same hand-off on protoc-gen-go-grpc v1.3's named stream types.
type fakeV13 struct {
	echov13.UnimplementedEchoServer
	reqCh chan *echov13.Msg
}

func newFakeV13() *fakeV13 { return &fakeV13{reqCh: make(chan *echov13.Msg)} }

func (f *fakeV13) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	f.reqCh <- in // want `send on f.reqCh in handler ServerStream does not wake when the RPC ends`
	return stream.Send(in)
}

func (f *fakeV13) Unary(ctx context.Context, in *echov13.Msg) (*echov13.Msg, error) {
	select { // silent: the request context wakes the hand-off
	case f.reqCh <- in:
		return in, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// growServer is seaweedfs's master (class A1 of the tuning triage): the
// handler's poll sends on a queue that a worker its constructor starts
// serves for the process's life.
type growServer struct {
	echo.UnimplementedEchoServer
	growCh chan *echo.Msg // served until closed
	stopCh chan *echo.Msg // its worker gives up after a minute without work
	quit   chan struct{}
}

func newGrowServer() *growServer {
	s := &growServer{growCh: make(chan *echo.Msg, 64), stopCh: make(chan *echo.Msg, 64), quit: make(chan struct{})}
	go func() {
		for {
			req, ok := <-s.growCh
			if !ok {
				break
			}
			req.N--
		}
	}()
	go func() {
		for {
			select {
			case req := <-s.stopCh:
				req.N--
			case <-s.quit:
				return
			case <-time.After(time.Minute):
				return
			}
		}
	}()
	return s
}

func (s *growServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	start := time.Now()
	for time.Since(start) < 10*time.Second { // a poll with its own deadline: judged by its waits
		if in.N > 0 {
			s.growCh <- in // silent: the constructor's worker serves growCh until it is closed
			s.stopCh <- in // want `send on s.stopCh in handler Unary does not wake when the RPC ends`
		}
		if in.N < 0 {
			return in, nil
		}
	}
	return nil, ctx.Err()
}
