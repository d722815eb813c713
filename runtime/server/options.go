// Package server implements the HashFinder gRPC service twice over the same
// workload ([hashsearch.Searcher]):
//
//   - [Server], the reference: its search loops observe the RPC's context
//     every [CheckEvery] hashes, so a handler stops within a fraction of a
//     millisecond of a client cancel, a deadline or a server shutdown; and a
//     FindRange whose Send fails stops.
//   - [NaiveServer], the cancellation-blind counterpart: its loops never
//     look at the context and its FindRange ignores Send errors, so after a
//     cancel it keeps burning CPU until it finds a match or spends its budget.
//
// Both enforce a per-RPC work budget (codes.ResourceExhausted once spent) and
// publish their hash count on the [observe.Meter] in their context.
package server

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
)

// CheckEvery is how many hashes the handlers compute between two looks at
// the context (for [Server]) and between two publications of their count on
// the meter (both). At about 100 ns a hash it bounds the reaction to a
// cancel at about 0.1 ms, while the look itself costs well under 1% of the
// throughput; runtime/README.md has the measurements. It is a power of two so
// that the test in the loop is a mask.
const CheckEvery = 1024

// Options configures a Server or a NaiveServer.
type Options struct {
	// MaxHashes is the work budget of one RPC: a handler that has computed
	// this many hashes without finishing answers codes.ResourceExhausted.
	// It must be positive.
	MaxHashes uint64
}

func (o Options) validate() error {
	if o.MaxHashes == 0 {
		return errors.New("server options: MaxHashes must be positive")
	}
	return nil
}

// query is a validated FindRequest.
type query struct {
	target      []byte
	maxDistance int
}

func parseQuery(req *hashfinderpb.FindRequest) (query, error) {
	target := req.GetTarget()
	if target == "" || len(target) > hashsearch.HashLen {
		return query{}, status.Errorf(codes.InvalidArgument, "target must be 1 to %d characters, got %d", hashsearch.HashLen, len(target))
	}
	return query{target: []byte(target), maxDistance: int(req.GetMaxDistance())}, nil
}

// newMatch describes the current candidate of s, at distance from the target.
func newMatch(s *hashsearch.Searcher, distance int) *hashfinderpb.Match {
	return &hashfinderpb.Match{
		Secret:   string(s.Secret()),
		Hash:     string(s.Hash()),
		Distance: uint32(distance),
		Hashes:   s.Hashes(),
	}
}

// budgetError is the answer of a handler that spent its budget.
func budgetError(maxHashes uint64) error {
	return status.Errorf(codes.ResourceExhausted, "work budget of %d hashes spent", maxHashes)
}

// exhaustedError is the answer of a Find that ran out of candidates, which
// the budget makes unreachable in practice.
func exhaustedError(hashes uint64) error {
	return status.Errorf(codes.NotFound, "no match among all %d candidates", hashes)
}

// contextError is the status for an RPC whose context has ended: the cause
// when it is a gRPC status (a server shutdown sets codes.Unavailable),
// otherwise codes.Canceled or codes.DeadlineExceeded.
func contextError(ctx context.Context) error {
	if cause := context.Cause(ctx); cause != nil {
		if st, ok := status.FromError(cause); ok {
			return st.Err()
		}
	}
	return status.FromContextError(ctx.Err()).Err()
}

// sendError wraps the error of a failed Send, keeping its status code.
func sendError(err error) error {
	return fmt.Errorf("send match: %w", err)
}
