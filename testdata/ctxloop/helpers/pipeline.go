package helpers

import (
	"context"
	"time"
)

// Event is what a pipeline carries.
type Event struct{ Data string }

// Pipeline is a module's data pipeline (skywalking-satellite's receiver
// gatherer): its Out channel is made here and drained by a worker the
// pipeline starts, out of its receivers' view.
type Pipeline struct{ Out chan *Event }

// NewPipeline makes the pipeline and starts its worker.
func NewPipeline() *Pipeline {
	p := &Pipeline{Out: make(chan *Event)}
	go func() {
		for range p.Out {
		}
	}()
	return p
}

// Limiter flushes a buffer on a timer or when Check finds it full
// (skywalking-satellite's receiver limiter, round 13). Its worker comes
// back to its select after every flush and leaves only on Stop or on the
// end of the context Start was given: it serves flush for as long as its
// owner keeps it. No fact on Check.
type Limiter struct {
	flush chan struct{}
	stop  chan struct{}
	full  func() bool
}

func NewLimiter(full func() bool) *Limiter {
	return &Limiter{flush: make(chan struct{}), stop: make(chan struct{}), full: full}
}

func (l *Limiter) Start(ctx context.Context, flush func()) {
	go func() {
		t := time.NewTimer(time.Second)
		defer t.Stop()
		for {
			t.Reset(time.Second)
			select {
			case <-t.C:
				flush()
			case <-l.flush:
				flush()
			case <-l.stop:
				flush()
				return
			case <-ctx.Done():
				return
			}
		}
	}()
}

func (l *Limiter) Check() {
	if l.full() {
		l.flush <- struct{}{}
	}
}

func (l *Limiter) Stop() { l.stop <- struct{}{} }
