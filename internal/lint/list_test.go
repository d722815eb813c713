package lint

import (
	"slices"
	"testing"
)

func TestList(t *testing.T) {
	for _, n := range []int{0, 1, listChunk - 1, listChunk, listChunk + 1, 5*listChunk + 7} {
		var l List[int]
		var want []int
		for i := range n {
			if i%3 == 0 {
				l.Append(i, -i) // several at once may cross a chunk
				want = append(want, i, -i)
			} else {
				l.Append(i)
				want = append(want, i)
			}
		}
		if got := l.Slice(); l.Len() != len(want) || !slices.Equal(got, want) {
			t.Errorf("n=%d: Len %d, Slice %v; want %v", n, l.Len(), got, want)
		}
		for i, c := range l.chunks[:max(len(l.chunks)-1, 0)] {
			if len(c) != listChunk {
				t.Fatalf("n=%d: chunk %d holds %d: every chunk but the last holds %d, so no Append copies more than that", n, i, len(c), listChunk)
			}
		}
	}
}
