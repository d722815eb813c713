package fixturetest

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
)

// CheckFactsStable runs run twice and checks the object facts each action
// exports for its own package: every one gob-encodes, to the same bytes on
// both runs, in at most maxBytes; both runs export the same facts. It
// returns how many facts of each type (%T) the first run exported.
func CheckFactsStable(t testing.TB, run func() []*checker.Action, maxBytes int) map[string]int {
	t.Helper()
	first, second := encodeFacts(t, run()), encodeFacts(t, run())
	kinds := make(map[string]int)
	largest := 0
	for key, f := range first {
		kinds[f.kind]++
		largest = max(largest, len(f.bytes))
		if !bytes.Equal(f.bytes, second[key].bytes) {
			t.Errorf("fact %s differs between runs", key)
		}
		if len(f.bytes) > maxBytes {
			t.Errorf("fact %s is %d bytes, more than %d", key, len(f.bytes), maxBytes)
		}
	}
	if len(second) != len(first) {
		t.Errorf("%d facts in the first run, %d in the second", len(first), len(second))
	}
	t.Logf("%d facts %v, the largest %d bytes", len(first), kinds, largest)
	return kinds
}

type encodedFact struct {
	kind  string
	bytes []byte
}

// encodeFacts gob-encodes the facts the actions export for their own
// packages, keyed by package, object, file, line and fact type.
func encodeFacts(t testing.TB, acts []*checker.Action) map[string]encodedFact {
	t.Helper()
	out := make(map[string]encodedFact)
	for _, r := range acts {
		for _, of := range r.AllObjectFacts() {
			obj, f := of.Object, of.Fact
			if obj.Pkg() != r.Package.Types {
				continue
			}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(f); err != nil {
				t.Fatalf("fact %s of %s does not gob-encode: %v", f, obj, err)
			}
			p := r.Package.Fset.Position(obj.Pos())
			kind := reflect.TypeOf(f).String()
			key := fmt.Sprintf("%s.%s@%s:%d %s", r.Package.Types.Path(), obj.Name(), filepath.Base(p.Filename), p.Line, kind)
			out[key] = encodedFact{kind, buf.Bytes()}
		}
	}
	return out
}
