package server

import (
	"context"

	"google.golang.org/grpc"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
)

// Server is the reference HashFinder: it stops searching soon after its RPC's
// context ends. See the package documentation.
type Server struct {
	hashfinderpb.UnimplementedHashFinderServer

	maxHashes uint64
	// checkMask is CheckEvery-1: the loops look at the context when
	// hashes&checkMask == 0. Benchmarks vary it.
	checkMask uint64
}

// New returns a reference Server.
func New(opts Options) (*Server, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return &Server{maxHashes: opts.MaxHashes, checkMask: CheckEvery - 1}, nil
}

// Find returns the first candidate whose hash matches the request. It answers
// codes.ResourceExhausted once the budget is spent, and codes.Canceled,
// codes.DeadlineExceeded or the shutdown status once its context ends.
func (s *Server) Find(ctx context.Context, req *hashfinderpb.FindRequest) (*hashfinderpb.Match, error) {
	q, err := parseQuery(req)
	if err != nil {
		return nil, err
	}
	meter := observe.MeterFrom(ctx)
	var search hashsearch.Searcher
	defer func() { meter.Store(search.Hashes()) }()
	for {
		// Every CheckEvery hashes, from the first: publish the count and
		// stop if the RPC is over.
		if search.Hashes()&s.checkMask == 0 {
			meter.Store(search.Hashes())
			if ctx.Err() != nil {
				return nil, contextError(ctx)
			}
		}
		if search.Hashes() >= s.maxHashes {
			return nil, budgetError(s.maxHashes)
		}
		if !search.Next() {
			return nil, exhaustedError(search.Hashes())
		}
		if d, ok := search.Match(q.target, q.maxDistance); ok {
			return newMatch(&search, d), nil
		}
	}
}

// FindRange streams every candidate whose hash matches the request. It ends
// with codes.ResourceExhausted once the budget is spent, with the status of
// its context once that ends, or with the error of a failed Send.
func (s *Server) FindRange(req *hashfinderpb.FindRequest, stream grpc.ServerStreamingServer[hashfinderpb.Match]) error {
	q, err := parseQuery(req)
	if err != nil {
		return err
	}
	ctx := stream.Context()
	meter := observe.MeterFrom(ctx)
	var search hashsearch.Searcher
	defer func() { meter.Store(search.Hashes()) }()
	for {
		// Every CheckEvery hashes, from the first: publish the count and
		// stop if the RPC is over.
		if search.Hashes()&s.checkMask == 0 {
			meter.Store(search.Hashes())
			if ctx.Err() != nil {
				return contextError(ctx)
			}
		}
		if search.Hashes() >= s.maxHashes {
			return budgetError(s.maxHashes)
		}
		if !search.Next() {
			return nil
		}
		if d, ok := search.Match(q.target, q.maxDistance); ok {
			if err := stream.Send(newMatch(&search, d)); err != nil {
				return sendError(err)
			}
		}
	}
}
