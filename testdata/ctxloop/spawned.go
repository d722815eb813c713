package ctxloop

import (
	"context"
	"sync"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echov13"
)

// Goroutines a handler starts that run a function of the package: its
// loops' waits are the goroutine's, judged with its parameters standing
// for what the handler passed.

// leakyReceive is istio#10822 before the fix: it feeds reqs until Recv
// fails, and its send waits for a main loop that may have returned.
func leakyReceive(con *istioConn, reqs chan *echo.Msg) {
	defer close(reqs)
	for {
		req, err := con.stream.Recv()
		if err != nil {
			return
		}
		reqs <- req // want `send on reqs in goroutine leakyReceive started by handler Bidi does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; send in a select with a case on the request context's Done\(\)`
	}
}

// forward drains into out, which the caller ranges over to its end.
func forward(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg], out chan<- *echo.Msg) {
	defer close(out)
	for {
		m, err := stream.Recv()
		if err != nil {
			return
		}
		out <- m // silent: the handler drains out with a range that never leaves early
	}
}

type spawnServer struct {
	echo.UnimplementedEchoServer
	ctx  context.Context // the server's lifetime
	quit chan struct{}
	jobs chan *echo.Msg
}

// Reported: istio's handler, whose main loop may return on a failed push
// while leakyReceive waits on the one-slot channel.
func (s *spawnServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	con := &istioConn{stream: stream, push: s.jobs}
	reqs := make(chan *echo.Msg, 1)
	go leakyReceive(con, reqs)
	for {
		select {
		case req, ok := <-reqs: // silent: leakyReceive's loop leaves when Recv fails, closing reqs
			if !ok {
				return nil
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case push := <-con.push:
			if err := stream.Send(push); err != nil {
				return nil
			}
		}
	}
}

// Silent: the handler drains what forward sends.
func (s *spawnServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	out := make(chan *echo.Msg)
	go forward(stream, out)
	var n int64
	for m := range out {
		n += m.N
	}
	return stream.SendAndClose(&echo.Msg{N: n})
}

// relay is a method that takes the stream: its select watches only the
// server's context (go-control-plane#430 in a named function). The fix
// adds the stream's context.
func (s *spawnServer) relay(stream grpc.ServerStreamingServer[echo.Msg], reqs chan *echo.Msg) {
	for {
		m, ok := <-s.jobs // want `receive from s.jobs in goroutine relay started by handler ServerStream does not wake when the RPC ends`
		if !ok {
			return
		}
		if err := stream.Send(m); err != nil {
			return
		}
		select { // want `select on reqs and s.ctx.Done\(\) in goroutine relay started by handler ServerStream does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; add case <-stream.Context\(\).Done\(\) and return from it`
		case reqs <- m:
		case <-s.ctx.Done():
			return
		}
	}
}

// Reported in relay, which the handler's goroutine runs with its stream.
func (s *spawnServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	reqs := make(chan *echo.Msg)
	go s.relay(stream, reqs)
	select {
	case <-reqs:
		return nil
	case <-stream.Context().Done():
		return stream.Context().Err()
	}
}

// drainJobs waits on the server's own context: its loop observes that
// context, so it is no blind loop; as the RPC's goroutine it would not
// wake when the RPC ends.
func (s *spawnServer) drainJobs(tag string) {
	for {
		select { // want `select on s.jobs and s.ctx.Done\(\) in goroutine drainJobs started by handler Unary does not wake when the RPC ends`
		case m := <-s.jobs:
			m.Text += tag
		case <-s.ctx.Done():
			return
		}
	}
}

// Silent: go s.drainJobs("") hands the goroutine nothing of the RPC's: a
// worker of the server (started here lazily), not the RPC's.
func (s *spawnServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	go s.drainJobs("")
	return in, nil
}

type spawnServer2 struct {
	spawnServer
	done chan *echo.Msg
}

// Reported: the goroutine works for this RPC (it is handed the request's
// text), and waits on the server's context only; the handler waits for
// its result, so the goroutine is the RPC's.
func (s *spawnServer2) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	go s.drainJobs(in.Text)
	return <-s.done, nil
}

// watchJobs is drainJobs for a goroutine that outlives its RPC.
func (s *spawnServer) watchJobs(tag string) {
	for {
		select { // silent: the goroutine of spawnServer3's Unary is meant to outlive the RPC
		case m := <-s.jobs:
			if m.Text == tag {
				return
			}
		case <-s.ctx.Done():
			return
		}
	}
}

type spawnServer3 struct {
	spawnServer
}

// Silent (longhorn-engine's BackupRestore, issue 17's V5-B2): a unary
// handler that starts the work and returns at once, for the client to
// poll its progress: the work must outlive the RPC, whose context gRPC
// cancels as the handler returns, so waking on it would abandon the work
// at once. ctxloop does not judge a goroutine a unary handler does not
// wait for; one it waits for (spawnServer2) is the RPC's.
func (s *spawnServer3) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	go s.watchJobs(in.Text)
	return in, nil
}

