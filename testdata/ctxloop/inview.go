package ctxloop

import (
	"context"
	"errors"
	"sync"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxloop/helpers"
	"example.com/fixtures/pb/echo"
)

// The shapes of this file are waits and helper loops whose other side is
// out of view, where the tool leans to silence (issue 17's round-5 reads),
// each next to its twin whose both sides are in view, still reported.

// sendReq is a request handed to the stream's sender goroutine with the
// channel for its one reply (hashicorp/go-plugin's GRPCBroker).
type sendReq struct {
	msg   *echo.Msg
	reply chan error
}

type brokerServer struct {
	echo.UnimplementedEchoServer
	send chan *sendReq
	quit chan struct{}
	jobs chan any
}

// Send is the requester: it makes the reply channel and waits for the
// reply after the hand-off. The hand-off can block (nothing of the
// package's serves s.send for good), hence its fact; no handler calls it.
func (s *brokerServer) Send(m *echo.Msg) error { // want Send:`blocks\(select on s.send and s.quit in Send`
	ch := make(chan error)
	select {
	case s.send <- &sendReq{m, ch}:
	case <-s.quit:
		return errors.New("closed")
	}
	return <-ch
}

// Bidi: the sender goroutine answers each request on the channel that came
// with it. Silent: the reply channel is the requester's (made with room for
// its reply, or with a receiver that waits for it), and neither side of
// that exchange is in this handler.
func (s *brokerServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	done := stream.Context().Done()
	go func() {
		for {
			select {
			case <-done:
				return
			case <-s.quit:
				return
			case r := <-s.send:
				r.reply <- stream.Send(r.msg) // silent: a reply on a received request's channel
			}
		}
	}()
	for {
		if _, err := stream.Recv(); err != nil {
			return err
		}
	}
}

// ClientStream: the same reply through a request dequeued as an interface
// value (cortex's frontend: req := wrapper.(*request)). Silent.
func (s *brokerServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		m, err := stream.Recv()
		if err != nil {
			return err
		}
		select {
		case j := <-s.jobs:
			r := j.(*sendReq)
			r.reply <- stream.SendMsg(m) // silent: the reply channel of a request handed over
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}

// ServerStream: the twin, the handler's own request object, whose reply
// channel it made and whose only receiver it is. Reported: after the
// handler returns on its first reply, the goroutine blocks on the next
// send for good.
func (s *brokerServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	r := &sendReq{msg: in, reply: make(chan error)}
	go func() {
		for {
			m := &echo.Msg{}
			if err := stream.RecvMsg(m); err != nil {
				return
			}
			r.reply <- stream.Send(m) // want `send on r.reply in goroutine started by handler ServerStream does not wake when the RPC ends`
		}
	}()
	return <-r.reply
}

// readChannel reads a client stream into a channel, which it closes when
// the stream ends (networkservicemesh's registry.ReadNetworkServiceChannel).
func readChannel(c grpc.ServerStreamingClient[echo.Msg]) <-chan *echo.Msg {
	ch := make(chan *echo.Msg)
	go func() {
		defer close(ch)
		for {
			m, err := c.Recv()
			if err != nil {
				return
			}
			ch <- m
		}
	}()
	return ch
}

type proxyServer struct {
	echo.UnimplementedEchoServer
	upstream echo.EchoClient
	feed     func() <-chan *echo.Msg
}

// ServerStream: silent: the channel comes from a call given the client
// stream opened on the request's context, so what feeds it ends with
// the RPC (the same as when the call's result is assigned first).
func (s *proxyServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	up, err := s.upstream.ServerStream(stream.Context(), in)
	if err != nil {
		return err
	}
	for m := range readChannel(up) {
		if err := stream.Send(m); err != nil {
			return err
		}
	}
	return nil
}

// Bidi: the twin, a channel from a call given nothing of the RPC's.
// Reported: nothing ends it when the RPC does.
func (s *proxyServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	for m := range s.feed() { // want `receive from s.feed\(\) in handler Bidi does not wake when the RPC ends`
		if err := stream.Send(m); err != nil {
			return err
		}
	}
	return nil
}

// chatStream is the narrow view of an RPC's stream that a chatSession loop
// takes (fabric's ChaincodeStream): no Context method, so the function
// that takes it counts as taking no context.
type chatStream interface {
	Send(*echo.Msg) error
	Recv() (*echo.Msg, error)
}

// processStream serves a chat stream: a Recv goroutine feeds msgs and
// reports the stream's end on errs, and a keepalive ticks. Its loop ends
// when the stream's Recv fails; the tool cannot see that through the
// narrow type, so the function has the fact.
func processStream(cs chatStream) error { // want processStream:`blindLoop\(polling loop in processStream`
	msgs := make(chan *echo.Msg)
	errs := make(chan error, 1)
	go func() {
		for {
			m, err := cs.Recv()
			if err != nil {
				errs <- err
				return
			}
			msgs <- m
		}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case m := <-msgs:
			_ = cs.Send(m)
		case err := <-errs:
			return err
		case <-tick.C:
			_ = cs.Send(&echo.Msg{})
		}
	}
}

