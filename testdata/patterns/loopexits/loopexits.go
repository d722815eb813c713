// Package loopexits: loops whose exit test comes first, and polls with a
// wall-clock deadline of their own (validation classes V1 and V6).
package loopexits

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

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
