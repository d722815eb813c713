//go:build !linux

package lint

import "time"

// threadCPU returns wall time where the thread's CPU clock is not read.
func threadCPU() int64 { return time.Now().UnixNano() }
