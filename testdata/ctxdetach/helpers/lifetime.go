package helpers

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
)

// Lifetimes: code that detaches from the request on purpose, because what
// it starts must outlive the RPC.

// StartMonitor starts a goroutine that polls until ctx is done: the
// context is the monitor's lifetime, used only in the goroutine
// (containerd's startContainerExitMonitor). Passing it context.Background()
// is not an outbound call cut off from the request.
func StartMonitor(ctx context.Context, c echo.EchoClient) <-chan struct{} { // want StartMonitor:`handoffParams\(\[0\]\)`
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_, _ = c.Unary(ctx, &echo.Msg{})
			}
		}
	}()
	return done
}

// Pipes holds a context whose cancel function it keeps: the pipes live as
// long as the object, not as the call that made them (containerd's
// newStdioStream).
type Pipes struct {
	cancel context.CancelFunc
	out    *echo.Msg
}

// Close ends the pipes' context.
func (p *Pipes) Close() { p.cancel() }

// NewPipes takes no context and calls upstream on a detached one, but it
// keeps the cancel function in the object it returns: no fact.
func NewPipes(c echo.EchoClient) (*Pipes, error) {
	ctx, cancel := context.WithCancel(context.Background())
	out, err := c.Unary(ctx, &echo.Msg{})
	if err != nil {
		cancel()
		return nil, err
	}
	return &Pipes{cancel: cancel, out: out}, nil
}

// NewPipesBlind only defers its cancel function: the context ends with the
// call, which is still cut off from the request: a fact.
func NewPipesBlind(c echo.EchoClient) (*Pipes, error) { // want NewPipesBlind:`detachedCall\(c.Unary on context.Background\(\)`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, err := c.Unary(ctx, &echo.Msg{})
	return &Pipes{cancel: func() {}, out: out}, err
}

// A Session keeps the context it is opened on: its calls run on it for as
// long as the session lives (buildkit's container.NewContainer keeps its
// context in the container whose processes run on it).
type Session struct {
	ctx    context.Context
	cancel context.CancelFunc
	c      echo.EchoClient
}

// Close ends the session's context.
func (s *Session) Close() { s.cancel() }

// Send calls upstream on the session's context.
func (s *Session) Send(m *echo.Msg) error {
	_, err := s.c.Unary(s.ctx, m)
	return err
}

// OpenSession calls upstream on ctx and keeps a context derived from it in
// the session it returns: a fact.
func OpenSession(ctx context.Context, c echo.EchoClient) (*Session, error) { // want OpenSession:`keepsParams\(\[0\]\)`
	ctx, cancel := context.WithCancel(ctx)
	if _, err := c.Unary(ctx, &echo.Msg{}); err != nil {
		cancel()
		return nil, err
	}
	return &Session{ctx: ctx, cancel: cancel, c: c}, nil
}

// Probe calls upstream on ctx and keeps only the client in what it
// returns: no fact.
func Probe(ctx context.Context, c echo.EchoClient) (*Session, error) {
	_, err := c.Unary(ctx, &echo.Msg{})
	return &Session{c: c, cancel: func() {}}, err
}
