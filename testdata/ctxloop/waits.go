package ctxloop

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"example.com/fixtures/pb/echo"
)

// xdsServer holds the shapes of envoyproxy/go-control-plane's stream
// handlers: a goroutine receives and forwards each request to the
// handler's loop, which also watches server-wide updates. Its ctx and quit
// live as long as the server, not as long as one RPC.
type xdsServer struct {
	echo.UnimplementedEchoServer
	ctx     context.Context
	quit    chan struct{}
	updates chan *echo.Msg
}

// process is the loop that consumes the requests, a stream function: its
// select wakes through reqCh, the caller's channel, whose producer (out of
// sight here) closes it when Recv fails. Silent.
func (s *xdsServer) process(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg], reqCh <-chan *echo.Msg) error {
	for {
		select {
		case req, ok := <-reqCh:
			if !ok {
				return nil
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case <-s.ctx.Done():
			return nil
		}
	}
}

func (s *xdsServer) subscribe(string) (<-chan *echo.Msg, <-chan error) { return s.updates, nil }

// Bidi (go-control-plane#430): the forwarding select watches the server's
// context, not the stream's. Once process returns, nobody receives, and
// the goroutine blocks on the send for good.
func (s *xdsServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	reqCh := make(chan *echo.Msg)
	go func() {
		defer close(reqCh)
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select { // want `select on reqCh and s.ctx.Done\(\) in goroutine started by handler Bidi does not wake when the RPC ends, so it stays blocked after the RPC is cancelled; add case <-stream.Context\(\).Done\(\) and return from it`
			case reqCh <- req:
			case <-s.ctx.Done():
				return
			}
		}
	}()
	return s.process(stream, reqCh)
}

// ClientStream (go-control-plane#916's bug): the send moved into the
// select's default clause, outside the select: it blocks there.
func (s *xdsServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	reqCh := make(chan *echo.Msg)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select {
			case <-s.ctx.Done():
				return
			default:
				reqCh <- req // want `send on reqCh in goroutine started by handler ClientStream does not wake when the RPC ends, .*; send in a select with case <-stream.Context\(\).Done\(\)`
			}
		}
	}()
	for m := range reqCh { // silent: the producer is the goroutine above, whose loop leaves when Recv fails
		if m.N < 0 {
			return stream.SendAndClose(m)
		}
	}
	return nil
}

// ServerStream: parked in a select that watches server shutdown, never
// the stream's context: after the client goes away it waits for the next
// update, possibly forever, holding its subscription.
func (s *xdsServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	updates, errCh := s.subscribe(in.Text)
	for {
		select { // want `select on errCh, updates and s.quit in handler ServerStream does not wake when the RPC ends`
		case err := <-errCh:
			return err
		case u := <-updates:
			if err := stream.Send(u); err != nil {
				return err
			}
		case <-s.quit:
			return nil
		}
	}
}

// Unary: a loop that watches only the server's context never checks the
// request's.
func (s *xdsServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	for { // want `polling loop in handler Unary never checks ctx`
		select {
		case <-s.ctx.Done():
			return nil, s.ctx.Err()
		case u := <-s.updates:
			if u.Text == in.Text {
				return u, nil
			}
		}
	}
}

// xdsFixed is the correct twin of each shape: silent.
type xdsFixed struct {
	xdsServer
}

// Bidi (go-control-plane's fix): the forwarding select also leaves when
// the stream's context ends.
func (s *xdsFixed) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	reqCh := make(chan *echo.Msg)
	go func() {
		defer close(reqCh)
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select {
			case reqCh <- req:
			case <-stream.Context().Done():
				return
			}
		}
	}()
	return s.process(stream, reqCh)
}

// ClientStream: the handler drains the channel to its end, so the send is
// always received.
func (s *xdsFixed) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	reqCh := make(chan *echo.Msg)
	go func() {
		defer close(reqCh)
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			reqCh <- req
		}
	}()
	var n int64
	for m := range reqCh {
		n += m.N
	}
	return stream.SendAndClose(&echo.Msg{N: n})
}

