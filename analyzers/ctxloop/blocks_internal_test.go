package ctxloop

import (
	"strings"
	"testing"
)

// TestCapWhat: a fact's description stays within maxWhat bytes whatever
// the length of the channel expression it names.
func TestCapWhat(t *testing.T) {
	for _, n := range []int{0, maxWhat - 1, maxWhat, maxWhat + 1, 10 * maxWhat} {
		s := "send on " + strings.Repeat("x", n)
		got := capWhat(s)
		if len(got) > maxWhat {
			t.Errorf("capWhat of %d bytes: %d bytes", len(s), len(got))
		}
		if len(s) <= maxWhat && got != s {
			t.Errorf("capWhat changed a short description: %q", got)
		}
	}
}
