package ctxdetach

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// pusher sends notifications over HTTP: outbound work.
type pusher struct{ hc *http.Client }

func (p *pusher) push(ctx context.Context, text string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://push.example.com", nil)
	if err != nil {
		return err
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// fireAndForget's handlers start work that must finish after they return
// (appleboy/gorush#789): on the request context, gRPC cancels it when the
// handler returns.
type fireAndForget struct {
	echo.UnimplementedEchoServer
	p *pusher
}

func (s *fireAndForget) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) { // want Unary:`handoffParams\(\[0\]\)`
	go func() {
		_ = s.p.push(ctx, in.Text) // want `call to s.p.push in a goroutine started by handler Unary uses the request context ctx, which gRPC cancels when the handler returns, so the work is cut off at random; detach it with context.WithTimeout\(context.WithoutCancel\(ctx\), ...\)`
	}()
	go func() {
		// Silent: detached on purpose and bounded.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = s.p.push(wctx, in.Text)
	}()
	go func() {
		// Silent: logging is not outbound work.
		slog.InfoContext(ctx, "pushed")
	}()
	return in, nil
}

// waited's handler waits for its goroutines: the request context is alive
// while they run.
type waited struct {
	echo.UnimplementedEchoServer
	p *pusher
}

func (s *waited) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) { // want Unary:`handoffParams\(\[0\]\)`
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = s.p.push(ctx, in.Text) // silent: the handler waits below
	}()
	wg.Wait()
	return in, nil
}

// waitedOnChannel receives the goroutine's result before returning.
type waitedOnChannel struct {
	echo.UnimplementedEchoServer
	p *pusher
}

func (s *waitedOnChannel) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) { // want Unary:`handoffParams\(\[0\]\)`
	errc := make(chan error, 1)
	go func() { errc <- s.p.push(ctx, in.Text) }() // silent: the result is received below
	return in, <-errc
}

// streamWorker's goroutine serves the stream: it is meant to end with it.
type streamWorker struct {
	echo.UnimplementedEchoServer
	p *pusher
}

func (s *streamWorker) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	go func() { _ = s.p.push(stream.Context(), in.Text) }() // silent: a streaming handler
	return stream.Send(in)
}

// methodValue calls its upstream through a method value: still an
// outbound gRPC call.
type methodValue struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *methodValue) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	call := s.up.Unary
	return call(context.Background(), in) // want `call to call in handler Unary uses context.Background\(\), not the request context`
}

// dispatchTable calls its upstream through a table of method values built
// in the handler: every value it may call is a client method, an outbound
// gRPC call, like the method value above.
type dispatchTable struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

type unaryCall = func(context.Context, *echo.Msg, ...grpc.CallOption) (*echo.Msg, error)

func (s *dispatchTable) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	calls := map[string]unaryCall{"up": s.up.Unary}
	return calls[in.Text](context.Background(), in) // want `call to calls\[in.Text\] in handler Unary uses context.Background\(\), not the request context`
}

// injectedTable's table holds a function the server was given: what it
// does is not visible (a local fake, a cache), so there is no evidence of
// outbound work.
type injectedTable struct {
	echo.UnimplementedEchoServer
	local unaryCall
}

func (s *injectedTable) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	if err := ctx.Err(); err != nil { // the handler uses its context: nothing dropped
		return nil, err
	}
	calls := map[string]unaryCall{"local": s.local}
	return calls[in.Text](context.Background(), in) // silent: s.local's origin is not visible
}
