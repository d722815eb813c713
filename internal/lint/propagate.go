package lint

// Propagate calls step on every item, round after round, until a whole
// round changes nothing: the fixed point of the facts a package derives
// from its own functions (a helper's fact comes from its callee's, which may
// come later in the list). step reports whether it changed anything; it
// must change each item a bounded number of times.
func Propagate[T any](items []T, step func(T) bool) {
	for changed := true; changed; {
		changed = false
		for _, it := range items {
			if step(it) {
				changed = true
			}
		}
	}
}
