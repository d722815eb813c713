package hashsearch

import (
	"crypto/sha1"
	"runtime"
	"sync"
	"testing"
)

// reportRate reports the candidates (or hashes) per second of one goroutine,
// that is per core.
func reportRate(b *testing.B, n int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(n)/s, "cands/s")
	}
}

// BenchmarkSHA1Floor is the physical floor of the workload: a bare sha1.Sum
// of a 4-byte input (the length of a candidate after ~240k hashes; any input
// under 56 bytes costs one SHA-1 block), with nothing else.
func BenchmarkSHA1Floor(b *testing.B) {
	buf := [4]byte{'a', 'b', 'c', 'd'}
	var sink byte
	for i := range b.N {
		buf[3] = byte(i)
		sum := sha1.Sum(buf[:])
		sink ^= sum[0]
	}
	reportRate(b, b.N)
	if sink == 1 {
		b.Log("") // keeps sink alive
	}
}

// BenchmarkHash is sha1.Sum plus the base64 encoding, on the same input.
func BenchmarkHash(b *testing.B) {
	buf := [4]byte{'a', 'b', 'c', 'd'}
	var dst [HashLen]byte
	for i := range b.N {
		buf[3] = byte(i)
		Hash(buf[:], &dst)
	}
	reportRate(b, b.N)
}

// BenchmarkSearcher is the whole per-candidate work of a handler: enumerate,
// hash, match. Targets that cannot match keep it in its steady state.
func BenchmarkSearcher(b *testing.B) {
	for _, bb := range []struct {
		name        string
		target      string
		maxDistance int
	}{
		{"target=!!!!!!/max-distance=0", "!!!!!!", 0},
		{"target=doctor/max-distance=1", "doctor", 1},
		{"target=doctor/max-distance=3", "doctor", 3},
	} {
		b.Run(bb.name, func(b *testing.B) {
			var s Searcher
			target := []byte(bb.target)
			for range b.N {
				s.Next()
				s.Match(target, bb.maxDistance)
			}
			reportRate(b, b.N)
		})
	}
}

// BenchmarkSearcherParallel runs one Searcher per core, sharing b.N
// candidates, and reports the total rate of all cores.
func BenchmarkSearcherParallel(b *testing.B) {
	target := []byte("!!!!!!")
	procs := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for p := range procs {
		n := b.N / procs
		if p < b.N%procs {
			n++
		}
		wg.Go(func() {
			var s Searcher
			for range n {
				s.Next()
				s.Match(target, 0)
			}
		})
	}
	wg.Wait()
	reportRate(b, b.N)
}
