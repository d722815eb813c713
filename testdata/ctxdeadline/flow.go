package ctxdeadline

import (
	"context"
	"os"
	"os/signal"
	"time"

	"google.golang.org/grpc/metadata"

	"example.com/fixtures/pb/echo"
)

// optionalTimeout sets a timeout only when one is configured. Silent: a
// deadline is added on some path, and the analyzer reports only a call that
// certainly has none.
func optionalTimeout(c echo.EchoClient, timeout time.Duration) error {
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	_, err := c.Unary(ctx, msg)
	return err
}

// optionalMetadata: metadata on one branch adds no deadline on either path.
func optionalMetadata(c echo.EchoClient, tag string) error {
	ctx := context.Background()
	if tag != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "tag", tag)
	}
	_, err := c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
	return err
}

// timeoutAfterCall: only the definition before the first call reaches it.
func timeoutAfterCall(c echo.EchoClient) error {
	ctx := context.Background()
	if _, err := c.Unary(ctx, msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
		return err
	}
	// Silent: the timeout reaches this call.
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := c.Unary(ctx, msg)
	return err
}

// mixedRoots: the paths disagree about where the context comes from
// (Background or the parameter). Silent: no certain answer.
func mixedRoots(ctx context.Context, c echo.EchoClient, detach bool) error {
	if detach {
		ctx = context.Background()
	}
	_, err := c.Unary(ctx, msg)
	return err
}

// derive is a function value the model does not know: it takes a context
// and returns one, and might add a deadline.
var derive = func(ctx context.Context) context.Context { return ctx }

// Silent: an unknown derivation lies on the way.
func opaque(c echo.EchoClient) error {
	_, err := c.Unary(derive(context.Background()), msg)
	return err
}

// Silent: signal.NotifyContext is not a derivation the model knows; it
// might add a deadline for all the analyzer can tell.
func notify(c echo.EchoClient) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	_, err := c.Unary(ctx, msg)
	return err
}

var bg = context.Background()

func packageVar(c echo.EchoClient) error {
	_, err := c.Unary(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	return err
}

type holder struct {
	ctx context.Context
	c   echo.EchoClient
}

// Silent: a context in a field has an unknown origin.
func (h *holder) field() error {
	_, err := h.c.Unary(h.ctx, msg)
	return err
}

func literals(c echo.EchoClient) {
	go func() {
		c.Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	}()
	// Silent: a literal's context parameter; no fact for literals either.
	f := func(ctx context.Context) { c.Unary(ctx, msg) }
	f(context.Background())
}

// captured calls on its parameter inside a literal, which may run later
// or never: no fact, so its callers are not told.
func captured(ctx context.Context, c echo.EchoClient) {
	go func() { c.Unary(ctx, msg) }()
}

func capturedCaller(c echo.EchoClient) {
	// Silent: see captured.
	captured(context.Background(), c)
}

// deliberate detaches from its caller with context.WithoutCancel, which
// drops the deadline too.
func deliberate(ctx context.Context, c echo.EchoClient) error {
	if _, err := c.Unary(context.WithoutCancel(ctx), msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.WithoutCancel\(ctx\), which has no deadline \(context.WithoutCancel drops its parent's\), so the call can wait forever`
		return err
	}
	// Silent: detached, but bounded again.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	_, err := c.Unary(dctx, msg)
	return err
}

// optionalCancel: a cancel function on one path is enough for a stream to
// be possibly cancellable. Silent.
func optionalCancel(c echo.EchoClient, cancellable bool) error {
	ctx := context.Background()
	if cancellable {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
	}
	_, err := c.Bidi(ctx)
	return err
}

// loop adds values in a loop: no path adds a deadline.
func loop(c echo.EchoClient, keys []string) error {
	ctx := context.Background()
	for _, k := range keys {
		ctx = context.WithValue(ctx, key{}, k)
		if _, err := c.Unary(ctx, msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
			return err
		}
	}
	return nil
}

// loopTimeout sets a timeout per iteration over the same variable. Silent:
// every path to the call goes through WithTimeout.
func loopTimeout(c echo.EchoClient, n int) error {
	ctx := context.Background()
	for i := 0; i < n; i++ {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Second)
		_, err := c.Unary(ctx, msg)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// ignored is silenced by a directive with a reason.
func ignored(c echo.EchoClient) error {
	//grpccancelcheck:ignore ctxdeadline -- the server enforces a 1s deadline
	_, err := c.Unary(context.Background(), msg)
	return err
}
