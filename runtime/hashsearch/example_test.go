package hashsearch_test

import (
	"fmt"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
)

// The caller owns the loop and bounds it; here by a fixed number of hashes.
func ExampleSearcher() {
	var s hashsearch.Searcher
	target := []byte("do")
	for range 100000 {
		if !s.Next() {
			break
		}
		if d, ok := s.Match(target, 0); ok {
			fmt.Printf("%s %s distance=%d hashes=%d\n", s.Secret(), s.Hash(), d, s.Hashes())
			return
		}
	}
	fmt.Println("no match")
	// Output: d PDY4Ns9OFmZmaaJdooChhlwtKHQ= distance=0 hashes=40
}
