package ctxdetach

import (
	"context"
	"sync"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdetach/helpers"
	"example.com/fixtures/pb/echo"
)

// startAndPoll's handlers start background work and return at once; the
// client polls for the result with another RPC. The work must outlive the
// RPC, so the request context (cancelled when the handler returns) is the
// wrong lifetime for it.
type startAndPoll struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *startAndPoll) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) { // want Unary:`handoffParams\(\[0\]\)`
	go func() {
		// Silent: Reload's detached call has a timeout of its own, the
		// right lifetime for work that outlives the RPC.
		_ = helpers.Reload(s.up)
	}()
	go func() {
		// Reported: Lookup's detached call is unbounded; passing ctx would
		// cut it off when the handler returns.
		_, _ = helpers.Lookup(s.up, in.Text) // want `call to helpers.Lookup in handler Unary reaches c.Unary on context.Background\(\) \(helpers.go:\d+\), .*; give Lookup a context parameter and pass context.WithTimeout\(context.WithoutCancel\(ctx\), ...\) \(the handler does not wait for this goroutine, and gRPC cancels ctx when it returns\)$`
	}()
	go func() {
		// Reported: Purge reaches an unbounded call as well as a bounded one.
		_ = helpers.Purge(s.up) // want `call to helpers.Purge in handler Unary reaches c.Unary on context.Background\(\)`
	}()
	go func() {
		// Reported: a direct call on a bare Background in the goroutine;
		// the remedy is the detached idiom, not the request context.
		_, _ = s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\), not the request context, .*; use context.WithTimeout\(context.WithoutCancel\(ctx\), ...\) \(the handler does not wait for this goroutine, and gRPC cancels ctx when it returns\)$`
	}()
	go func() {
		// Reported: Delete drops the context it is given; in a goroutine
		// the handler does not wait for, it must get the detached form.
		_ = helpers.Delete(ctx, s.up, in.Text) // want `call to helpers.Delete in handler Unary reaches c.Unary on context.Background\(\) .*; make Delete use the context it is given, not context.Background\(\), and pass it context.WithTimeout\(context.WithoutCancel\(ctx\), ...\)`
	}()
	return in, nil
}

// waitedStart waits for its goroutine: which lifetime the work needs
// depends on what the handler waits for, so the remedy names both.
type waitedStart struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *waitedStart) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		// Silent: bounded, as in startAndPoll.
		_ = helpers.Reload(s.up)
	}()
	go func() {
		defer wg.Done()
		_, _ = helpers.Lookup(s.up, in.Text) // want `give Lookup a context parameter and pass ctx if the handler waits for this goroutine; if the work must outlive the RPC, use context.WithTimeout\(context.WithoutCancel\(ctx\), ...\)$`
	}()
	wg.Wait()
	return in, nil
}

// streamStart's goroutine serves a stream: not a unary handler's
// fire-and-forget, so the remedy names both lifetimes.
type streamStart struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *streamStart) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	go func() {
		// Silent: bounded.
		_ = helpers.Reload(s.up)
	}()
	go func() {
		_, _ = helpers.Lookup(s.up, in.Text) // want `give Lookup a context parameter and pass stream.Context\(\) if the handler waits for this goroutine; if the work must outlive the RPC, use context.WithTimeout\(context.WithoutCancel\(stream.Context\(\)\), ...\)$`
	}()
	return stream.Send(in)
}

// inFlow calls the same helpers in the handler's own flow: a caller who
// gives up should stop the work, so they are reported; where the detached
// context looks deliberate (a timeout of its own, a context replaced with
// Background) the remedy also names the detached idiom, for work that must
// finish after the caller gives up (a multi-step mutation).
type inFlow struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *inFlow) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if err := helpers.Reload(s.up); err != nil { // want `call to helpers.Reload in handler Unary reaches c.Unary on context.Background\(\) \(helpers.go:\d+\), .*; give Reload a context parameter and pass ctx \(if the work must finish after the caller gives up, use context.WithTimeout\(context.WithoutCancel\(ctx\), ...\)\)$`
		return nil, err
	}
	if err := helpers.Delete(ctx, s.up, in.Text); err != nil { // want `call to helpers.Delete in handler Unary reaches c.Unary on context.Background\(\) .*; make Delete use the context it is given, not context.Background\(\) \(if the work must finish after the caller gives up, make Delete detach the context it is given with context.WithoutCancel and a timeout\)$`
		return nil, err
	}
	if _, err := helpers.Lookup(s.up, in.Text); err != nil { // want `; give Lookup a context parameter and pass ctx$`
		return nil, err
	}
	return in, nil
}
