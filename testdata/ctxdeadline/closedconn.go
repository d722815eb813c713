package ctxdeadline

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/pb/echo"
)

// Closing a *grpc.ClientConn ends every stream on it from the client
// side, as a cancel function would: a stream on a connection that
// something closes while the stream is in use is not "ended only by the
// server" (istio's ADS test helpers close theirs at cleanup, the ADSC
// watcher owns its connection and closes it in Close). A Close statement
// in the function that uses the stream, deferred or not, runs only once it
// is done, so it ends nothing it waits on (jaeger's reflection test). A
// unary call still needs a deadline.

// Reported: the deferred Close runs after the stream is done with.
func watchDeferClose(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	c := echo.NewEchoClient(conn)
	_, err = c.Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}

// Reported: so does a deferred literal that closes it.
func watchDeferLiteral(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	_, err = echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}

// Silent: a goroutine closes the connection when stop is closed.
func watchClosedByStop(target string, stop chan struct{}) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	go func() {
		<-stop
		conn.Close()
	}()
	_, err = echo.NewEchoClient(conn).Bidi(context.Background())
	return err
}

// Silent: a timer closes the connection.
func watchTimed(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	time.AfterFunc(time.Minute, func() { _ = conn.Close() })
	_, err = echo.NewEchoClient(conn).Bidi(context.Background())
	return err
}

// Reported: a goroutine reads the stream, and the deferred Close runs when
// the function returns, which a function usually does only once its
// goroutines are done (fabric's broadcast client waits for them).
func watchInGoroutine(target string, done chan struct{}) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	go func() {
		if s, err := echo.NewEchoClient(conn).Bidi(context.Background()); err == nil { // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
			_, _ = s.Recv()
		}
	}()
	<-done
	return nil
}

// The twin: nothing closes the connection.
func watchNeverClosed(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	c := echo.NewEchoClient(conn)
	_, err = c.Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}

