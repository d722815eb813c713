package server

import (
	"context"

	"google.golang.org/grpc"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
)

// NaiveServer is the cancellation-blind HashFinder: the same search as
// [Server] with the looks at the context left out, and a FindRange that
// ignores failed Sends. Once its RPC is cancelled it keeps computing until it
// finds a match or spends its budget. It exists to be measured and linted;
// do not serve it for real.
type NaiveServer struct {
	hashfinderpb.UnimplementedHashFinderServer

	maxHashes uint64
	// publishMask is CheckEvery-1: the loops publish their count on the
	// meter when hashes&publishMask == 0, as Server's do.
	publishMask uint64
}

// NewNaive returns a NaiveServer.
func NewNaive(opts Options) (*NaiveServer, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return &NaiveServer{maxHashes: opts.MaxHashes, publishMask: CheckEvery - 1}, nil
}

// Find returns the first candidate whose hash matches the request, or
// codes.ResourceExhausted once the budget is spent. It never looks at ctx
// except to find its meter.
func (s *NaiveServer) Find(ctx context.Context, req *hashfinderpb.FindRequest) (*hashfinderpb.Match, error) {
	q, err := parseQuery(req)
	if err != nil {
		return nil, err
	}
	meter := observe.MeterFrom(ctx)
	var search hashsearch.Searcher
	defer func() { meter.Store(search.Hashes()) }()
	for { // cancellation-blind on purpose
		if search.Hashes()&s.publishMask == 0 { // publish the count, nothing else
			meter.Store(search.Hashes())
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

// FindRange streams every candidate whose hash matches the request until the
// budget is spent. It ignores the errors of Send, so a cancelled stream does
// not stop it either.
func (s *NaiveServer) FindRange(req *hashfinderpb.FindRequest, stream grpc.ServerStreamingServer[hashfinderpb.Match]) error {
	q, err := parseQuery(req)
	if err != nil {
		return err
	}
	meter := observe.MeterFrom(stream.Context())
	var search hashsearch.Searcher
	defer func() { meter.Store(search.Hashes()) }()
	for { // cancellation-blind on purpose
		if search.Hashes()&s.publishMask == 0 { // publish the count, nothing else
			meter.Store(search.Hashes())
		}
		if search.Hashes() >= s.maxHashes {
			return budgetError(s.maxHashes)
		}
		if !search.Next() {
			return nil
		}
		if d, ok := search.Match(q.target, q.maxDistance); ok {
			_ = stream.Send(newMatch(&search, d)) // the error is ignored on purpose
		}
	}
}
