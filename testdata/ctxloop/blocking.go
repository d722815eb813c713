package ctxloop

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxloop/helpers"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

// Calls of functions that block: a loop that leaves on a stream error, or
// passes the request context on, still blocks inside a call that waits on
// something no context wakes.

// watcher hands out events one at a time.
type watcher struct {
	events chan *echo.Msg
	quit   chan struct{}
	ready  chan struct{} // closed once the watcher has synced
	done   chan struct{} // closed when the watcher's loop has ended
}

func newWatcher() *watcher {
	w := &watcher{events: make(chan *echo.Msg), quit: make(chan struct{}), ready: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		close(w.ready)
		w.events <- &echo.Msg{}
	}()
	return w
}

// waitReady waits for a signal closed once: no fact (as WaitGroup.Wait,
// it waits for work in progress).
func (w *watcher) waitReady() { <-w.ready }

// waitEnd selects on signals only: no fact.
func (w *watcher) waitEnd() {
	select {
	case <-w.ready:
	case <-w.done:
	}
}

// next waits for the next event: after the client has gone, possibly
// forever (issue 13's parked stream handler, behind a call).
func (w *watcher) next() *echo.Msg { // want next:`blocks\(receive from w.events in next`
	return <-w.events
}

// nextOrQuit waits for an event or the watcher's end, never for the RPC's.
func (w *watcher) nextOrQuit() (*echo.Msg, bool) { // want nextOrQuit:`blocks\(select on w.events and w.quit in nextOrQuit`
	select {
	case m := <-w.events:
		return m, true
	case <-w.quit:
		return nil, false
	}
}

// following calls next: the fact passes on.
func (w *watcher) following() *echo.Msg { // want following:`blocks\(receive from w.events in next`
	return w.next()
}

// confirm waits for an event only when its argument asks it to: the call
// sits in a branch the caller chooses, so confirm gets no fact.
func (w *watcher) confirm(wait bool) *echo.Msg {
	if wait {
		return w.next()
	}
	return nil
}

// nextCtx wakes on its context: no fact.
func (w *watcher) nextCtx(ctx context.Context) (*echo.Msg, error) {
	select {
	case m := <-w.events:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type blockingServer struct {
	echo.UnimplementedEchoServer
	w    *watcher
	q    *helpers.Queue
	pool *helpers.Pool
	stop *helpers.StoppablePool
	flak *helpers.GivingUpPool
	sem  *helpers.Sem
}

// Reported: the Send error leaves the loop, but the loop parks in next.
func (s *blockingServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	for {
		m := s.w.next() // want `call to s.w.next in handler ServerStream blocks in a receive from w.events in next \(blocking.go:50\), which does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; pass stream.Context\(\) to next and wait there in a select with case <-stream.Context\(\).Done\(\)`
		if err := stream.Send(m); err != nil {
			return err
		}
		f, ok := s.w.nextOrQuit() // want `call to s.w.nextOrQuit in handler ServerStream blocks in a select on w.events and w.quit in nextOrQuit`
		if !ok {
			return nil
		}
		if err := stream.Send(f); err != nil {
			return err
		}
		_ = s.w.confirm(false)                               // silent: the wait is on a branch confirm's caller chooses
		if err := stream.Send(s.w.following()); err != nil { // want `call to s.w.following in handler ServerStream blocks in a receive from w.events in next`
			return err
		}
	}
}

// Reported: a Recv loop that hands each message to another package's
// queue, whose Push waits for a reader; PushWith is given the request
// context and ignores it.
func (s *blockingServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		m, err := stream.Recv()
		if err != nil {
			return err
		}
		s.q.Push(m.Text)                                              // want `call to s.q.Push in handler ClientStream blocks in a send on q.items in Push \(queue.go:15\)`
		s.q.PushWith(stream.Context(), m.Text)                        // want `call to s.q.PushWith in handler ClientStream blocks in a send on q.items in Push`
		if err := s.q.PushCtx(stream.Context(), m.Text); err != nil { // silent: PushCtx wakes on its context
			return err
		}
		s.pool.Submit(m.Text) // silent: the pool's worker, started by its constructor, is there until the channel closes
		s.stop.Submit(m.Text) // silent: the worker leaves only when its owner stops the pool
		s.flak.Submit(m.Text) // want `call to s.flak.Submit in handler ClientStream blocks in a send on p.jobs in Submit`
		s.sem.Acquire()       // want `call to s.sem.Acquire in handler ClientStream blocks in a send on s.slots in Acquire`
		s.sem.Release()       // silent: a receive from a buffered channel, a semaphore's release
		s.w.waitReady()       // silent: a signal closed once, not a queue
		s.w.waitEnd()         // silent: a select on signals only
		go s.w.next()         // silent: runs in a goroutine of its own, not in the loop
	}
}

// Silent: the twin of ServerStream waits where the request context wakes it.
func (s *blockingServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		m, err := s.w.nextCtx(stream.Context())
		if err != nil {
			return err
		}
		if err := stream.Send(m); err != nil {
			return err
		}
	}
}

// Silent: a call that blocks outside any loop is judged by the loop rules
// only where a loop comes back to it.
func (s *blockingServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	return s.w.next(), nil
}

// The same on protoc-gen-go-grpc v1.3's named stream types.
type blockingV13 struct {
	echov13.UnimplementedEchoServer
	q *helpers.Queue
}

func (s *blockingV13) ClientStream(stream echov13.Echo_ClientStreamServer) error {
	for {
		m, err := stream.Recv()
		if err != nil {
			return err
		}
		s.q.Push(m.Text) // want `call to s.q.Push in handler ClientStream blocks in a send on q.items in Push`
	}
}

func (s *blockingV13) Bidi(stream echov13.Echo_BidiServer) error {
	for {
		m, err := stream.Recv()
		if err != nil {
			return err
		}
		if err := s.q.PushCtx(stream.Context(), m.Text); err != nil { // silent: wakes on the stream's context
			return err
		}
	}
}
