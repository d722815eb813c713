package serve

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
)

// waitLimit bounds every wait of the tests, so a broken handler fails a test
// instead of hanging it.
const waitLimit = 20 * time.Second

// testServer is a real HashFinder server on a loopback port, with a client.
type testServer struct {
	client  hashfinderpb.HashFinderClient
	started chan string
	reports chan observe.Report
	// shutdown ends Run's context; ran is closed when Run has returned
	// runErr.
	shutdown context.CancelFunc
	ran      chan struct{}
	runErr   error
}

// startServer runs Run(cfg) on 127.0.0.1:0 until the test ends. cfg.Hooks is
// replaced by hooks feeding the started and reports channels.
func startServer(tb testing.TB, cfg Config) *testServer {
	tb.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen on loopback: %v", err)
	}
	ctx, shutdown := context.WithCancel(context.Background())
	s := &testServer{
		started:  make(chan string, 64),
		reports:  make(chan observe.Report, 64),
		shutdown: shutdown,
		ran:      make(chan struct{}),
	}
	cfg.Hooks = observe.Hooks{
		Started:  func(method string) { s.started <- method },
		Finished: func(r observe.Report) { s.reports <- r },
	}
	go func() {
		s.runErr = Run(ctx, lis, cfg)
		close(s.ran)
	}()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		shutdown()
		tb.Fatalf("dial %s: %v", lis.Addr(), err)
	}
	s.client = hashfinderpb.NewHashFinderClient(conn)
	tb.Cleanup(func() {
		conn.Close()
		shutdown()
		s.waitRun(tb)
	})
	return s
}

// waitRun waits for Run to return and fails the test if Run failed.
func (s *testServer) waitRun(tb testing.TB) {
	tb.Helper()
	select {
	case <-s.ran:
		if s.runErr != nil {
			tb.Errorf("Run: %v", s.runErr)
		}
	case <-time.After(waitLimit):
		tb.Errorf("Run did not return within %v of its context ending", waitLimit)
	}
}

// waitStarted waits for a handler to start.
func (s *testServer) waitStarted(tb testing.TB) {
	tb.Helper()
	select {
	case <-s.started:
	case <-time.After(waitLimit):
		tb.Fatalf("no handler started within %v", waitLimit)
	}
}

// nextReport waits for the report of a finished RPC.
func (s *testServer) nextReport(tb testing.TB) observe.Report {
	tb.Helper()
	select {
	case r := <-s.reports:
		return r
	case <-time.After(waitLimit):
		tb.Fatalf("no RPC finished within %v", waitLimit)
		return observe.Report{}
	}
}

// call runs one RPC of method ("Find" or "FindRange") in the background and
// returns a channel that receives the matches and the final error. For
// FindRange a stream that ends cleanly yields a nil error.
func (s *testServer) call(ctx context.Context, method string, req *hashfinderpb.FindRequest) <-chan result {
	out := make(chan result, 1)
	go func() {
		if method == "Find" {
			m, err := s.client.Find(ctx, req)
			if err != nil {
				out <- result{err: err}
				return
			}
			out <- result{matches: []*hashfinderpb.Match{m}}
			return
		}
		out <- receiveAll(ctx, s.client, req)
	}()
	return out
}

// receiveAll runs FindRange to its end.
func receiveAll(ctx context.Context, client hashfinderpb.HashFinderClient, req *hashfinderpb.FindRequest) result {
	stream, err := client.FindRange(ctx, req)
	if err != nil {
		return result{err: err}
	}
	var r result
	// Recv fails soon after ctx ends, though it may first return messages
	// already received; the loop stops at once.
	for ctx.Err() == nil {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return r
		}
		if err != nil {
			r.err = err
			return r
		}
		r.matches = append(r.matches, m)
	}
	// What Recv would return once it noticed.
	r.err = status.FromContextError(ctx.Err()).Err()
	return r
}

// result is what a client got from one RPC.
type result struct {
	matches []*hashfinderpb.Match
	err     error
}

// waitResult waits for the result of call.
func waitResult(tb testing.TB, results <-chan result) result {
	tb.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(waitLimit):
		tb.Fatalf("the client got no result within %v", waitLimit)
		return result{}
	}
}
