package ctxdetach

import (
	"context"
	"sync"
	"time"

	"example.com/fixtures/ctxdetach/helpers"
	"example.com/fixtures/pb/echo"
)

// lifetimeServer's handlers start work that must outlive the RPC, or make
// calls whose context cannot matter, on contexts detached from the
// request. Found in containerd's CRI service (exit monitors, container
// I/O). Calls into net are in ./netcalls.
type lifetimeServer struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient

	mu       sync.Mutex
	watchers map[string]context.CancelFunc
	stop     context.CancelFunc
	sessions map[string]*helpers.Session
}

func (s *lifetimeServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: StartMonitor only hands its context to the goroutine it
	// starts; context.Background() is the monitor's lifetime.
	helpers.StartMonitor(context.Background(), s.up)
	s.startLocalMonitor(context.Background(), in.Text)

	// Silent: the cancel function is kept in s.watchers, so another RPC
	// (or shutdown) ends the watch; it is detached from this one on
	// purpose.
	wctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.watchers[in.Text] = cancel
	s.mu.Unlock()
	go s.watch(wctx)

	// Silent: the same, with the cancel function stored straight into a
	// field.
	var sctx context.Context
	sctx, s.stop = context.WithCancel(context.Background())
	go s.watch(sctx)

	// Silent: NewPipes keeps its cancel function in the object it returns.
	if _, err := helpers.NewPipes(s.up); err != nil {
		return nil, err
	}

	// Reported: NewPipesBlind only defers its cancel function.
	if _, err := helpers.NewPipesBlind(s.up); err != nil { // want `call to helpers.NewPipesBlind in handler Unary reaches c.Unary on context.Background\(\)`
		return nil, err
	}

	// Silent: OpenSession keeps its context in the session it returns,
	// and the handler keeps the session for later RPCs:
	// context.Background() is the session's lifetime, which must outlive
	// this RPC (buildkit's NewContainer, stored in lbf.ctrs).
	sess, err := helpers.OpenSession(context.Background(), s.up)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.sessions[in.Text] = sess
	s.mu.Unlock()

	// Reported: the same session used once and closed lives no longer
	// than the RPC; its calls are cut off from the request.
	once, err := helpers.OpenSession(context.Background(), s.up) // want `call to helpers.OpenSession in handler Unary uses context.Background\(\)`
	if err != nil {
		return nil, err
	}
	_ = once.Send(in)
	once.Close()

	// Reported: Probe keeps nothing of its context, so keeping what it
	// returns does not make context.Background() anybody's lifetime.
	probe, err := helpers.Probe(context.Background(), s.up) // want `call to helpers.Probe in handler Unary uses context.Background\(\)`
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.sessions["probe"] = probe
	s.mu.Unlock()

	go func() {
		// Reported: a cancel function that is only deferred owns
		// nothing; the upstream call is cut off from the request.
		dctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		_, _ = s.up.Unary(dctx, in) // want `call to s.up.Unary in handler Unary uses dctx \(from context.Background\(\)\)`
	}()
	go func() {
		// Reported: syncOnce uses its context itself, not in a goroutine.
		s.syncOnce(context.Background()) // want `call to s.syncOnce in handler Unary uses context.Background\(\)`
	}()
	return in, nil
}

// refreshServer does best-effort work after the RPC: a goroutine the
// handler does not wait for, on a detached context with a deadline of its
// own.
type refreshServer struct {
	echo.UnimplementedEchoServer
	up echo.EchoClient
}

func (s *refreshServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	go func() {
		// Silent: detached on purpose and bounded by its own timeout.
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _ = s.up.Unary(rctx, in)
	}()
	go func() {
		// Reported: detached and unbounded; the handler does not wait, so
		// the remedy is the detached idiom, not the request context.
		_, _ = s.up.Unary(context.Background(), in) // want `call to s.up.Unary in handler Unary uses context.Background\(\), not the request context, .*; use context.WithTimeout\(context.WithoutCancel\(ctx\), ...\) \(the handler does not wait for this goroutine`
	}()
	// Reported: in the handler's own flow, a timeout of its own does not
	// make up for the caller's cancellation and deadline.
	tctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.up.Unary(tctx, in) // want `call to s.up.Unary in handler Unary uses tctx \(from context.Background\(\)\), not the request context, .*; pass ctx \(if the work must finish after the caller gives up, use context.WithTimeout\(context.WithoutCancel\(ctx\), ...\)\)$`
}

// startLocalMonitor uses ctx only in the goroutine it starts.
func (s *lifetimeServer) startLocalMonitor(ctx context.Context, id string) { // want startLocalMonitor:`handoffParams\(\[0\]\)`
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		delete(s.watchers, id)
		s.mu.Unlock()
	}()
}

// syncOnce starts a goroutine too, but calls upstream on ctx itself first.
func (s *lifetimeServer) syncOnce(ctx context.Context) {
	_, _ = s.up.Unary(ctx, &echo.Msg{})
	go func() { <-ctx.Done() }()
}

func (s *lifetimeServer) watch(ctx context.Context) {
	<-ctx.Done()
}
