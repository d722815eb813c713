package ctxdetach_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestFields checks handlers that reach upstream calls on contexts held in
// struct fields (the model's field origins) and through a context-less
// interface method whose implementations here all have the detachedCall
// fact: a field set from context.Background() is reported, a component's
// lifetime with its cancel function kept, a request context, an exported
// constructor's parameter and an interface with a quiet implementation are
// not.
func TestFields(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/fields")
}

// TestFieldsFactsDeterministic checks that the detachedCall facts of the
// field fixture, an interface method's among them, are the same bytes on
// two runs, and small.
func TestFieldsFactsDeterministic(t *testing.T) {
	t.Parallel()
	encode := func() map[string][]byte {
		out := make(map[string][]byte)
		for _, r := range fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/fields") {
			for _, of := range r.AllObjectFacts() {
				if of.Object.Pkg() != r.Package.Types {
					continue
				}
				var buf bytes.Buffer
				if err := gob.NewEncoder(&buf).Encode(of.Fact); err != nil {
					t.Fatalf("fact %s of %s does not gob-encode: %v", of.Fact, of.Object, err)
				}
				out[fmt.Sprint(of.Object)] = buf.Bytes()
			}
		}
		return out
	}
	first, second := encode(), encode()
	if len(first) < 3 {
		t.Fatalf("only %d facts on the fixture", len(first))
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("fact of %s differs between runs", name)
		}
		if len(b) > 400 {
			t.Errorf("fact of %s is %d bytes", name, len(b))
		}
	}
	if len(second) != len(first) {
		t.Errorf("%d facts in the first run, %d in the second", len(first), len(second))
	}
}

// TestDropped checks handlers that never use their request context: a
// context a helper makes detached, or a fallible call without evidence
// of outbound work, is reported there; a logger, a kept lifetime, a
// goroutine, and a handler that uses its context elsewhere are not.
func TestDropped(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, ctxdetach.Analyzer, "./ctxdetach/dropped")
}
