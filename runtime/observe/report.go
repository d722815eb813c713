package observe

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc/codes"
)

// Report describes one finished RPC, as seen from the server.
type Report struct {
	// Method is the full gRPC method name, "/package.Service/Method".
	Method string
	// Code is the status code of the handler's error (codes.OK for nil).
	Code codes.Code
	// Err is the error the handler returned.
	Err error
	// Hashes is how many hashes the handler computed.
	Hashes uint64
	// Start is when the interceptor called the handler; End is when the
	// handler returned.
	Start, End time.Time
	// ContextEnded reports whether the RPC's context ended (client cancel,
	// deadline, server shutdown) before the handler returned.
	ContextEnded bool
	// ContextEndedAt is when the interceptor saw the context end; zero
	// unless ContextEnded.
	ContextEndedAt time.Time
	// HashesAtContextEnd is the count the handler had published by
	// ContextEndedAt; zero unless ContextEnded.
	HashesAtContextEnd uint64
}

// Duration is how long the handler ran.
func (r Report) Duration() time.Duration {
	return r.End.Sub(r.Start)
}

// AfterContextEnd is how long the handler kept running after its context
// ended; zero unless ContextEnded.
func (r Report) AfterContextEnd() time.Duration {
	if !r.ContextEnded {
		return 0
	}
	return r.End.Sub(r.ContextEndedAt)
}

// HashesAfterContextEnd is how many hashes the handler computed after its
// context ended; zero unless ContextEnded. Handlers publish their count every
// few thousand hashes, so a handler that stops promptly shows at most that
// many.
func (r Report) HashesAfterContextEnd() uint64 {
	if !r.ContextEnded || r.Hashes < r.HashesAtContextEnd {
		return 0
	}
	return r.Hashes - r.HashesAtContextEnd
}

// Logger returns a hook that logs each report as one "rpc" line of logger:
// method, code, hashes and duration_ms, plus after_cancel_ms and
// hashes_after_cancel when the context ended before the handler returned.
func Logger(logger *slog.Logger) func(Report) {
	return func(r Report) {
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("code", r.Code.String()),
			slog.Uint64("hashes", r.Hashes),
			slog.Float64("duration_ms", milliseconds(r.Duration())),
		}
		if r.ContextEnded {
			attrs = append(attrs,
				slog.Float64("after_cancel_ms", milliseconds(r.AfterContextEnd())),
				slog.Uint64("hashes_after_cancel", r.HashesAfterContextEnd()))
		}
		if r.Err != nil {
			attrs = append(attrs, slog.String("error", r.Err.Error()))
		}
		logger.LogAttrs(context.Background(), slog.LevelInfo, "rpc", attrs...)
	}
}

// milliseconds is d in milliseconds with microsecond precision.
func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
