package hashsearch

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// referenceHash is the hash of candidate computed the obvious way.
func referenceHash(candidate []byte) string {
	sum := sha1.Sum(candidate)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// referenceDistance is the smallest Hamming distance between target and a
// substring of hash, or -1 when target is longer than hash.
func referenceDistance(hash, target string) int {
	best := -1
	for start := range len(hash) - len(target) + 1 {
		d := 0
		for i := range len(target) {
			if hash[start+i] != target[i] {
				d++
			}
		}
		if best < 0 || d < best {
			best = d
		}
	}
	return best
}

func TestHashLen(t *testing.T) {
	if got := base64.StdEncoding.EncodedLen(sha1.Size); got != HashLen {
		t.Fatalf("base64 of a SHA-1 sum is %d bytes, HashLen is %d", got, HashLen)
	}
}

func TestHash(t *testing.T) {
	for _, in := range []string{"", "0", "a", "doctor", "zzzzzzzzzzzzzzzz", strings.Repeat("x", 100)} {
		var got [HashLen]byte
		Hash([]byte(in), &got)
		if want := referenceHash([]byte(in)); string(got[:]) != want {
			t.Errorf("Hash(%q) = %s, want %s", in, got[:], want)
		}
	}
}

func TestDistanceAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "ABCD+/=" // a small alphabet makes near matches frequent
	for range 20000 {
		var hash [HashLen]byte
		for i := range hash {
			hash[i] = chars[rng.IntN(len(chars))]
		}
		target := make([]byte, 1+rng.IntN(8))
		for i := range target {
			target[i] = chars[rng.IntN(len(chars))]
		}
		maxDistance := rng.IntN(4)
		want := referenceDistance(string(hash[:]), string(target))
		got, ok := Distance(&hash, target, maxDistance)
		if ok != (want <= maxDistance) {
			t.Fatalf("Distance(%s, %s, %d) ok = %v, reference distance %d", hash[:], target, maxDistance, ok, want)
		}
		if ok && got != want {
			t.Fatalf("Distance(%s, %s, %d) = %d, reference %d", hash[:], target, maxDistance, got, want)
		}
	}
}

func TestDistanceEdges(t *testing.T) {
	var hash [HashLen]byte
	Hash([]byte("doctor"), &hash)
	tests := []struct {
		name        string
		target      string
		maxDistance int
		want        int
		wantOK      bool
	}{
		{"empty target", "", 0, 0, true},
		{"whole hash", string(hash[:]), 0, 0, true},
		{"longer than hash", string(hash[:]) + "A", 28, 0, false},
		{"negative max distance", "A", -1, 0, false},
		{"characters outside base64", "!!!!!!", 5, 0, false},
		{"characters outside base64, distance allows all", "!!!!!!", 6, 6, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Distance(&hash, []byte(tt.target), tt.maxDistance)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("Distance(%s, %q, %d) = %d, %v; want %d, %v", hash[:], tt.target, tt.maxDistance, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// referenceCandidate returns the candidate at index k (0-based) of the
// enumeration: shortest first, then the index written in base len(Alphabet).
func referenceCandidate(k int) string {
	length, count := 1, len(Alphabet)
	for range MaxLen {
		if k < count {
			break
		}
		k -= count
		length++
		count *= len(Alphabet)
	}
	out := make([]byte, length)
	for i := range length {
		out[length-1-i] = Alphabet[k%len(Alphabet)]
		k /= len(Alphabet)
	}
	return string(out)
}

func TestCandidatesOrder(t *testing.T) {
	var c Candidates
	const n = 62 + 62*62 + 10000
	for k := range n {
		if !c.Next() {
			t.Fatalf("Next() = false at candidate %d", k)
		}
		if got, want := string(c.Bytes()), referenceCandidate(k); got != want {
			t.Fatalf("candidate %d = %q, want %q", k, got, want)
		}
	}
}

func TestCandidatesSpotChecks(t *testing.T) {
	var c Candidates
	var got []string
	for range 64 {
		c.Next()
		got = append(got, string(c.Bytes()))
	}
	if got[0] != "0" || got[61] != "z" || got[62] != "00" || got[63] != "01" {
		t.Errorf("candidates 0, 61, 62, 63 = %q, %q, %q, %q; want \"0\", \"z\", \"00\", \"01\"", got[0], got[61], got[62], got[63])
	}
}

func TestCandidatesExhaust(t *testing.T) {
	// Position the odometer on the last candidate: MaxLen times the last
	// character of the alphabet.
	c := Candidates{n: MaxLen}
	for i := range MaxLen {
		c.digits[i] = uint8(len(Alphabet) - 1)
		c.buf[i] = Alphabet[len(Alphabet)-1]
	}
	if c.Next() {
		t.Fatalf("Next() after the last candidate = true, candidate %q", c.Bytes())
	}
	if c.Next() {
		t.Fatalf("Next() after exhaustion = true, candidate %q", c.Bytes())
	}
}

func TestSearcherFindsFirstMatch(t *testing.T) {
	for _, target := range []string{"do", "Go", "+/"} {
		t.Run(target, func(t *testing.T) {
			// The first match according to the reference implementation.
			want := -1
			for k := range 1 << 20 {
				if strings.Contains(referenceHash([]byte(referenceCandidate(k))), target) {
					want = k
					break
				}
			}
			if want < 0 {
				t.Fatalf("no candidate among the first 2^20 contains %q", target)
			}
			var s Searcher
			for range want + 1 {
				if !s.Next() {
					t.Fatal("Next() = false")
				}
				if _, ok := s.Match([]byte(target), 0); ok {
					break
				}
			}
			if got := s.Hashes(); got != uint64(want+1) {
				t.Fatalf("first match after %d hashes, want %d", got, want+1)
			}
			d, ok := s.Match([]byte(target), 0)
			if !ok || d != 0 {
				t.Fatalf("Match(%q, 0) = %d, %v; want 0, true", target, d, ok)
			}
			secret := s.Secret()
			if string(secret) != referenceCandidate(want) {
				t.Errorf("Secret() = %q, want %q", secret, referenceCandidate(want))
			}
			if got, want := string(s.Hash()), referenceHash(secret); got != want {
				t.Errorf("Hash() = %s, want %s", got, want)
			}
			if !bytes.Contains(s.Hash(), []byte(target)) {
				t.Errorf("Hash() = %s does not contain %q", s.Hash(), target)
			}
		})
	}
}

func TestSearcherAllocatesNothing(t *testing.T) {
	var s Searcher
	target := []byte("doctor")
	allocs := testing.AllocsPerRun(10000, func() {
		s.Next()
		s.Match(target, 1)
	})
	if allocs != 0 {
		t.Errorf("Next+Match allocates %.1f times per candidate, want 0", allocs)
	}
}
