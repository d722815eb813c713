package hashsearch

// Alphabet holds the characters candidates are made of, in enumeration order.
const Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// MaxLen is the length of the longest candidate. At a few million hashes per
// second and core, enumerating every candidate of this length takes longer
// than the age of the universe, so in practice [Candidates] never runs out.
const MaxLen = 16

// Candidates enumerates every string over [Alphabet] of length 1 to [MaxLen],
// shortest first and, within a length, in lexicographic order of the
// alphabet ("0", "1", …, "z", "00", "01", …). It works like an odometer whose
// last wheel turns fastest.
//
// The zero value is ready to use and positioned before the first candidate.
type Candidates struct {
	digits [MaxLen]uint8 // digits[i] is the index in Alphabet of buf[i].
	buf    [MaxLen]byte
	n      int // length of the current candidate; 0 before the first one.
	done   bool
}

// Next advances to the next candidate and reports whether there is one.
func (c *Candidates) Next() bool {
	if c.done {
		return false
	}
	// Turn the wheels from the last one; a wheel that wraps carries into the
	// one before it.
	for k := range c.n {
		i := c.n - 1 - k
		if int(c.digits[i])+1 < len(Alphabet) {
			c.digits[i]++
			c.buf[i] = Alphabet[c.digits[i]]
			return true
		}
		c.digits[i] = 0
		c.buf[i] = Alphabet[0]
	}
	// Every wheel wrapped (or none existed yet): all wheels now show the
	// first character, so one more wheel gives the first candidate one
	// character longer.
	if c.n == MaxLen {
		c.done = true
		return false
	}
	c.digits[c.n] = 0
	c.buf[c.n] = Alphabet[0]
	c.n++
	return true
}

// Bytes returns the current candidate. The slice aliases the enumerator's
// buffer: it is valid until the next call to Next and must not be modified.
func (c *Candidates) Bytes() []byte {
	return c.buf[:c.n]
}
