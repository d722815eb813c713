// Package loopownbounds: loops that end by a route of their own, each
// beside its reported twin (round 9's first read): a lexer whose cursor
// method steps the field its exit tests (permify's lexString), a helper's
// range over a channel that the handler's receive
// goroutine closes when the stream ends (apiserver-network-proxy's
// serveRecvFrontend), and a range over a channel that a call given the
// request context returns (permify's Watch). A poll bounded by a timer of
// its own is not among them: it is reported (longhorn-manager's
// waitForVolumeState, judged false by round 9's reader, is the shape of
// containerd/cri#44, a bug fixed upstream).
package loopownbounds

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	ready func() bool
	w     watcher
}

// Reported: a poll that leaves when a timer of its own fires still runs
// on after the RPC has ended, until the timer does: containerd/cri#44's
// waitContainerStop, fixed upstream by selecting on the request context
// too (eval/bugs/containerd-cri-44).
func (s *srv) waitReady(d time.Duration) bool { // want waitReady:`blindLoop\(polling loop in waitReady`
	timer := time.NewTimer(d)
	defer timer.Stop()
	timeout := timer.C
	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-timeout:
			return false
		case <-ticker.C:
			if s.ready() {
				return true
			}
		}
	}
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	s.waitReady(time.Second) // want `call to s.waitReady in handler Unary runs a polling loop in waitReady`
	l := &lexer{input: in.Text}
	l.readChar()
	in.Text = l.lexString()
	return in, nil
}

type lexer struct {
	input        string
	position     int
	readPosition int
	ch           byte
}

// readChar is a cursor method: it steps l.ch through l.input.
func (l *lexer) readChar() {
	if l.readPosition >= len(l.input) {
		l.ch = 0
	} else {
		l.ch = l.input[l.readPosition]
	}
	l.position = l.readPosition
	l.readPosition++
}

// Silent: the exit tests l.ch, which l.readChar() steps through the input.
func (l *lexer) lexString() string {
	position := l.position
	for {
		if l.ch == '\\' {
			l.readChar()
			if l.ch == 0 {
				break
			}
		} else if l.ch == '"' || l.ch == 0 {
			break
		}
		l.readChar()
	}
	return l.input[position:l.position]
}

type feed struct {
	src  func() bool
	more bool
}

// step is no cursor: its field comes from a call, work whose end the
// analyzer cannot see.
func (f *feed) step() { f.more = f.src() }

// Reported: the exit tests a field that a call fills.
func (f *feed) lexWhile() int { // want lexWhile:`blindLoop\(loop in lexWhile`
	n := 0
	for {
		if !f.more {
			break
		}
		n++
		f.step()
	}
	return n
}

type feedSrv struct {
	echo.UnimplementedEchoServer
	ready func() bool
}

func (s *feedSrv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	f := &feed{src: s.ready}
	f.step()
	in.N = int64(f.lexWhile()) // want `call to f.lexWhile in handler Unary runs a`
	return in, nil
}

// serve ranges over a channel its caller feeds.
func serve(recvCh <-chan *echo.Msg) (n int) { // want serve:`blindLoop\(loop over channel recvCh in serve`
	for m := range recvCh {
		n += len(m.Text)
	}
	return n
}

// readToChannel receives until the stream ends, then closes recvCh.
func readToChannel(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg], recvCh chan<- *echo.Msg) {
	defer close(recvCh)
	for {
		m, err := stream.Recv()
		if err != nil {
			return
		}
		select {
		case recvCh <- m:
		default: // full: dropped
		}
	}
}

// Silent: the goroutine that feeds recvCh returns, closing it, once Recv
// fails, which it does when the RPC ends.
func (s *srv) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	recvCh := make(chan *echo.Msg, 8)
	go readToChannel(stream, recvCh)
	serve(recvCh)
	relay(recvCh) // through a helper that passes its parameter on: the same
	return nil
}

// relay hands its channel parameter to serve: its fact ranges over its own
// parameter, judged at its callers.
func relay(ch <-chan *echo.Msg) int { // want relay:`blindLoop\(loop over channel recvCh in serve`
	return serve(ch)
}

// Reported: nothing ends recvCh.
func (s *srv) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	recvCh := make(chan *echo.Msg, 8)
	recvCh <- &echo.Msg{}
	drain(recvCh) // want `call to drain in handler ClientStream runs a loop over channel recvCh in drain`
	relay(recvCh) // want `call to relay in handler ClientStream runs a loop over channel recvCh in serve`
	return nil
}

func drain(recvCh <-chan *echo.Msg) { // want drain:`blindLoop\(loop over channel recvCh in drain`
	for range recvCh {
	}
}

type watcher interface {
	Watch(ctx context.Context, tenant string) (<-chan string, <-chan error)
}

// Silent: the watcher, given the request context, ends errs with it.
func (s *srv) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	changes, errs := s.w.Watch(stream.Context(), in.Text)
	go func() {
		for c := range changes {
			if err := stream.Send(&echo.Msg{Text: c}); err != nil {
				return
			}
		}
	}()
	for err := range errs {
		return err
	}
	return nil
}

type bg struct {
	echo.UnimplementedEchoServer
	w watcher
}

// Reported: given a context of its own, the watcher knows nothing of the
// RPC.
func (s *bg) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	_, errs := s.w.Watch(context.Background(), in.Text)
	for err := range errs { // want `loop over channel errs in handler ServerStream never checks stream.Context\(\)`
		return err
	}
	return nil
}
