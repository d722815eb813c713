package helpers

import "context"

// Queue hands items to whoever reads them, one at a time: Push waits for
// a reader, which may be gone.
type Queue struct {
	items chan string
}

func NewQueue() *Queue { return &Queue{items: make(chan string)} }

// Push blocks until a reader takes the item: nothing wakes it.
func (q *Queue) Push(s string) { // want Push:`blocks\(send on q.items in Push`
	q.items <- s
}

// PushWith takes a context and ignores it while it waits.
func (q *Queue) PushWith(ctx context.Context, s string) { // want PushWith:`blocks\(send on q.items in Push`
	q.Push(s)
}

// PushCtx waits for a reader or for the context: no fact.
func (q *Queue) PushCtx(ctx context.Context, s string) error {
	select {
	case q.items <- s:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pool's jobs channel is served by a worker its constructor starts for the
// process's life, which leaves only when the channel is closed: Submit
// waits for the worker to finish its current job, not for good. No fact.
type Pool struct {
	jobs chan string
	done []string
}

func NewPool() *Pool {
	p := &Pool{jobs: make(chan string)}
	go p.work()
	return p
}

func (p *Pool) work() { // want work:`blindLoop\(loop over channel p.jobs in work` work:`blocks\(receive from p.jobs in work`
	for j := range p.jobs {
		p.done = append(p.done, j)
	}
}

func (p *Pool) Submit(s string) { p.jobs <- s }

// StoppablePool's worker leaves only when Stop closes quit: it serves jobs
// for as long as its owner keeps the pool, and what a Submit after Stop
// does is the owner's ordering, not an RPC's cancellation. No fact on
// Submit.
type StoppablePool struct {
	jobs chan string
	quit chan struct{}
	done []string
}

func NewStoppablePool() *StoppablePool {
	p := &StoppablePool{jobs: make(chan string), quit: make(chan struct{})}
	go p.work()
	return p
}

func (p *StoppablePool) Stop() { close(p.quit) }

func (p *StoppablePool) work() { // want work:`blindLoop\(polling loop in work` work:`blocks\(select on p.jobs and p.quit in work`
	for {
		select {
		case j := <-p.jobs:
			p.done = append(p.done, j)
		case <-p.quit:
			return
		}
	}
}

func (p *StoppablePool) Submit(s string) { p.jobs <- s }

// GivingUpPool's worker also leaves on a job it cannot take, while its
// owner still has it: after that, Submit waits for good.
type GivingUpPool struct {
	jobs chan string
	quit chan struct{}
	done []string
}

func NewGivingUpPool() *GivingUpPool {
	p := &GivingUpPool{jobs: make(chan string), quit: make(chan struct{})}
	go p.work()
	return p
}

func (p *GivingUpPool) work() { // want work:`blindLoop\(polling loop in work` work:`blocks\(select on p.jobs and p.quit in work`
	for {
		select {
		case j := <-p.jobs:
			if j == "" {
				return
			}
			p.done = append(p.done, j)
		case <-p.quit:
			return
		}
	}
}

func (p *GivingUpPool) Submit(s string) { p.jobs <- s } // want Submit:`blocks\(send on p.jobs in Submit`

// Sem is a semaphore: its release receives from a buffered channel, which
// does not wait for anyone. Acquire waits for a free slot: a fact.
type Sem struct {
	slots chan struct{}
}

func NewSem(n int) *Sem { return &Sem{slots: make(chan struct{}, n)} }

func (s *Sem) Acquire() { s.slots <- struct{}{} } // want Acquire:`blocks\(send on s.slots in Acquire`

func (s *Sem) Release() { <-s.slots }
