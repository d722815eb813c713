// Package helpers holds functions that handlers in another package call:
// the ctxloop fact carries their blind loops across the package boundary.
package helpers

import (
	"context"
	"crypto/sha256"
	"strconv"
	"sync"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
)

// FindSecret takes no context and searches until it finds a match: the
// common real shape, secret := findSecret(req.Name).
func FindSecret(target string) string { // want FindSecret:`blindLoop\(loop in FindSecret`
	var s hashsearch.Searcher
	for {
		s.Next()
		if _, ok := s.Match([]byte(target), 0); ok {
			return string(s.Secret())
		}
	}
}

// Indirect reaches FindSecret: the fact is transitive.
func Indirect(target string) string { // want Indirect:`blindLoop\(loop in FindSecret`
	return FindSecret(target) + "!"
}

// FindSecretCtx takes the context and checks it: no fact.
func FindSecretCtx(ctx context.Context, target string) (string, error) {
	var s hashsearch.Searcher
	for {
		if s.Hashes()%1024 == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
		s.Next()
		if _, ok := s.Match([]byte(target), 0); ok {
			return string(s.Secret()), nil
		}
	}
}

// Sum ranges over finite data: no fact.
func Sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// Leaps counts leap years in a loop that steps a counter to a bound: a
// bounded computation, no fact.
func Leaps(from, to int) int {
	n := 0
	for y := from; ; {
		if y > to {
			return n
		}
		if y%4 == 0 {
			n++
		}
		y++
	}
}

// Nonce searches for a nonce whose hash starts with a zero byte: a search
// over candidates, whatever its counter.
func Nonce(prefix string) int { // want Nonce:`blindLoop\(loop in Nonce`
	for n := 0; ; n++ {
		if sha256.Sum256([]byte(prefix + strconv.Itoa(n)))[0] == 0 {
			return n
		}
	}
}

// Sender is a long-lived worker: Start runs its loop in a goroutine that
// ends when Stop closes quit. The goroutine belongs to the Sender, not to
// whoever called Start: Start gets no fact.
type Sender struct {
	queue chan string
	quit  chan struct{}
	sent  []string
}

func NewSender() *Sender {
	return &Sender{queue: make(chan string), quit: make(chan struct{})}
}

func (s *Sender) Start() { go s.Run() }

func (s *Sender) Stop() { close(s.quit) }

// Run is the worker's loop: it waits for the queue or the quit channel,
// never for a request's context, so calling it (or go-ing it) from a
// handler is reported.
func (s *Sender) Run() { // want Run:`blindLoop\(polling loop in Run`
	for {
		select {
		case m := <-s.queue:
			s.sent = append(s.sent, m)
		case <-s.quit:
			return
		}
	}
}

// Drain runs the loop in the caller's goroutine: the fact passes on.
func (s *Sender) Drain() { // want Drain:`blindLoop\(polling loop in Run`
	s.Run()
}

// Plan hands out groups of endorsers layout by layout (hyperledger
// fabric's endorsement plan).
type Plan struct {
	Layouts [][]string
	Next    int
}

// Endorsers computes on the plan it holds, without a call: no fact. Its
// for-search leaves when a layout fits or none is left, and every round
// moves p.Next on, so it ends with the plan's layouts; how its exits are
// written (a search condition) does not matter for a helper. The same
// loop written in a handler is reported (bounded.go's shapes).
func (p *Plan) Endorsers(min int) []string {
	var out []string
	for out == nil {
		if p.Next >= len(p.Layouts) {
			return nil
		}
		if len(p.Layouts[p.Next]) >= min {
			out = append(out, p.Layouts[p.Next]...)
		}
		p.Next++
	}
	return out
}

// Pending spins until another goroutine empties the plan: it makes no call
// either, but its exit reads a field that nothing in the loop changes, so
// it waits on shared state, and has the fact.
func (p *Plan) Pending() { // want Pending:`blindLoop\(search loop in Pending`
	for p.Next == 0 {
	}
}