// A unary call on a closed connection still has no deadline.
func unaryDeferClose(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = echo.NewEchoClient(conn).Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

// A watcher that owns its connection and closes it in Close.
type ownedWatcher struct {
	conn   *grpc.ClientConn
	client echo.EchoClient
	stream echo.Echo_BidiClient
}

func newOwnedWatcher(conn *grpc.ClientConn) *ownedWatcher { return &ownedWatcher{conn: conn} }

func (w *ownedWatcher) Close() { _ = w.conn.Close() }

// Silent: Close ends the stream.
func (w *ownedWatcher) Run() (err error) {
	w.client = echo.NewEchoClient(w.conn)
	w.stream, err = w.client.Bidi(context.Background())
	return err
}

// The twin: a watcher whose connection nobody closes.
type sharedWatcher struct {
	conn   *grpc.ClientConn
	stream echo.Echo_BidiClient
}

func (w *sharedWatcher) Run() (err error) {
	w.stream, err = echo.NewEchoClient(w.conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}

// dialCleaned returns a connection a goroutine closes when stop is closed.
func dialCleaned(stop <-chan struct{}, target string) *grpc.ClientConn {
	conn, _ := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	go func() {
		<-stop
		_ = conn.Close()
	}()
	return conn
}

// Silent: the helper's connection is closed when stop is closed.
func watchCleaned(stop <-chan struct{}) error {
	_, err := echo.NewEchoClient(dialCleaned(stop, "localhost:1")).Bidi(context.Background())
	return err
}

// openOn is only ever given closed connections: silent.
func openOn(conn *grpc.ClientConn) (echo.Echo_BidiClient, error) {
	return echo.NewEchoClient(conn).Bidi(context.Background())
}

func openBoth(stop <-chan struct{}) {
	_, _ = openOn(dialCleaned(stop, "a"))
	conn := dialCleaned(stop, "b")
	_, _ = openOn(conn)
}

// openOnAny is given one connection nobody closes: reported.
func openOnAny(conn *grpc.ClientConn) (echo.Echo_BidiClient, error) {
	return echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
}

func openMixed(stop <-chan struct{}, shared *grpc.ClientConn) {
	_, _ = openOnAny(dialCleaned(stop, "a"))
	_, _ = openOnAny(shared)
}

// relay opens the upstream stream on its caller's context and client.
func relay(ctx context.Context, c echo.EchoClient) error { // want relay:`deadlineParams\(param 0 reaches stream echo.EchoClient.Bidi at closedconn.go:\d+ on client param 1\)`
	_, err := c.Bidi(ctx)
	return err
}

// Reported: the proxy's per-call upstream connection is closed when it
// returns, which ends the relayed stream only if relay hands it to
// goroutines and returns first (istio's xDS proxy does); what relay does
// with the stream is not followed, so the deferred Close counts as the
// others do.
func proxyDeferClose(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	return relay(context.Background(), echo.NewEchoClient(conn)) // want `call to ctxdeadline.relay passes context.Background\(\) as ctx, which reaches gRPC stream echo.EchoClient.Bidi \(closedconn.go:\d+\) with neither a deadline nor a cancel function`
}

// Silent: the connection is closed when stop is closed, while relay may still wait.
func proxyCleaned(stop <-chan struct{}) error {
	return relay(context.Background(), echo.NewEchoClient(dialCleaned(stop, "upstream")))
}

// The twin: a shared connection, never closed here.
func proxyShared(conn *grpc.ClientConn) error {
	return relay(context.Background(), echo.NewEchoClient(conn)) // want `call to ctxdeadline.relay passes context.Background\(\) as ctx, which reaches gRPC stream echo.EchoClient.Bidi \(closedconn.go:\d+\) with neither a deadline nor a cancel function`
}

// A test harness that keeps the connection it is given and closes it in
// Cleanup, and opens its stream through a callback it calls with that
// connection (istio's NewXdsTest).
type harness struct{ conn *grpc.ClientConn }

func (h *harness) Cleanup() { _ = h.conn.Close() }

func newHarness(conn *grpc.ClientConn, open func(*grpc.ClientConn) error) *harness {
	h := &harness{conn: conn}
	_ = open(conn)
	return h
}

// Silent: the callback is given the harness's connection.
func NewBidiHarness(conn *grpc.ClientConn) *harness {
	return newHarness(conn, func(conn *grpc.ClientConn) error {
		_, err := echo.NewEchoClient(conn).Bidi(context.Background())
		return err
	})
}

// The twin: a runner that closes nothing.
func runOpen(conn *grpc.ClientConn, open func(*grpc.ClientConn) error) error { return open(conn) }

func OpenShared(conn *grpc.ClientConn) error {
	return runOpen(conn, func(conn *grpc.ClientConn) error {
		_, err := echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
		return err
	})
}

var _ = newOwnedWatcher

// peer keeps its connections in a map that its owner's Close closes,
// element by element (polaris' RemotePeer): a stream on one of them,
// opened by a helper given the element or a connection stored in the map
// afterwards (closed on the error path too), is ended by that Close.
// Silent.
type peer struct {
	conns map[int]*grpc.ClientConn
}

func (p *peer) Close() {
	for i := range p.conns {
		_ = p.conns[i].Close()
	}
}

func openBeat(conn *grpc.ClientConn) (echo.Echo_BidiClient, error) {
	return echo.NewEchoClient(conn).Bidi(context.Background())
}

func (p *peer) connect(target string) error {
	p.conns = make(map[int]*grpc.ClientConn)
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	p.conns[0] = conn
	_, err = openBeat(p.conns[0])
	return err
}

func (p *peer) reconnect(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	if _, err := openBeat(conn); err != nil {
		_ = conn.Close() // its own Close on the error path does not matter
		return err
	}
	p.conns[1] = conn
	return nil
}

// pool's elements are never closed: a stream on one of them is reported.
type pool struct {
	conns []*grpc.ClientConn
}

func (p *pool) open() error {
	_, err := echo.NewEchoClient(p.conns[0]).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}

// agent hands its connection to the owner's field, closed by its Close,
// only once it is connected: a stream opened before that and then waited
// on (apiserver-network-proxy's agent, waiting for the server's headers)
// can block before the owner could close anything. Reported. One opened
// and handed on to a goroutine before the store is ended by that Close
// (polaris' doReconnect), and so is one whose result is dropped. Silent.
type agent struct {
	conn   *grpc.ClientConn
	stream echo.Echo_BidiClient
}

func (a *agent) Close() { _ = a.conn.Close() }

func serverHello(s echo.Echo_BidiClient) error {
	_, err := s.Header()
	return err
}

func (a *agent) connectWaiting(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	stream, err := echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	if err != nil {
		_ = conn.Close()
		return err
	}
	if err := serverHello(stream); err != nil {
		_ = conn.Close()
		return err
	}
	a.conn, a.stream = conn, stream
	return nil
}

func (a *agent) connectHanded(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	stream, err := echo.NewEchoClient(conn).Bidi(context.Background())
	if err != nil {
		_ = conn.Close()
		return err
	}
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				return
			}
		}
	}()
	a.conn = conn
	return nil
}

func (a *agent) connectDropped(target string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	if _, err := echo.NewEchoClient(conn).Bidi(context.Background()); err != nil {
		_ = conn.Close()
		return err
	}
	a.conn = conn
	return nil
}

// link is a connection and the stream opened on it, kept together by an
// embedded struct whose unexported close closes the connection
// (nacos-sdk-go's GrpcConnection, closed when the client switches
// servers).
type link struct {
	*linkConn
	stream echo.Echo_BidiClient
}

type linkConn struct{ conn *grpc.ClientConn }

func (c *linkConn) close() { _ = c.conn.Close() }

// NewLink keeps conn in the link: an exported constructor, which other
// packages may call too.
func NewLink(conn *grpc.ClientConn, s echo.Echo_BidiClient) *link {
	return &link{linkConn: &linkConn{conn: conn}, stream: s}
}

// Silent: the stream's connection goes to NewLink right after the stream
// is opened, with no wait on it before: whoever owns the link closes it.
func dialLink(target string) (*link, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	s, err := echo.NewEchoClient(conn).Bidi(context.Background())
	if err != nil {
		return nil, err
	}
	return NewLink(conn, s), nil
}

// The twin: the stream is waited on (its first message) before the
// connection is handed over, and nothing closes it then.
func dialLinkAfterHello(target string) (*link, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	s, err := echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	if err != nil {
		return nil, err
	}
	if _, err := s.Recv(); err != nil {
		return nil, err
	}
	return NewLink(conn, s), nil
}
