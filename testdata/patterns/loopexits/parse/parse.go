// Package parse holds helpers that loop over their input without a
// context: the ctxloop fact is given to a search, not to a parser's walk
// over its tokens (validation class V1).
package parse

import (
	"crypto/sha256"
	"path"
	"strings"

	"example.com/fixtures/patterns/loopexits/snap"
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

// eof is what Next returns at the end of the input.
const eof = -1

// Next returns the next byte of the input, or eof.
func (p *Parser) Next() int {
	if p.pos >= len(p.in) {
		return eof
	}
	p.pos++
	return int(p.in[p.pos-1])
}

// Line returns the rest of the line: no fact, since the loop leaves when
// Next, whose arguments do not change in the loop, returns the constant
// that marks the end of its input (a lexer's scan to EOF or a newline).
func (p *Parser) Line() string {
	start := p.pos
	for {
		c := p.Next()
		if c == eof || c == '\n' {
			return p.in[start:p.pos]
		}
	}
}

// Zero searches for a count whose sum is zero: the call tested is given
// the candidate the loop steps, so it is a search, and has the fact.
func Zero(prefix string) int { // want Zero:`blindLoop\(loop in Zero`
	n := 0
	for {
		if sum(prefix, n) == 0 {
			return n
		}
		n++
	}
}

func sum(prefix string, n int) byte {
	h := sha256.Sum256([]byte(prefix + strings.Repeat("x", n)))
	return h[0]
}

// Ancestors walks a path up to its root: no fact, since the loop iterates
// path.Dir to its fixed point (the call is given s, its result is
// compared with s, then becomes s).
func Ancestors(s string) []string {
	var out []string
	for {
		parent := path.Dir(s)
		if parent == s {
			break
		}
		out = append(out, parent)
		s = parent
	}
	return out
}

// Under walks up until it meets root, which it may never do (root is not
// an ancestor of s): a search for a target, and a fact.
func Under(s, root string) bool { // want Under:`blindLoop\(loop in Under`
	for {
		parent := path.Dir(s)
		if parent == root {
			return true
		}
		s = parent
	}
}

// Sum ranges over a snapshot of the map: no fact, the range ends with the
// snapshot.
func Sum(m *snap.Map) int {
	n := 0
	for t := range m.IterBuffered() {
		n += t.Val
	}
	return n
}

// Follow ranges over the map's changes, which never end: a fact.
func Follow(m *snap.Map) int { // want Follow:`blindLoop\(loop over channel m.Watch\(\) in Follow`
	n := 0
	for t := range m.Watch() {
		n += t.Val
	}
	return n
}