// ServerStream: a request-context case wakes the select.
func (s *xdsFixed) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	updates, errCh := s.subscribe(in.Text)
	for {
		select {
		case err := <-errCh:
			return err
		case u := <-updates:
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

// watchServer: a receive from an error channel whose producer, started by
// the handler, ends when Recv fails: the receive wakes when the RPC ends.
type watchServer struct {
	echo.UnimplementedEchoServer
	updates chan *echo.Msg
	quit    chan struct{}
}

func (s *watchServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	errCh := make(chan error, 1)
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				errCh <- err // silent: buffered for this one error, sent once before the goroutine returns
				return
			}
		}
	}()
	for {
		select { // silent: errCh's producer observes cancellation
		case err := <-errCh:
			return err
		case u := <-s.updates:
			if err := stream.Send(u); err != nil {
				return err
			}
		case <-s.quit:
			return nil
		}
	}
}

// ClientStream: the same error channel unbuffered. The handler may leave
// on ctx.Done() first; then the goroutine's last send waits for good.
func (s *watchServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	errCh := make(chan error)
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				errCh <- err // want `send on errCh in goroutine started by handler ClientStream does not wake when the RPC ends`
				return
			}
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-stream.Context().Done():
		return stream.Context().Err()
	}
}

// fanoutServer: one worker per target, each handing over at most one
// error on a channel made with room for all of them (gnmic's proxy).
type fanoutServer struct {
	echo.UnimplementedEchoServer
	targets map[string]chan *echo.Msg
}

func (s *fanoutServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	errCh := make(chan error, len(s.targets))
	var wg sync.WaitGroup
	for _, t := range s.targets {
		wg.Add(1)
		go func(t chan *echo.Msg) {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case m, ok := <-t:
					if !ok {
						return
					}
					if m.Text == "" {
						continue
					}
					if m.Text != "eof" {
						errCh <- errors.New(m.Text) // silent: the worker's one result; the buffer has room for every worker
					}
					return
				}
			}
		}(t)
	}
	wg.Wait()
	close(errCh)
	return in, <-errCh
}

// ClientStream: the same on an unbuffered channel, which the handler
// drains only after every worker is done: the send waits for good.
func (s *fanoutServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	errCh := make(chan error)
	var wg sync.WaitGroup
	for _, t := range s.targets {
		wg.Add(1)
		go func(t chan *echo.Msg) {
			defer wg.Done()
			for {
				select {
				case <-stream.Context().Done():
					return
				case m := <-t:
					if m.Text != "eof" {
						errCh <- errors.New(m.Text) // want `send on errCh in goroutine started by handler ClientStream does not wake when the RPC ends`
					}
					return
				}
			}
		}(t)
	}
	wg.Wait()
	return <-errCh
}

// ServerStream: a range over a server-wide channel waits between updates
// without watching the stream: reported at the channel, even though the
// Send error leaves the loop.
func (s *watchServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	for u := range s.updates { // want `receive from s.updates in handler ServerStream does not wake when the RPC ends`
		if err := stream.Send(u); err != nil {
			return err
		}
	}
	return nil
}

// Unary: a periodic check whose sleep is bounded and whose every round
// passes the check: silent.
func (s *watchServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(s.updates) > 0 {
			return &echo.Msg{N: int64(len(s.updates))}, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ClientStream: the handler's own send to a goroutine it started, which
// watches the stream's context: silent (the receiver is the handler's,
// judged at its loop).
func (tailFixed) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	beat := make(chan struct{})
	go func() {
		for {
			select {
			case <-beat:
			case <-stream.Context().Done():
				return
			}
		}
	}()
	for {
		if _, err := stream.Recv(); err != nil {
			return err
		}
		beat <- struct{}{}
	}
}

// eofServer leaves its Recv loop on io.EOF only and logs every other
// error: once the stream is cancelled, Recv returns that error forever and
// the loop spins.
type eofServer struct {
	echo.UnimplementedEchoServer
}

func (eofServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	var total int64
	for { // want `loop in handler Bidi never checks stream.Context\(\) \(only io.EOF from stream.Recv leaves the loop\)`
		in, err := stream.Recv()
		if err == io.EOF {
			return stream.Send(&echo.Msg{N: total})
		}
		if err != nil {
			log.Printf("recv: %v", err)
			continue
		}
		total += in.N
	}
}

func (eofServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	var total int64
	for { // want `loop in handler ClientStream never checks stream.Context\(\) \(only io.EOF from stream.Recv leaves the loop\)`
		in, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.SendAndClose(&echo.Msg{N: total})
		} else if err != nil {
			log.Printf("recv: %v", err)
			continue
		}
		total += in.N
	}
}

