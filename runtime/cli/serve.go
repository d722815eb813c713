package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/serve"
)

// runServe serves until ctx ends, logging one JSON line per finished RPC to
// stderr.
func runServe(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("hashfinder serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", defaultAddr, "`host:port` to listen on")
	maxHashes := fs.Uint64("max-hashes", 10_000_000, "work budget of one RPC, in hashes")
	naive := fs.Bool("naive", false, "serve the cancellation-blind handlers")
	grace := fs.Duration("grace", serve.DefaultGrace, "how long shutdown waits for handlers before closing connections")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *maxHashes == 0 {
		fmt.Fprintln(stderr, "hashfinder serve: -max-hashes must be positive")
		return ExitUsage
	}

	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	lis, err := new(net.ListenConfig).Listen(ctx, "tcp", *addr)
	if err != nil {
		logger.Error("listen", "addr", *addr, "error", err.Error())
		return ExitFailed
	}
	logger.Info("serving", "addr", lis.Addr().String(), "naive", *naive, "max_hashes", *maxHashes)
	// inFlight counts the handlers running; those still running when
	// serve.Run returns (blind to the shutdown) die with the process.
	var inFlight atomic.Int64
	logRPC := observe.Logger(logger)
	start := time.Now()
	err = serve.Run(ctx, lis, serve.Config{
		MaxHashes: *maxHashes,
		Naive:     *naive,
		Hooks: observe.Hooks{
			Started: func(string) { inFlight.Add(1) },
			Finished: func(r observe.Report) {
				logRPC(r)
				inFlight.Add(-1)
			},
		},
		Grace: *grace,
	})
	if err != nil {
		logger.Error("serve", "error", err.Error())
		return ExitFailed
	}
	logger.Info("stopped", "uptime_s", time.Since(start).Seconds(), "handlers_abandoned", inFlight.Load())
	return ExitOK
}
