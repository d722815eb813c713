// Package telemetry holds ctxdetach's fixtures for calls that take a
// context but do no outbound work: loggers and telemetry (silent), next to
// interfaces whose implementation is known to call upstream (reported).
package telemetry

import (
	"context"
	"log/slog"

	"github.com/btcsuite/btclog/v2"
	"github.com/go-logr/logr"
	"github.com/rs/zerolog"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"example.com/fixtures/ctxdetach/telemetry/store"
	"example.com/fixtures/pb/echo"
)

// waitReady waits, in process, until the cache is filled or ctx ends: it
// observes ctx, and calls nothing upstream.
func (s *server) waitReady(ctx context.Context) error {
	select {
	case <-s.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// scan reads every revision, checking ctx between reads without blocking
// (etcd's rangeKeys): work meant to stop when ctx ends.
func (s *server) scan(ctx context.Context, revs []int64) (int64, error) {
	var sum int64
	for _, r := range revs {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		default:
		}
		sum += r
	}
	return sum, nil
}

// Logger is a logging interface of the user's: its implementation is not
// known here, and nothing about a log call is outbound work.
type Logger interface {
	Info(ctx context.Context, msg string, args ...any)
}

type server struct {
	echo.UnimplementedEchoServer
	otel    otellog.Logger
	counter metric.Int64Counter
	tracer  trace.Tracer
	btc     btclog.Logger
	zl      zerolog.Logger
	log     Logger
	store   store.Store
	cache   store.Cache
	ready   chan struct{}
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	bg := context.Background()
	// Silent: logging and telemetry record the call; they carry nothing
	// upstream and wait for nothing.
	var rec otellog.Record
	rec.SetBody(attribute.StringValue(in.Text))
	s.otel.Emit(bg, rec)                         // an OpenTelemetry Logger
	s.counter.Add(bg, 1)                         // an OpenTelemetry counter
	_, span := s.tracer.Start(bg, "unary")       // derives a context: judged where it is used
	span.End()                                   //
	s.btc.WarnS(bg, "slow", nil, "id", in.Text)  // btclog's structured logger
	slog.InfoContext(bg, "unary", "id", in.Text) // log/slog
	s.zl.Info().Ctx(bg).Msg("unary")             // zerolog stores the context in the event
	zerolog.Ctx(bg).Info().Msg("unary")          // reads the logger from the context
	logr.FromContextOrDiscard(bg).Info("unary")  // logr reads the logger from the context
	s.log.Info(bg, "unary", "id", in.Text)       // a Logger interface of the user's
	_, _ = s.cache.Lookup(bg, in.Text)           // no implementation known: a mock, a map
	_ = s.store.Len(bg)                          // the implementation counts in memory

	// Reported: Store's implementation in its package calls upstream and
	// writes to a database.
	if _, err := s.store.Get(bg, in.Text); err != nil { // want `call to s.store.Get in handler Unary uses bg \(from context.Background\(\)\), not the request context`
		return nil, err
	}
	if err := s.store.Put(context.TODO(), in.Text, ""); err != nil { // want `call to s.store.Put in handler Unary uses context.TODO\(\), not the request context`
		return nil, err
	}
	// Reported: scan's work is bounded by its context, which here is not
	// the request's.
	if _, err := s.scan(context.TODO(), nil); err != nil { // want `call to s.scan in handler Unary uses context.TODO\(\), not the request context`
		return nil, err
	}
	return in, nil
}
