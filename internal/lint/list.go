package lint

// A List collects what a package-wide walk finds, step by step, without
// ever moving what it holds: it grows by chunks of a fixed size, so every
// Append costs the same however long the list is. A slice's growth copies
// everything collected so far when its length crosses a power of two:
// linear in total, but charged in one go to the step that crosses it, and
// in a package of a million lines (aws-sdk-go-v2's service/ec2: 27,000
// static calls to the package's own functions) one such copy, with the
// fresh memory it faults in, costs a 50-statement function 20 times its
// share (eval/scale.sh's per-function outliers, issue 16). The zero List
// is empty and ready to use.
type List[T any] struct {
	chunks [][]T
	n      int
}

const listChunk = 256 // elements per chunk: the most one Append copies

// Append adds v at the end of l.
func (l *List[T]) Append(v ...T) {
	for _, v := range v {
		if len(l.chunks) == 0 || len(l.chunks[len(l.chunks)-1]) == listChunk {
			l.chunks = append(l.chunks, nil) // a full chunk is never appended to again
		}
		last := &l.chunks[len(l.chunks)-1]
		*last = append(*last, v) // grows like a slice up to listChunk: a small list costs what a slice does
		l.n++
	}
}

// Len returns the number of elements of l.
func (l *List[T]) Len() int { return l.n }

// Slice returns l's elements in order as one slice, for the work after
// the walk (sorting, fixed points over the whole list).
func (l *List[T]) Slice() []T {
	s := make([]T, 0, l.n)
	for _, c := range l.chunks {
		s = append(s, c...)
	}
	return s
}