// tailServer follows a file like tail -f and streams its lines.
type tailServer struct {
	echo.UnimplementedEchoServer
}

// ServerStream: on EOF it sleeps and reads again, never reaching the Send
// whose error would end the loop: the sleep is reported.
func (tailServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	f, err := os.Open(in.Text)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			time.Sleep(100 * time.Millisecond) // want `time.Sleep in handler ServerStream does not wake when the RPC ends, and the loop comes back to it without checking stream.Context\(\), so it keeps polling after the RPC is cancelled; wait in a select on time.After and stream.Context\(\).Done\(\) instead`
			continue
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&echo.Msg{Text: line}); err != nil {
			return err
		}
	}
}

// Unary: the same file loop that collects instead of sending leaves only
// on a read error, and polls at EOF: a polling loop.
func (tailServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	f, err := os.Open(in.Text)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for { // want `polling loop in handler Unary never checks ctx`
		line, err := r.ReadString('\n')
		if err == io.EOF {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if err != nil {
			return nil, err
		}
		in.Text += line
	}
}

// tailFixed waits at EOF in a select that wakes when the stream ends:
// silent.
type tailFixed struct {
	echo.UnimplementedEchoServer
}

func (tailFixed) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	f, err := os.Open(in.Text)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			select {
			case <-time.After(100 * time.Millisecond):
				continue
			case <-stream.Context().Done():
				return stream.Context().Err()
			}
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&echo.Msg{Text: line}); err != nil {
			return err
		}
	}
}

// ticker sends on every tick: the wait is bounded and every round reaches
// the Send whose error leaves: silent.
func (tailFixed) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		if err := stream.Send(&echo.Msg{Text: "tick"}); err != nil {
			return err
		}
	}
	return nil
}

// lazyServer initialises on first use under sync.Once. Do runs the
// function in the calling handler, which waits for it: a poll there is
// the handler's.
type lazyServer struct {
	echo.UnimplementedEchoServer
	once  sync.Once
	ready func() bool
}

func (s *lazyServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	s.once.Do(func() {
		for !s.ready() { // want `polling loop in handler Unary never checks ctx`
			time.Sleep(10 * time.Millisecond)
		}
	})
	return in, nil
}

