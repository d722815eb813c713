package hashsearch

// Searcher walks [Candidates] and hashes each one, counting hashes. The
// caller drives it, one candidate per call to Next:
//
//	var s hashsearch.Searcher
//	for s.Next() {
//		if d, ok := s.Match(target, maxDistance); ok {
//			// s.Secret(), s.Hash(), d
//		}
//	}
//
// The loop above never ends on a target that cannot match; a caller serving
// an RPC must bound it by a budget and by the RPC's context.
//
// The zero value is ready to use.
type Searcher struct {
	candidates Candidates
	hash       [HashLen]byte
	hashes     uint64
}

// Next advances to the next candidate and hashes it. It reports false, and
// hashes nothing, once the candidates are exhausted.
func (s *Searcher) Next() bool {
	if !s.candidates.Next() {
		return false
	}
	Hash(s.candidates.Bytes(), &s.hash)
	s.hashes++
	return true
}

// Match compares the hash of the current candidate with target, as
// [Distance] does.
func (s *Searcher) Match(target []byte, maxDistance int) (distance int, ok bool) {
	return Distance(&s.hash, target, maxDistance)
}

// Secret returns the current candidate. The slice is valid until the next
// call to Next and must not be modified.
func (s *Searcher) Secret() []byte {
	return s.candidates.Bytes()
}

// Hash returns the hash of the current candidate. The slice is valid until
// the next call to Next and must not be modified.
func (s *Searcher) Hash() []byte {
	return s.hash[:]
}

// Hashes returns how many candidates Next has hashed.
func (s *Searcher) Hashes() uint64 {
	return s.hashes
}