// watchStream is etcd's serverWatchStream: a per-stream object whose send
// loop leaves on closec, which the handler closes when the stream ends.
type watchStream struct {
	stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]
	ctrl   chan *echo.Msg
	closec chan struct{}
	wg     sync.WaitGroup
}

// recvLoop is etcd#18704 before the fix.
func (ws *watchStream) recvLoop() error { // want recvLoop:`blocks\(send on ws.ctrl in recvLoop`
	for {
		req, err := ws.stream.Recv()
		if err != nil {
			return err
		}
		ws.ctrl <- req // want `send on ws.ctrl in goroutine recvLoop started by handler Bidi does not wake when the RPC ends`
	}
}

// fixedRecvLoop is etcd#18739's fix: the send also leaves on closec.
func (ws *watchStream) fixedRecvLoop() error { // want fixedRecvLoop:`blocks\(select on ws.ctrl and ws.closec in fixedRecvLoop`
	for {
		req, err := ws.stream.Recv()
		if err != nil {
			return err
		}
		select {
		case ws.ctrl <- req:
		case <-ws.closec: // wakes: the handler closes closec when the stream ends
			return nil
		}
	}
}

// sendLoop: silent, closec wakes its select.
func (ws *watchStream) sendLoop() { // want sendLoop:`blocks\(select on ws.ctrl and ws.closec in sendLoop`
	for {
		select {
		case m := <-ws.ctrl:
			if err := ws.stream.Send(m); err != nil {
				return
			}
		case <-ws.closec:
			return
		}
	}
}

type etcdWatch struct {
	echo.UnimplementedEchoServer
	fixed bool
}

func (w etcdWatch) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	ws := &watchStream{stream: stream, ctrl: make(chan *echo.Msg, 16), closec: make(chan struct{})}
	ws.wg.Add(1)
	go func() {
		ws.sendLoop()
		ws.wg.Done()
	}()
	errc := make(chan error, 1)
	go func() {
		if w.fixed {
			errc <- ws.fixedRecvLoop()
			return
		}
		errc <- ws.recvLoop()
	}()
	var err error
	select {
	case err = <-errc:
	case <-stream.Context().Done():
		err = stream.Context().Err()
	}
	close(ws.closec)
	ws.wg.Wait()
	return err
}

// closingStream is etcd's serverWatchStream as it is today: the handler
// closes closec through a method, sws.close().
type closingStream struct {
	stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]
	ctrl   chan *echo.Msg
	closec chan struct{}
}

func (cs *closingStream) recvLoop() error { // want recvLoop:`blocks\(select on cs.ctrl and cs.closec in recvLoop`
	for {
		req, err := cs.stream.Recv()
		if err != nil {
			return err
		}
		select {
		case cs.ctrl <- req:
		case <-cs.closec: // wakes: the handler's cs.close() closes closec
			return nil
		}
	}
}

func (cs *closingStream) close() { close(cs.closec) }

type etcdWatchClose struct {
	echo.UnimplementedEchoServer
}

func (etcdWatchClose) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	cs := &closingStream{stream: stream, ctrl: make(chan *echo.Msg, 16), closec: make(chan struct{})}
	errc := make(chan error, 1)
	go func() { errc <- cs.recvLoop() }()
	defer cs.close()
	for {
		select { // silent: errc's producer calls cs.recvLoop, whose loop leaves when Recv fails
		case err := <-errc:
			return err
		case m := <-cs.ctrl:
			if err := stream.Send(m); err != nil {
				return err
			}
		}
	}
}

// The same receive thread on protoc-gen-go-grpc v1.3's named stream types.
type v13Conn struct {
	stream echov13.Echo_BidiServer
}

func v13Receive(con *v13Conn, reqs chan *echov13.Msg) {
	for {
		req, err := con.stream.Recv()
		if err != nil {
			close(reqs)
			return
		}
		reqs <- req // want `send on reqs in goroutine v13Receive started by handler Bidi does not wake when the RPC ends`
	}
}

func v13ReceiveFixed(con *v13Conn, reqs chan *echov13.Msg) {
	for {
		req, err := con.stream.Recv()
		if err != nil {
			close(reqs)
			return
		}
		select {
		case reqs <- req:
		case <-con.stream.Context().Done(): // wakes: the stream's context
			return
		}
	}
}

type v13Spawn struct {
	echov13.UnimplementedEchoServer
}

func (v13Spawn) Bidi(stream echov13.Echo_BidiServer) error {
	reqs, fixed := make(chan *echov13.Msg), make(chan *echov13.Msg)
	go v13Receive(&v13Conn{stream: stream}, reqs)
	go v13ReceiveFixed(&v13Conn{stream: stream}, fixed)
	for {
		select {
		case m, ok := <-reqs:
			if !ok {
				return nil
			}
			if err := stream.Send(m); err != nil {
				return err
			}
		case m, ok := <-fixed:
			if !ok {
				return nil
			}
			if err := stream.Send(m); err != nil {
				return err
			}
		}
	}
}
