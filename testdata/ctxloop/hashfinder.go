// Package ctxloop holds the fixtures of the ctxloop analyzer, built on the
// HashFinder reference service's generated code and workload.
package ctxloop

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
)

// blindFinder searches without ever looking at its context.
type blindFinder struct {
	hashfinderpb.UnimplementedHashFinderServer
}

func (blindFinder) Find(ctx context.Context, req *hashfinderpb.FindRequest) (*hashfinderpb.Match, error) {
	var s hashsearch.Searcher
	for { // want `loop in handler Find never checks ctx, so it keeps running after the RPC is cancelled or its deadline passes; check ctx.Err\(\) or select on ctx.Done\(\) in the loop`
		if !s.Next() {
			return nil, status.Error(codes.NotFound, "no match")
		}
		if d, ok := s.Match([]byte(req.Target), int(req.MaxDistance)); ok {
			return &hashfinderpb.Match{Secret: string(s.Secret()), Distance: uint32(d)}, nil
		}
	}
}

func (blindFinder) FindRange(req *hashfinderpb.FindRequest, stream grpc.ServerStreamingServer[hashfinderpb.Match]) error {
	var s hashsearch.Searcher
	for { // want `loop in handler FindRange never checks stream.Context\(\) \(the error of stream.Send is ignored\)`
		if !s.Next() {
			return nil
		}
		if d, ok := s.Match([]byte(req.Target), int(req.MaxDistance)); ok {
			_ = stream.Send(&hashfinderpb.Match{Secret: string(s.Secret()), Distance: uint32(d)})
		}
	}
}

// checkedFinder is the correct twin: it checks every 1024 candidates
// (cheap), and its stream loop returns when Send fails.
type checkedFinder struct {
	hashfinderpb.UnimplementedHashFinderServer
}

func (checkedFinder) Find(ctx context.Context, req *hashfinderpb.FindRequest) (*hashfinderpb.Match, error) {
	var s hashsearch.Searcher
	// Silent: a check every 1024th iteration observes cancellation.
	for {
		if s.Hashes()%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, status.FromContextError(err).Err()
			}
		}
		if !s.Next() {
			return nil, status.Error(codes.NotFound, "no match")
		}
		if d, ok := s.Match([]byte(req.Target), int(req.MaxDistance)); ok {
			return &hashfinderpb.Match{Secret: string(s.Secret()), Distance: uint32(d)}, nil
		}
	}
}

func (checkedFinder) FindRange(req *hashfinderpb.FindRequest, stream grpc.ServerStreamingServer[hashfinderpb.Match]) error {
	var s hashsearch.Searcher
	// Silent: the error of Send leaves the loop.
	for {
		s.Next()
		if d, ok := s.Match([]byte(req.Target), int(req.MaxDistance)); ok {
			if err := stream.Send(&hashfinderpb.Match{Secret: string(s.Secret()), Distance: uint32(d)}); err != nil {
				return err
			}
		}
	}
}

// condFinder's loop condition is the check: silent.
type condFinder struct {
	hashfinderpb.UnimplementedHashFinderServer
}

func (condFinder) Find(ctx context.Context, req *hashfinderpb.FindRequest) (*hashfinderpb.Match, error) {
	var s hashsearch.Searcher
	for ctx.Err() == nil {
		s.Next()
		if d, ok := s.Match([]byte(req.Target), int(req.MaxDistance)); ok {
			return &hashfinderpb.Match{Secret: string(s.Secret()), Distance: uint32(d)}, nil
		}
	}
	return nil, status.FromContextError(ctx.Err()).Err()
}
