// Package observe measures the RPCs of a gRPC server: how many hashes each
// handler computed, how long it ran and, when the RPC's context ended before
// the handler returned, how much time and work the handler spent after that
// moment.
//
// A handler publishes its progress on the [Meter] that the interceptors put in
// its context; [UnaryServerInterceptor] and [StreamServerInterceptor] watch
// the context and hand a [Report] to a hook once the handler returned.
package observe

import (
	"context"
	"sync/atomic"
)

// Meter is a per-RPC count of hashes that a handler publishes and an
// interceptor reads concurrently. The methods of a nil *Meter do nothing, so a
// handler called without the interceptors (a benchmark, a test) needs no
// special case.
type Meter struct {
	hashes atomic.Uint64
}

// Store publishes that the handler has computed n hashes so far. Handlers
// call it every few thousand hashes and once more when they return, so the
// published count lags the real one by at most that interval.
func (m *Meter) Store(n uint64) {
	if m != nil {
		m.hashes.Store(n)
	}
}

// Load returns the last published count.
func (m *Meter) Load() uint64 {
	if m == nil {
		return 0
	}
	return m.hashes.Load()
}

type meterKey struct{}

// WithMeter returns a copy of ctx carrying m.
func WithMeter(ctx context.Context, m *Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// MeterFrom returns the Meter in ctx, or nil when there is none.
func MeterFrom(ctx context.Context) *Meter {
	m, _ := ctx.Value(meterKey{}).(*Meter)
	return m
}
