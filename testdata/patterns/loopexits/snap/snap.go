// Package snap is a concurrent map in the style of concurrent-map: its
// IterBuffered returns a channel sized to hold a snapshot of the map,
// filled by goroutines and closed; its Watch returns a channel fed with
// every later change, for as long as the map lives. It takes no contexts.
package snap

import "sync"

type Tuple struct {
	Key string
	Val int
}

type shard struct {
	sync.RWMutex
	items map[string]int
}

// Map holds its items in shards.
type Map struct {
	shards  []*shard
	watches []chan Tuple
}

// IterBuffered returns a buffered channel holding a snapshot of the map:
// the fact snapshotChan.
func (m *Map) IterBuffered() <-chan Tuple { // want IterBuffered:`snapshotChan`
	chans := make([]chan Tuple, len(m.shards))
	total := 0
	for i, s := range m.shards {
		s.RLock()
		chans[i] = make(chan Tuple, len(s.items))
		for k, v := range s.items {
			chans[i] <- Tuple{k, v}
		}
		s.RUnlock()
		close(chans[i])
		total += cap(chans[i])
	}
	ch := make(chan Tuple, total)
	go fanIn(chans, ch)
	return ch
}

// fanIn has a blind loop's fact only because this fixture is in the
// module under analysis (a dependency's loops get none); nothing calls it
// but the goroutine IterBuffered starts.
func fanIn(chans []chan Tuple, out chan Tuple) { // want fanIn:`blindLoop\(loop over channel c in fanIn`
	for _, c := range chans {
		for t := range c {
			out <- t
		}
	}
	close(out)
}

// Watch returns a channel that gets every later change and is never
// closed: no fact.
func (m *Map) Watch() <-chan Tuple {
	ch := make(chan Tuple, 16)
	m.watches = append(m.watches, ch)
	return ch
}
