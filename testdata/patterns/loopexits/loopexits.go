// Package loopexits: loops whose exit test comes first, and polls with a
// wall-clock deadline of their own (validation classes V1 and V6).
package loopexits

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"example.com/fixtures/patterns/loopexits/parse"
	"example.com/fixtures/patterns/loopexits/snap"
	"example.com/fixtures/pb/echo"
)

type lexer struct {
	toks []string
	pos  int
}

func (l *lexer) eof() bool { return l.pos >= len(l.toks) }
func (l *lexer) next()     { l.pos++ }

type srv struct {
	echo.UnimplementedEchoServer
	ready atomic.Bool
	peak  atomic.Int64
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	l := &lexer{toks: strings.Fields(in.Text)}
	// Silent: for { if l.eof() { break }; ... } is for !l.eof() { ... }, a
	// walk of the request's input (spicedb's schema parser).
	for {
		if l.eof() {
			break
		}
		l.next()
	}
	// Silent: the same with a labeled break, as parsers write it.
Tokens:
	for {
		if l.eof() {
			break Tokens
		}
		l.next()
	}
	// Silent: a poll with a deadline of its own ends by itself (argo-cd's
	// waitSync).
	deadline := time.Now().Add(2 * time.Second)
	for {
		if s.ready.Load() {
			break
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Reported: the same poll without a deadline.
	for { // want `polling loop in handler Unary never checks ctx`
		if s.ready.Load() {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Silent: an optimistic update whose CompareAndSwap is an operand of
	// || (seaweedfs' in-flight peak).
	cur := int64(len(in.Text))
	for {
		peak := s.peak.Load()
		if cur <= peak || s.peak.CompareAndSwap(peak, cur) {
			break
		}
	}
	// Reported: the same loop spinning on a flag instead.
	for { // want `loop in handler Unary never checks ctx`
		peak := s.peak.Load()
		if cur <= peak || s.ready.Load() {
			break
		}
	}
	// Reported: a search over candidates, its exit test first.
	n := 0
	for { // want `loop in handler Unary never checks ctx`
		if strings.HasSuffix(in.Text, strings.Repeat("0", n)) {
			break
		}
		n++
	}
	return in, nil
}

// exca is a constant table of (state, token) pairs, as goyacc generates
// its yyExca: a package array, never written.
var exca = [...]int16{-1, 1, 1, -1, -2, 0, -1, 7, 4, 5, -2, 3}

// seen is a package map: shared state whose size nothing bounds.
var seen = map[int]int16{}

// ServerStream scans tables with a counter (validation class V1, tempo's
// goyacc parser) and calls parse helpers (spicedb's schema parser).
func (s *srv) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	state := int16(len(in.Text))
	// Silent: the counter indexes an array on every iteration and is
	// stepped by a constant: past len(exca) the index panics, so the loop
	// is bounded by the table's length whatever its exit tests.
	xi := 0
	for {
		if exca[xi+0] == -1 && exca[xi+1] == state {
			break
		}
		xi += 2
	}
	// Reported: the same scan of a map, which has no end to run into.
	k := 0
	for { // want `loop in handler ServerStream never checks stream.Context\(\)`
		if seen[k] == -1 && seen[k+1] == state {
			break
		}
		k += 2
	}
	// Silent: parse.Path's loop leaves when a call says there is nothing
	// more to consume, so the helper has no fact.
	_ = parse.Path(in.Text)
	// Reported: parse.Find's loop leaves only when it finds a match.
	_ = parse.Find(in.Text) // want `call to parse.Find in handler ServerStream runs a loop in Find`
	// Silent: Line scans to the end marker its producer returns, and
	// Ancestors iterates path.Dir to a fixed point.
	_ = parse.New(in.Text).Line()
	_ = parse.Ancestors(in.Text)
	// Reported: searches for a candidate or a target.
	_ = parse.Zero(in.Text)          // want `call to parse.Zero in handler ServerStream runs a loop in Zero`
	_ = parse.Under(in.Text, "/srv") // want `call to parse.Under in handler ServerStream runs a loop in Under`
	// Silent: Sum ranges over a snapshot iterator's channel (a buffer
	// sized to the data, filled once and closed); Follow ranges over a
	// channel of changes that is never closed.
	m := &snap.Map{}
	_ = parse.Sum(m)
	_ = parse.Follow(m) // want `call to parse.Follow in handler ServerStream runs a loop over channel m.Watch\(\) in Follow`
	return nil
}

// Bidi holds, in handler scope, the loop that parse.Path has: reported
// here, since the handler's own loop is judged as it stands.
func (s *srv) Bidi(stream echo.Echo_BidiServer) error {
	p := parse.New(stream.Context().Value("q").(string))
	for { // want `loop in handler Bidi never checks stream.Context\(\)`
		if _, ok := p.Consume('/'); !ok {
			break
		}
	}
	return nil
}

// queue hands out what was put in it until it is empty.
type queue struct{ items []string }

func (q *queue) Dequeue() (string, bool) {
	if len(q.items) == 0 {
		return "", false
	}
	m := q.items[0]
	q.items = q.items[1:]
	return m, true
}

func (s *srv) write(m string) error {
	if !s.ready.Load() {
		return errors.New("not ready: " + m)
	}
	return nil
}

// ClientStream drains a queue, retrying each write.
func (s *srv) ClientStream(stream echo.Echo_ClientStreamServer) error {
	q := &queue{items: []string{"a"}}
	// Silent: the outer loop drains q until Dequeue says it is empty; its
	// only wait is in the retry loop inside, which is reported on its own.
	for m, ok := q.Dequeue(); ok; m, ok = q.Dequeue() {
		for { // want `polling loop in handler ClientStream never checks stream.Context\(\)`
			if s.write(m) == nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	// Reported: the same drain sleeping between items itself.
	for m, ok := q.Dequeue(); ok; m, ok = q.Dequeue() { // want `polling loop in handler ClientStream never checks stream.Context\(\)`
		_ = s.write(m)
		time.Sleep(time.Millisecond)
	}
	return nil
}
