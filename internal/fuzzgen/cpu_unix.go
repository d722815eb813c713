//go:build unix

package fuzzgen

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user and system) the process has used:
// unlike the wall clock, it does not count the time spent waiting for a
// core on a loaded machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
