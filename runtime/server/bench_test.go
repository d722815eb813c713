package server

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
)

// BenchmarkCheckOverhead measures what the reference handler's looks at the
// context cost: it runs Server.Find and NaiveServer.Find, whose loops differ
// only by that look, over the same chunk of hashes on a target that cannot
// match, in pairs, alternating which goes first. It reports both rates and
// overhead-%, the median over the pairs of the reference's extra time, which
// shrugs off bursts of load from other processes. The sub-benchmarks vary
// how many hashes pass between two looks (the handlers use CheckEvery);
// check-gap-us is the resulting longest time between two looks, which bounds
// the reaction to a cancel.
func BenchmarkCheckOverhead(b *testing.B) {
	const chunk = 1 << 15
	req := &hashfinderpb.FindRequest{Target: "!!!!!!"}
	for _, every := range []uint64{1, 16, 256, CheckEvery, 4096} {
		b.Run(fmt.Sprintf("every=%d", every), func(b *testing.B) {
			ref := &Server{maxHashes: chunk, checkMask: every - 1}
			naive := &NaiveServer{maxHashes: chunk, publishMask: every - 1}
			ctx := handlerContext(b)
			timeFind := func(f finder) time.Duration {
				start := time.Now()
				if _, err := f.Find(ctx, req); err == nil {
					b.Fatal("Find found a match for an impossible target")
				}
				return time.Since(start)
			}
			var refTime, naiveTime time.Duration
			extra := make([]float64, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				var r, n time.Duration
				if i%2 == 0 {
					r = timeFind(ref)
					n = timeFind(naive)
				} else {
					n = timeFind(naive)
					r = timeFind(ref)
				}
				refTime += r
				naiveTime += n
				extra = append(extra, 100*float64(r-n)/float64(n))
			}
			hashes := float64(b.N) * chunk
			refNs := float64(refTime.Nanoseconds()) / hashes
			b.ReportMetric(refNs, "ref-ns/hash")
			b.ReportMetric(float64(naiveTime.Nanoseconds())/hashes, "naive-ns/hash")
			slices.Sort(extra)
			b.ReportMetric(extra[len(extra)/2], "overhead-%")
			b.ReportMetric(float64(every)*refNs/1000, "check-gap-us")
		})
	}
}

// handlerContext is shaped like a handler's context behind our interceptors:
// cancellable, with a deadline and a meter, not yet ended.
func handlerContext(b *testing.B) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, time.Hour)
	b.Cleanup(cancel)
	ctx, cancelCause := context.WithCancelCause(ctx)
	b.Cleanup(func() { cancelCause(nil) })
	return observe.WithMeter(ctx, new(observe.Meter))
}
