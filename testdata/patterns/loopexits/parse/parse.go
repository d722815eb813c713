// Package parse holds helpers that loop over their input without a
// context: the ctxloop fact is given to a search, not to a parser's walk
// over its tokens (validation class V1).
package parse

import (
	"crypto/sha256"
	"strings"
)

// Parser hands out the bytes of its input one by one.
type Parser struct {
	in  string
	pos int
}

func New(in string) *Parser { return &Parser{in: in} }

// Consume returns the next byte and true when it is not stop and the input
// is not at its end.
func (p *Parser) Consume(stop byte) (byte, bool) {
	if p.pos >= len(p.in) || p.in[p.pos] == stop {
		return 0, false
	}
	p.pos++
	return p.in[p.pos-1], true
}

// Skip reports whether it skipped a separator.
func (p *Parser) Skip(sep byte) bool {
	if p.pos < len(p.in) && p.in[p.pos] == sep {
		p.pos++
		return true
	}
	return false
}

// Path parses segments separated by '/': no fact, since each loop leaves
// when a call reports that there is nothing more to consume (the comma-ok
// result false, a false result), the way a parser consumes its input.
func Path(in string) []string {
	p := New(in)
	var segs []string
	for {
		var b strings.Builder
		for {
			c, ok := p.Consume('/')
			if !ok {
				break
			}
			b.WriteByte(c)
		}
		segs = append(segs, b.String())
		if !p.Skip('/') {
			break
		}
	}
	return segs
}

// Find searches for a suffix whose hash starts with a zero byte: a search
// that leaves only when it finds one, however many candidates that takes.
func Find(prefix string) string { // want Find:`blindLoop\(loop in Find`
	p := New(prefix)
	s := ""
	for {
		if _, ok := match(s); ok {
			return s
		}
		s += "x"
		p.Skip('x')
	}
}

func match(s string) (int, bool) {
	h := sha256.Sum256([]byte(s))
	return int(h[1]), h[0] == 0
}