// chatSession is a per-stream object built on the stream (fabric's gossip
// connection).
type chatSession struct {
	cs chatStream
}

func newChatSession(cs chatStream) *chatSession { return &chatSession{cs: cs} }

func (c *chatSession) serve() error { return processStream(c.cs) } // want serve:`blindLoop\(polling loop in processStream`

type chatServer struct {
	echo.UnimplementedEchoServer
	peer chatStream // a long-lived connection of the server's
}

// Bidi: silent: the helper is given the RPC's stream (behind its narrow
// type), whose end ends its loop.
func (s *chatServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	return processStream(stream)
}

type chatServer2 struct {
	echo.UnimplementedEchoServer
}

// Bidi: silent: the helper runs on a session the handler built on its
// stream.
func (s *chatServer2) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	c := newChatSession(stream)
	return c.serve()
}

// ServerStream: the twin, the same helper on the server's long-lived
// connection, which the RPC's end does not end. Reported.
func (s *chatServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	return processStream(s.peer) // want `call to processStream in handler ServerStream runs a polling loop in processStream`
}

type planServer struct {
	echo.UnimplementedEchoServer
	plan  *helpers.Plan
	reg   *helpers.Registry
	nodes []*helpers.Node
}

// Unary: silent: Endorsers and Depth compute on memory they hold (no call,
// no wait; a walk down an error chain with an Unwrap of another package):
// no fact; Register retries afresh, no fact either. Pending spins on a
// field nothing in its loop changes: reported.
func (s *planServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	s.reg.Register(in.Text, 1)
	_ = helpers.Nearest(s.nodes)                     // silent: a walk up a finite tree, see Nearest
	_ = helpers.AwaitIdle(s.nodes)                   // want `call to helpers.AwaitIdle in handler Unary runs a polling loop in AwaitIdle`
	if _, errno := helpers.Blocks(nil); errno != 0 { // silent: a walk page by page, see Blocks
		return nil, errors.New("fiemap")
	}
	n := len(s.plan.Endorsers(int(in.N)))
	n += helpers.Depth(ctx.Err())
	s.plan.Pending() // want `call to s.plan.Pending in handler Unary runs a search loop in Pending`
	return &echo.Msg{N: int64(n)}, nil
}

// mgmtOp is an operation handed to the server's event loop, with the
// channel for its result (osrg/gobgp's BgpServer).
type mgmtOp struct {
	f     func() error
	errCh chan error
}

type loopServer struct {
	echo.UnimplementedEchoServer
	mgmtCh  chan *mgmtOp
	closeCh chan struct{}
	stopCh  chan struct{}
}

func newLoopServer() *loopServer {
	return &loopServer{mgmtCh: make(chan *mgmtOp), closeCh: make(chan struct{}), stopCh: make(chan struct{})}
}

// errFatal is an operation's failure that stops the event loop.
var errFatal = errors.New("fatal")

// Serve is the process's event loop: it serves mgmtCh until its context
// ends or an operation fails for good, and closes closeCh as it returns.
func (s *loopServer) Serve(ctx context.Context) {
	defer close(s.closeCh)
	for {
		select {
		case <-ctx.Done():
			return
		case op := <-s.mgmtCh:
			err := op.f()
			op.errCh <- err
			if errors.Is(err, errFatal) {
				return
			}
		}
	}
}

// mgmtOperation hands an operation to the event loop. No fact: the select
// wakes on closeCh, which the loop that serves mgmtCh closes when it
// stops, so the hand-off waits only for the loop's backlog.
func (s *loopServer) mgmtOperation(f func() error) error {
	ch := make(chan error)
	select {
	case s.mgmtCh <- &mgmtOp{f, ch}:
		return <-ch
	case <-s.closeCh:
		return errors.New("server stopped")
	}
}

// stoppable is the twin: its other case is a signal the event loop does
// not close, so when the loop has stopped on a fatal operation, while the
// server still runs, the hand-off blocks for good. (A loop that left only
// on its context, a signal, would serve mgmtCh as long as its owner keeps
// it: see helpers.StoppablePool.)
func (s *loopServer) stoppable(f func() error) error { // want stoppable:`blocks\(select on s.mgmtCh and s.stopCh in stoppable`
	ch := make(chan error)
	select {
	case s.mgmtCh <- &mgmtOp{f, ch}:
		return <-ch
	case <-s.stopCh:
		return errors.New("server stopped")
	}
}

func (s *loopServer) Stop() { close(s.stopCh) }