// The twin waits in a select on ctx.Done(): silent.
func (s *lazyServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	var err error
	s.once.Do(func() {
		for !s.ready() {
			select {
			case <-stream.Context().Done():
				err = stream.Context().Err()
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	if err != nil {
		return err
	}
	return stream.Send(in)
}

// rebuildServer waits on a sync.Cond while another goroutine rebuilds.
// Decision: silent. A Cond.Wait waits for another goroutine's critical
// section, the way Mutex.Lock does, and no context check can wake it
// (ctx.Err() runs only once Wait returns). Where the wait can be long, the
// remedy is context.AfterFunc(ctx, cond.Broadcast) with the check in the
// loop's condition, the RIGHT twin below.
type rebuildServer struct {
	echo.UnimplementedEchoServer
	mu         sync.Mutex
	cond       *sync.Cond
	rebuilding bool
}

func (s *rebuildServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.rebuilding { // silent: see the decision above
		s.cond.Wait()
	}
	return in, nil
}

func (s *rebuildServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	ctx := stream.Context()
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.cond.Broadcast()
	})
	defer stop()
	s.mu.Lock()
	for s.rebuilding && ctx.Err() == nil { // silent: checks ctx, and AfterFunc wakes the wait
		s.cond.Wait()
	}
	s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return stream.Send(in)
}

// nestedServer: a blind inner loop is reported as a whole, once, not again
// as a wait of the outer loop that observes.
type nestedServer struct {
	echo.UnimplementedEchoServer
	feed chan *echo.Msg
}

func (s *nestedServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		in, err := stream.Recv()
		if err != nil {
			return err
		}
		for m := range s.feed { // want `loop over channel s.feed in handler Bidi never checks stream.Context\(\)`
			in.Text += m.Text
		}
	}
}

// cpServer routes its handlers through stream functions, as
// go-control-plane's StreamHandler(stream, typeURL) does: a function that
// takes the RPC's stream and no context is judged as a handler of its own.
type cpServer struct {
	echo.UnimplementedEchoServer
	ctx   context.Context // the server's lifetime
	watch func(*echo.Msg) <-chan *echo.Msg
}

func (s *cpServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	return s.streamHandler(stream, "type.googleapis.com/Msg")
}

func (s *cpServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	return s.fixedHandler(stream)
}

// Reported: the receive goroutine of a stream function.
func (s *cpServer) streamHandler(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg], typeURL string) error {
	reqCh := make(chan *echo.Msg)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				close(reqCh)
				return
			}
			select { // want `select on reqCh and s.ctx.Done\(\) in goroutine started by function streamHandler does not wake when the RPC ends`
			case reqCh <- req:
			case <-s.ctx.Done():
				return
			}
		}
	}()
	var responses <-chan *echo.Msg
	for {
		select { // silent: reqCh's producer, started here, leaves when Recv fails
		case <-s.ctx.Done():
			return nil
		case resp := <-responses:
			if err := stream.Send(resp); err != nil {
				return err
			}
		case req, more := <-reqCh:
			if !more {
				return nil
			}
			responses = s.watch(req)
		}
	}
}

// Silent: the fixed twin also wakes on the stream's context.
func (s *cpServer) fixedHandler(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	reqCh := make(chan *echo.Msg)
	go func() {
		defer close(reqCh)
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select {
			case reqCh <- req:
			case <-stream.Context().Done():
				return
			case <-s.ctx.Done():
				return
			}
		}
	}()
	var n int64
	for m := range reqCh {
		n += m.N
	}
	return stream.SendAndClose(&echo.Msg{N: n})
}

// session is a per-stream object: its ctx may well be the stream's, so a
// select on it counts as waking. Silent.
type session struct {
	ctx context.Context
	in  chan *echo.Msg
}

func (c *session) serve(stream grpc.ServerStreamingServer[echo.Msg]) error {
	for {
		select {
		case <-c.ctx.Done():
			return c.ctx.Err()
		case m := <-c.in:
			if err := stream.Send(m); err != nil {
				return err
			}
		}
	}
}

// subServer subscribes with the request context: the exchange ends the
// error channel when the context ends, so the select wakes (containerd's
// events service). Silent.
type subServer struct {
	echo.UnimplementedEchoServer
	subscribe func(ctx context.Context) (<-chan *echo.Msg, <-chan error)
}

func (s *subServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	eventq, errq := s.subscribe(ctx)
	for {
		select {
		case ev := <-eventq:
			if err := stream.Send(ev); err != nil {
				return err
			}
		case err := <-errq:
			return err
		}
	}
}

// benchServer tests the error of whichever Send ran after the branch
// (grpc-go's benchmark server): the Canceled case leaves. Silent.
type benchServer struct {
	echo.UnimplementedEchoServer
	preload bool
}

func (s *benchServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	for {
		var err error
		if s.preload {
			err = stream.SendMsg(in)
		} else {
			err = stream.Send(in)
		}
		switch status.Code(err) {
		case codes.Unavailable, codes.Canceled:
			return err
		case codes.OK:
		default:
			log.Printf("send: %v", err)
		}
	}
}
