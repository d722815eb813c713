// Package serve runs a HashFinder gRPC server: the reference or the naive
// handlers of package server, measured by the interceptors of package
// observe, with a shutdown that cancels the RPCs in flight.
package serve

import (
	"context"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/server"
)

// DefaultGrace is the Grace of a Config that sets none.
const DefaultGrace = time.Second

// Config configures Run.
type Config struct {
	// MaxHashes is the work budget of one RPC; it must be positive.
	MaxHashes uint64
	// Naive serves server.NaiveServer instead of the reference
	// server.Server.
	Naive bool
	// Hooks are called around every RPC.
	Hooks observe.Hooks
	// Grace bounds how long the shutdown waits for handlers to return after
	// their RPCs were cancelled, before it closes every connection. The
	// reference handlers return within a millisecond; the naive ones only
	// at their budget. Zero means DefaultGrace.
	Grace time.Duration
}

// Run serves HashFinder on lis until ctx ends, then shuts down and returns
// nil; it returns an error only when serving fails. Run closes lis.
//
// The shutdown cancels the context of every RPC in flight with the status
// codes.Unavailable "server is shutting down", refuses new RPCs, waits up to
// Grace for the handlers to return and then closes every connection. Handlers
// that ignore their context may outlive Run.
func Run(ctx context.Context, lis net.Listener, cfg Config) error {
	handlers, err := newHandlers(cfg)
	if err != nil {
		lis.Close()
		return err
	}
	grace := cfg.Grace
	if grace <= 0 {
		grace = DefaultGrace
	}

	// base ends when Run starts to shut down; every RPC's context ends
	// with it.
	base, cancelBase := context.WithCancel(context.Background())
	defer cancelBase()
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(unaryShutdown(base), observe.UnaryServerInterceptor(cfg.Hooks)),
		grpc.ChainStreamInterceptor(streamShutdown(base), observe.StreamServerInterceptor(cfg.Hooks)),
	)
	hashfinderpb.RegisterHashFinderServer(srv, handlers)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	select {
	case err := <-served:
		cancelBase()
		srv.Stop()
		return fmt.Errorf("serve HashFinder on %s: %w", lis.Addr(), err)
	case <-ctx.Done():
	}

	cancelBase()
	stopped := make(chan struct{})
	go func() {
		srv.GracefulStop()
		close(stopped)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-stopped:
	case <-timer.C:
		// Stop closes every connection and returns without waiting for
		// the handlers; GracefulStop, still waiting for them, returns when
		// the last blind handler does.
		srv.Stop()
	}
	// Serve returns nil once the server is stopped.
	if err := <-served; err != nil {
		return fmt.Errorf("serve HashFinder on %s: %w", lis.Addr(), err)
	}
	return nil
}

func newHandlers(cfg Config) (hashfinderpb.HashFinderServer, error) {
	opts := server.Options{MaxHashes: cfg.MaxHashes}
	if cfg.Naive {
		return server.NewNaive(opts)
	}
	return server.New(opts)
}