// ServerStream: silent at mgmtOperation (see there); reported at stoppable.
func (s *loopServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	for {
		if err := s.mgmtOperation(func() error { return nil }); err != nil {
			return err
		}
		if err := s.stoppable(func() error { return nil }); err != nil { // want `call to s.stoppable in handler ServerStream blocks in a select on s.mgmtCh and s.stopCh in stoppable`
			return err
		}
		if err := stream.Send(in); err != nil {
			return err
		}
	}
}

// cutoff hands values to a worker until its closed signal is closed
// (googleforgames/open-match's cutoffSender, round 12's validation). The
// worker, started with the sender, receives from the queue (a local the
// constructor stores in the field) and leaves only when closed is closed;
// send selects on both. Either the worker is there to take the value or
// closed is closed: send waits for the worker's backlog only. No fact.
type cutoff struct {
	in     chan<- string
	closed chan struct{}
}

func newCutoff(handle func(string)) *cutoff {
	in := make(chan string)
	c := &cutoff{in: in, closed: make(chan struct{})}
	go func() {
		for {
			select {
			case <-c.closed:
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
	return c
}

func (c *cutoff) send(v string) {
	select {
	case <-c.closed:
	case c.in <- v:
	}
}

func (c *cutoff) stop() { close(c.closed) }

// leaky is the twin: its worker also leaves when it has been idle for a
// second, which send does not see, so once the worker has gone a send
// blocks for good.
type leaky struct {
	in     chan<- string
	closed chan struct{}
}

func newLeaky(handle func(string)) *leaky {
	in := make(chan string)
	l := &leaky{in: in, closed: make(chan struct{})}
	go func() {
		for {
			select {
			case <-l.closed:
				return
			case <-time.After(time.Second):
				return
			case v := <-in:
				handle(v)
			}
		}
	}()
	return l
}

func (l *leaky) send(v string) { // want send:`blocks\(select on l.closed and l.in in send`
	select {
	case <-l.closed:
	case l.in <- v:
	}
}

type cutoffServer struct {
	echo.UnimplementedEchoServer
}

// Bidi hands what the client sends to a cutoff sender it starts, until
// the stream ends: silent. Its twin, over a leaky sender, is reported.
func (s *cutoffServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	c := newCutoff(func(string) {})
	defer c.stop()
	l := newLeaky(func(string) {})
	defer close(l.closed)
	for {
		in, err := stream.Recv()
		if err != nil {
			return nil
		}
		c.send(in.Text)
		l.send(in.Text) // want `call to l.send in handler Bidi blocks in a select on l.closed and l.in in send`
	}
}

type poolServer struct {
	echo.UnimplementedEchoServer
	workers int
}

type poolResult struct {
	msg *echo.Msg
	err error
}

type poolJob struct {
	ctx context.Context
	id  string
}

func (s *poolServer) get(ctx context.Context, id string) (*echo.Msg, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &echo.Msg{Text: id}, nil
}

// fetchAll is a worker: one result per job it receives, each job's fetch
// on the request's context.
func fetchAll(s *poolServer, jobs <-chan poolJob, results chan<- poolResult) {
	for j := range jobs {
		m, err := s.get(j.ctx, j.id)
		results <- poolResult{m, err} // silent: see ServerStream
	}
}

// fetchSome is the twin worker, for a results channel with less room.
func fetchSome(s *poolServer, jobs <-chan poolJob, results chan<- poolResult) {
	for j := range jobs {
		m, err := s.get(j.ctx, j.id)
		results <- poolResult{m, err} // want `send on results in goroutine fetchSome started by handler Bidi does not wake when the RPC ends`
	}
}

// ServerStream (grafana/tempo's FindTraces, S6-N1): jobs and results are
// both made with len(ids); the handler sends one job per id and each
// worker one result per job, so at most len(ids) results are ever sent and
// the send never finds the buffer full. Silent.
func (s *poolServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	ids := []string{in.Text, in.Text + "!"}
	jobs := make(chan poolJob, len(ids))
	results := make(chan poolResult, len(ids))
	var wg sync.WaitGroup
	for range s.workers {
		wg.Add(1)
		go func() { defer wg.Done(); fetchAll(s, jobs, results) }()
	}
	for _, id := range ids {
		jobs <- poolJob{stream.Context(), id}
	}
	close(jobs)
	wg.Wait()
	for range ids {
		r := <-results
		if err := stream.Send(r.msg); err != nil {
			return err
		}
	}
	return nil
}

// Bidi: the twin: results has room for one per worker only, and the
// handler may return on a failed Send before it has taken every result.
// Reported.
func (s *poolServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	in, err := stream.Recv()
	if err != nil {
		return err
	}
	ids := []string{in.Text, in.Text + "!"}
	jobs := make(chan poolJob, len(ids))
	results := make(chan poolResult, s.workers)
	for range s.workers {
		go fetchSome(s, jobs, results)
	}
	for _, id := range ids {
		jobs <- poolJob{stream.Context(), id}
	}
	close(jobs)
	for range ids {
		r := <-results
		if err := stream.Send(r.msg); err != nil {
			return err
		}
	}
	return nil
}

type nameServer struct {
	echo.UnimplementedEchoServer
}

// Bidi hands the name in the stream's first message to the handler
// (buchgr/bazel-remote's ByteStream Write, round 13): the send on a
// channel with room for one value is followed at once by its close, so it
// runs at most once (another send would panic) and never waits. Silent.
func (nameServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	names := make(chan string, 1)
	errs := make(chan error, 1)
	go func() {
		first := true
		for {
			in, err := stream.Recv()
			if err != nil {
				errs <- err
				return
			}
			if first {
				first = false
				names <- in.Text
				close(names)
			}
		}
	}()
	select {
	case name := <-names:
		_ = name
	case err := <-errs:
		return err
	}
	return <-errs
}

type namesServer struct {
	echo.UnimplementedEchoServer
}

// Bidi is the twin: every message's name goes on the channel, which is
// closed only when the stream ends, and the handler takes the first one
// alone: the second send blocks for good. Reported.
func (namesServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	names := make(chan string, 1)
	errs := make(chan error, 1)
	go func() {
		defer close(names)
		for {
			in, err := stream.Recv()
			if err != nil {
				errs <- err
				return
			}
			names <- in.Text // want `send on names in goroutine started by handler Bidi does not wake when the RPC ends`
		}
	}()
	select {
	case name := <-names:
		_ = name
	case err := <-errs:
		return err
	}
	return <-errs
}

// collectServer sends what its clients stream to a pipeline of another
// package, on a channel it neither makes nor receives from, nor any of
// its element type: whether a send waits, and for whom, is out of view.
// Silent.
type collectServer struct {
	echo.UnimplementedEchoServer
	out chan *helpers.Event
}

func newCollectServer(p *helpers.Pipeline) *collectServer { return &collectServer{out: p.Out} }

func (s *collectServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		in, err := stream.Recv()
		if err != nil {
			s.flush(nil)
			return err
		}
		s.out <- &helpers.Event{Data: in.Text}
	}
}

// flush sends on the same channel: no blocks fact.
func (s *collectServer) flush(e *helpers.Event) { s.out <- e }

// Bidi buffers what it receives and has a per-RPC limiter flush it: Check
// waits only for the limiter's worker, which the handler stops as it
// returns (skywalking-satellite's ALS receiver). Silent.
func (s *collectServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	buf := make(chan string, 64)
	l := helpers.NewLimiter(func() bool { return len(buf) > 32 })
	defer l.Stop()
	l.Start(context.Background(), func() {
		for range len(buf) {
			<-buf
		}
	})
	for {
		in, err := stream.Recv()
		if err != nil {
			return err
		}
		buf <- in.Text
		l.Check()
	}
}

// ownServer is the twin: the package makes the channel and its only
// receiver, a worker that gives up on the first empty value, is in view.
// Once that worker has gone, a send blocks for good. Reported.
type ownServer struct {
	echo.UnimplementedEchoServer
	out chan string
}

func newOwnServer() *ownServer {
	s := &ownServer{out: make(chan string)}
	go s.drain()
	return s
}

func (s *ownServer) drain() { // want drain:`blindLoop\(loop over channel s.out in drain` drain:`blocks\(receive from s.out in drain`
	for v := range s.out {
		if v == "" {
			return
		}
	}
}

func (s *ownServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		in, err := stream.Recv()
		if err != nil {
			return err
		}
		s.out <- in.Text // want `send on s.out in handler ClientStream does not wake when the RPC ends`
	}
}

// statsBalancer is grpc-go's fake remote balancer (grpclb's tests): its
// stats channel comes through the constructor's parameter, and the
// package's own code makes it and drains it, in locals. Its other side is
// in view: the send is judged, and once the drain has gone (or the test
// has returned) it blocks for good. Reported.
type statsBalancer struct {
	echo.UnimplementedEchoServer
	stats chan *echo.Msg
}

func newStatsBalancer(stats chan *echo.Msg) *statsBalancer { return &statsBalancer{stats: stats} }

func runStats(n int) *statsBalancer {
	ch := make(chan *echo.Msg)
	go func() {
		for range n {
			<-ch
		}
	}()
	return newStatsBalancer(ch)
}

func (b *statsBalancer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		in, err := stream.Recv()
		if err != nil {
			return err
		}
		if b.stats != nil {
			b.stats <- in // want `send on b.stats in handler Bidi does not wake when the RPC ends`
		}
	}
}
