package ctxdeadline

import (
	"context"
	"log"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// Watchdogs: a cancel function armed on a timer bounds the context as a
// deadline does; swarmkit's raft transport resets the timer after each
// message it sends.

// Silent: time.AfterFunc calls cancel when the timer fires.
func watchdog(c echo.EchoClient, d time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t := time.AfterFunc(d, cancel)
	defer t.Stop()
	_, err := c.Unary(ctx, msg)
	return err
}

// Silent: the literal given to AfterFunc calls cancel.
func watchdogLiteral(c echo.EchoClient, d time.Duration) error {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	t := time.AfterFunc(d, func() {
		log.Print("send timed out")
		cancel(context.DeadlineExceeded)
	})
	defer t.Stop()
	_, err := c.Unary(ctx, msg)
	return err
}

// The timer only logs: nothing ends the call.
func stopwatch(c echo.EchoClient, d time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t := time.AfterFunc(d, func() { log.Print("slow send") })
	defer t.Stop()
	_, err := c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
	return err
}

// sendWatched bounds the context it is given with a watchdog: callers
// need no deadline of their own (no fact).
func sendWatched(ctx context.Context, cc *grpc.ClientConn, d time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := time.AfterFunc(d, cancel)
	defer t.Stop()
	_, err := echo.NewEchoClient(cc).Unary(ctx, msg)
	return err
}

// sendUnwatched passes its context on as it is: a fact.
func sendUnwatched(ctx context.Context, cc *grpc.ClientConn) error { // want sendUnwatched:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at watchdog.go:63\)`
	_, err := echo.NewEchoClient(cc).Unary(ctx, msg)
	return err
}

func watchedPeer(cc *grpc.ClientConn) error {
	if err := sendWatched(context.Background(), cc, time.Second); err != nil { // silent: bounded by the watchdog
		return err
	}
	return sendUnwatched(context.Background(), cc) // want `call to ctxdeadline.sendUnwatched passes context.Background\(\) as ctx, which reaches`
}
