package serve

import (
	"context"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
)

// BenchmarkCancelLatency cancels b.N RPCs against a real loopback server
// running the reference handlers, each while its handler is busy on an
// impossible target, and reports percentiles of the time from the client's
// cancel to the handler's return (p50-ms, p99-ms, max-ms) and of the part of
// it spent in the handler after its context ended (server-p50-ms,
// server-p99-ms). The cancels land at spread-out points of the handler's
// check interval.
func BenchmarkCancelLatency(b *testing.B) {
	for _, method := range []string{"Find", "FindRange"} {
		b.Run(method, func(b *testing.B) {
			s := startServer(b, Config{MaxHashes: 1 << 40})
			total := make([]time.Duration, 0, b.N)
			inHandler := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				ctx, cancel := context.WithCancel(context.Background())
				results := s.call(ctx, method, impossible)
				s.waitStarted(b)
				time.Sleep(time.Millisecond + time.Duration(i%8)*125*time.Microsecond)
				cancelAt := time.Now()
				cancel()
				r := s.nextReport(b)
				waitResult(b, results)
				if r.Code != codes.Canceled || !r.ContextEnded {
					b.Fatalf("report = %+v, want Canceled after the context ended", r)
				}
				total = append(total, r.End.Sub(cancelAt))
				inHandler = append(inHandler, r.AfterContextEnd())
			}
			b.StopTimer()
			reportPercentiles(b, "", total)
			reportPercentiles(b, "server-", inHandler)
		})
	}
}

// reportPercentiles reports the 50th and 99th percentiles (and, without a
// prefix, the maximum) of ds in milliseconds.
func reportPercentiles(b *testing.B, prefix string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(p float64) float64 {
		return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), prefix+"p50-ms")
	b.ReportMetric(at(0.99), prefix+"p99-ms")
	if prefix == "" {
		b.ReportMetric(at(1), "max-ms")
	}
}
