// Package hashsearch is the workload of the HashFinder service: a brute-force
// search for short strings whose base64 SHA-1 contains, within a Hamming
// distance, a target string.
//
// It reproduces the search of the gRPC cancellation example. Candidates are
// enumerated deterministically, shortest first, over [Alphabet]; each one is
// hashed with [Hash] and compared with [Distance]. The per-candidate work
// allocates nothing.
//
// The package holds no unbounded loop: [Candidates.Next] and
// [Searcher.Next] advance by one candidate and the caller owns the search
// loop, so the caller decides how it observes cancellation and its budget.
package hashsearch

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
)

// HashLen is the length of a hash as [Hash] writes it: the padded standard
// base64 encoding of a SHA-1 sum.
const HashLen = 28

// Hash writes the padded standard base64 encoding of the SHA-1 sum of
// candidate to dst.
func Hash(candidate []byte, dst *[HashLen]byte) {
	sum := sha1.Sum(candidate)
	base64.StdEncoding.Encode(dst[:], sum[:])
}

// Distance returns the smallest Hamming distance between target and a
// substring of hash of the same length, and whether that distance is at most
// maxDistance. When ok is false the distance is meaningless: the comparison
// of a window stops as soon as it exceeds maxDistance.
//
// A target longer than [HashLen] never matches; an empty target matches at
// distance 0.
func Distance(hash *[HashLen]byte, target []byte, maxDistance int) (distance int, ok bool) {
	if len(target) > HashLen || maxDistance < 0 {
		return 0, false
	}
	if maxDistance == 0 {
		// Exact substring search, the common case, is what bytes.Index does
		// fastest.
		return 0, bytes.Index(hash[:], target) >= 0
	}
	best, limit := -1, maxDistance
	for start := range HashLen - len(target) + 1 {
		window := hash[start : start+len(target)]
		d := 0
		for i, c := range target {
			if window[i] != c {
				d++
				if d > limit {
					break
				}
			}
		}
		if d > limit {
			continue
		}
		if d == 0 {
			return 0, true
		}
		// Only a strictly closer window can improve on this one.
		best, limit = d, d-1
	}
	return best, best >= 0
}
