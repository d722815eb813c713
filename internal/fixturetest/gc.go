package fixturetest

import (
	"os"
	"runtime/debug"
	"sync"
)

// gcPercent and memoryLimit are the garbage collector's settings in a test
// binary that loads a module with its dependencies from source.
const (
	gcPercent   = 800
	memoryLimit = 3 << 30
)

var gcOnce sync.Once

// FewerCollections makes the garbage collector of this process run less
// often, unless GOGC or GOMEMLIMIT says otherwise: a test that loads the
// fixture module keeps a heap of about 1 GB (syntax and types of some 400
// packages) and allocates while it grows, and with the default GOGC=100 a
// fifth of its CPU time went to collections. With GOGC=800 the heap stays
// about as large (its live part is most of it) and a test binary spends
// about 20% less CPU; the soft memory limit collects harder should a heap
// grow beyond it. Dir calls it; loaders of other modules (eval/bugs) call
// it themselves.
func FewerCollections() {
	gcOnce.Do(func() {
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(gcPercent)
		}
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(memoryLimit)
		}
	})
}