// Unwrap is an error package's mirror of errors.Unwrap
// (github.com/mailgun/errors, github.com/pkg/errors): func(error) error.
func Unwrap(err error) error {
	u, ok := err.(interface{ Unwrap() error })
	if !ok {
		return nil
	}
	return u.Unwrap()
}

// Depth walks an error's chain with that Unwrap to its end: a bounded
// walk, as with errors.Unwrap, no fact (gubernator's countError).
func Depth(err error) int {
	n := 0
	for {
		if err == nil {
			return n
		}
		n++
		err = Unwrap(err)
	}
}

// Registry holds layouts that another goroutine may drop.
type Registry struct {
	mu      sync.Mutex
	layouts map[string]*Layout
}

// Layout takes volumes until it is dropped.
type Layout struct {
	mu      sync.Mutex
	dropped bool
	vols    []int
}

// Get returns the layout of name, a fresh one if it was dropped.
func (r *Registry) Get(name string) *Layout {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.layouts[name]
	if l == nil || l.dropped {
		l = &Layout{}
		r.layouts[name] = l
	}
	return l
}

// Add adds v unless the layout was dropped meanwhile.
func (l *Layout) Add(v int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dropped {
		return false
	}
	l.vols = append(l.vols, v)
	return true
}

// Register retries afresh (seaweedfs's RegisterVolumeLayout): every round
// looks the layout up again and carries nothing to the next, so it goes
// round again only when another goroutine dropped the layout in between,
// an optimistic retry: no fact. FindSecret, whose rounds advance the
// searcher they share, keeps its fact.
func (r *Registry) Register(name string, v int) {
	for {
		l := r.Get(name)
		if l.Add(v) {
			return
		}
	}
}

// Extent is one run of a file's blocks.
type Extent struct {
	Start, Len int64
	Last       bool
}

// extents returns up to 32 extents of the map from start on, and an errno
// (a syscall's, not an error: fibmap.Fiemap).
func extents(m []Extent, start int64) ([]Extent, uintptr) {
	var out []Extent
	for _, e := range m {
		if e.Start >= start && len(out) < 32 {
			out = append(out, e)
		}
	}
	return out, 0
}

// Blocks pages through a file's extent map (longhorn-engine's
// LoadDiffDiskLocationList over FIEMAP): each call goes on where the last
// page ended (start is set from the page), and the loop leaves on an
// error, an empty page or the last extent: a walk of its input, no fact.
// Zero in patterns/loopexits/parse, whose candidate is stepped rather
// than taken from the call's result, keeps its fact.
func Blocks(m []Extent) (n int64, errno uintptr) {
	start := int64(0)
	for {
		page, errno := extents(m, start)
		if errno != 0 {
			return n, errno
		}
		if len(page) == 0 {
			return n, 0
		}
		for _, e := range page {
			n += e.Len
			if e.Last {
				return n, 0
			}
		}
		start = page[len(page)-1].Start + page[len(page)-1].Len
	}
}

// Node is a node of a finite tree.
type Node struct {
	Parent *Node
	idle   int
}

// HasIdle reports whether the node has an idle slot.
func (n *Node) HasIdle() bool { return n.idle > 0 }

// Nearest walks up from each start, breadth first, to the first node with
// an idle slot (bb-remote-execution's task.schedule): every pass moves each
// cursor to its parent and the walk leaves at the root, so it ends with
// the tree. No fact.
func Nearest(starts []*Node) *Node {
	for {
		for i, n := range starts {
			if n.HasIdle() {
				return n
			}
			if n.Parent == nil {
				return nil
			}
			starts[i] = n.Parent
		}
	}
}

// AwaitIdle polls the same nodes until one has an idle slot: it waits for
// another goroutine, and has the fact.
func AwaitIdle(starts []*Node) *Node { // want AwaitIdle:`blindLoop\(polling loop in AwaitIdle`
	for {
		for _, n := range starts {
			if n.HasIdle() {
				return n
			}
		}
		time.Sleep(time.Millisecond)
	}
}
