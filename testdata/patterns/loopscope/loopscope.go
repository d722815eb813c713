// Package loopscope: which functions ctxloop judges as serving an RPC
// (validation class V3). A function that takes the RPC's stream and no
// context is judged as a handler; one that takes a concrete fake of a
// stream, or a *testing.T, is a test's helper, and calls into helpers from
// _test.go files are not reported. Deferred cleanup and dead code are not
// the RPC's work.
package loopscope

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	ready    atomic.Bool
	shutdown chan struct{}
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	Poll(s.ready.Load) // want `call to Poll in handler Unary runs a polling loop in Poll`
	return in, nil
}

func (s *srv) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	return s.watch(stream)
}

// watch takes the RPC's stream and no context: a stream function, judged
// as a handler.
func (s *srv) watch(stream echo.Echo_ServerStreamServer) error {
	for { // want `polling loop in function watch never checks stream.Context\(\)`
		if s.ready.Load() {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}

// Poll waits until cond holds, with no context: a fact.
func Poll(cond func() bool) { // want Poll:`blindLoop\(polling loop in Poll`
	for {
		if cond() {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// bufferingStream is a fake server stream that records what a handler
// sends, as a package's test utilities write one (outside _test.go).
type bufferingStream struct {
	grpc.ServerStream
	mu      sync.Mutex
	updates []*echo.Msg
}

func (b *bufferingStream) Send(m *echo.Msg) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.updates = append(b.updates, m)
	return nil
}

// lastUpdate takes the fake by its concrete type: no RPC is served here,
// so its poll is silent.
func lastUpdate(stream *bufferingStream) *echo.Msg {
	for {
		stream.mu.Lock()
		n := len(stream.updates)
		stream.mu.Unlock()
		if n > 0 {
			return stream.updates[n-1]
		}
		time.Sleep(time.Millisecond)
	}
}

// disabled switches a code path off at compile time.
const disabled = false

// ClientStream cleans up in deferred calls and keeps a disabled path.
func (s *srv) ClientStream(stream echo.Echo_ClientStreamServer) error {
	// Silent: deferred cleanup runs as the handler returns, and must run
	// to its end (wait for a flush before shutting a shared buffer down).
	defer Poll(s.ready.Load)
	defer func() {
		Poll(s.ready.Load)
		for !s.ready.Load() {
			time.Sleep(time.Millisecond)
		}
	}()
	// Silent: dead code, under a constant false condition.
	if disabled {
		for {
			time.Sleep(time.Millisecond)
		}
	}
	if true {
		_ = stream.SendAndClose(&echo.Msg{})
	} else {
		Poll(s.ready.Load)
	}
	// Reported: the same wait in the handler's body.
	Poll(s.ready.Load) // want `call to Poll in handler ClientStream runs a polling loop in Poll`
	return nil
}

// Bidi waits for the first of the server's shutdown and the end of the
// RPC's own goroutines (tuning class R5, seaweedfs' plugin stream).
func (s *srv) Bidi(stream echo.Echo_BidiServer) error {
	recvErr := make(chan error, 1)
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				recvErr <- err
				return
			}
		}
	}()
	// Silent: the select wakes when the Recv goroutine's error arrives,
	// which it does when the RPC ends, whatever the shutdown channel does.
	for {
		select {
		case <-s.shutdown:
			return nil
		case err := <-recvErr:
			return err
		}
	}
}

// blindBidi is the twin: its goroutine never looks at the stream, so the
// select waits on the shutdown channel and a timer only.
type blindBidi struct {
	echo.UnimplementedEchoServer
	shutdown chan struct{}
}

func (b *blindBidi) Bidi(stream echo.Echo_BidiServer) error {
	tick := make(chan error, 1)
	go func() {
		time.Sleep(time.Second)
		tick <- nil
	}()
	for { // want `polling loop in handler Bidi never checks stream.Context\(\)`
		select {
		case <-b.shutdown:
			return nil
		case err := <-tick:
			if err != nil {
				return err
			}
		}
	}
}
