package analyzerdoc

import (
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	good := []byte("// Package p does things.\n//\n// # Analyzer p\n//\n// p: check things\n//\n// Body.\n//\n// # Flags\n//\n// None.\npackage p\n")
	if got, want := Extract(good, "p"), "p: check things\n\nBody."; got != want {
		t.Errorf("Extract = %q, want %q", got, want)
	}
	if msg := Check(good, "p"); msg != "" {
		t.Errorf("Check of a good doc.go: %s", msg)
	}
	// Malformed doc.go files give a usable text and never panic.
	for _, tc := range []struct{ content, want, check string }{
		{"package p\n", "p: (no documentation)", "no package comment"},
		{"// Package p does things.\npackage p\n", "p: Package p does things.", "lacks"},
		{"// # Analyzer p\n//\n// no title line\npackage p\n", "p: # Analyzer p\n\nno title line", "lacks"},
		{"not go", "p: (no documentation)", "no package comment"},
	} {
		if got := Extract([]byte(tc.content), "p"); got != tc.want {
			t.Errorf("Extract(%q) = %q, want %q", tc.content, got, tc.want)
		}
		if msg := Check([]byte(tc.content), "p"); !strings.Contains(msg, tc.check) {
			t.Errorf("Check(%q) = %q, want it to say %q", tc.content, msg, tc.check)
		}
	}
}
