// Package loopboundedfor: bounded loops written as for {}: non-blocking drains, do-
// while iterators, sync.Cond waits, list walks, rune decoding, bounded
// retries, bufio reads until EOF. All silent.
package loopboundedfor

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"example.com/fixtures/pb/echo"
)

type node struct {
	next *node
	v    string
}

type srv struct {
	echo.UnimplementedEchoServer
	mu      sync.Mutex
	cond    *sync.Cond
	ready   bool
	pending chan string
	head    *node
	it      *iter
}

type iter struct{ n int }

func (i *iter) Next() bool { i.n++; return i.n < 10 }

var errTransient = errors.New("transient")

func try(s string) error { return nil }

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	var out []string
	// B1: non-blocking drain with select default.
	for {
		select {
		case m := <-s.pending:
			out = append(out, m)
			continue
		default:
		}
		break
	}
	// B2: do-while iterator.
	for ok := true; ok; ok = s.it.Next() {
		out = append(out, "x")
	}
	// B3: sync.Cond wait.
	s.mu.Lock()
	for !s.ready {
		s.cond.Wait()
	}
	s.mu.Unlock()
	// B4: linked list walk with for {}.
	for n := s.head; ; n = n.next {
		if n == nil {
			break
		}
		out = append(out, n.v)
	}
	// B5: utf8 decode loop.
	str := in.Text
	for {
		r, size := utf8.DecodeRuneInString(str)
		if size == 0 {
			break
		}
		_ = r
		str = str[size:]
	}
	// B6: bounded retry with attempt counter, local call w/o ctx.
	for attempt := 1; ; attempt++ {
		err := try(in.Text)
		if err == nil {
			break
		}
		if attempt == 3 {
			return nil, err
		}
		time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
	}
	// B7: bufio ReadRune until EOF, err checked via errors.Is then generic.
	br := bufio.NewReader(strings.NewReader(in.Text))
	for {
		r, _, err := br.ReadRune()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		_ = r
	}
	// B8: local channel drain in select default form, local chan.
	local := make(chan string, 10)
	local <- "a"
	close(local)
	for {
		select {
		case m, ok := <-local:
			if !ok {
				return &echo.Msg{Text: strings.Join(out, ",")}, nil
			}
			out = append(out, m)
		}
	}
}
