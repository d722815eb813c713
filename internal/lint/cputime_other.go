//go:build !linux

package lint

import "time"

// threadID returns the calling goroutine's id where the thread's is not
// read.
func threadID() uint64 { return goid() }

// threadCPU returns wall time where the thread's CPU clock is not read.
func threadCPU() int64 { return time.Now().UnixNano() }
