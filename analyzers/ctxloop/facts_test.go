package ctxloop_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestFacts checks that ctxloop's facts (blindLoop, blocks) are small and
// deterministic: two runs export the same bytes, each fact is at most a few
// hundred bytes, and both kinds occur on the fixtures.
func TestFacts(t *testing.T) {
	t.Parallel()
	encode := func() map[string][]byte {
		out := make(map[string][]byte)
		for _, r := range fixturetest.Run(t, ctxloop.Analyzer, "./ctxloop", "./ctxloop/helpers") {
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
				key := fmt.Sprintf("%s.%s@%s:%d %T", r.Package.Types.Path(), obj.Name(), filepath.Base(p.Filename), p.Line, f)
				out[key] = buf.Bytes()
			}
		}
		return out
	}
	first, second := encode(), encode()
	kinds := map[string]int{}
	largest := 0
	for name, b := range first {
		kinds[name[strings.LastIndex(name, " ")+1:]]++
		largest = max(largest, len(b))
		if !bytes.Equal(b, second[name]) {
			t.Errorf("fact %s differs between runs", name)
		}
		// A kind, two names, a description capped at 80 bytes and a
		// location whose file path is the longest part.
		if len(b) > 600 {
			t.Errorf("fact %s is %d bytes", name, len(b))
		}
	}
	if len(second) != len(first) {
		t.Errorf("%d facts in the first run, %d in the second", len(first), len(second))
	}
	for _, k := range []string{"*ctxloop.blindLoop", "*ctxloop.blocks"} {
		if kinds[k] < 3 {
			t.Errorf("%d facts of type %s on the fixtures, want at least 3", kinds[k], k)
		}
	}
	t.Logf("%d facts (%v), the largest %d bytes", len(first), kinds, largest)
}
