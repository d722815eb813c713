package serve

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashsearch"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/server"
)

// stopLimit is how soon after its context ends a reference handler must have
// returned, and endToEndLimit how soon after the client cancelled (or the
// deadline, or the shutdown). Over 5000 cancels on a shared 2-core machine
// (BenchmarkCancelLatency) the first was at most 1.2 ms at the 99th
// percentile and the second at most 80 ms in the worst case; the limits leave
// room for the race detector and a busier machine.
const (
	stopLimit     = 50 * time.Millisecond
	endToEndLimit = 250 * time.Millisecond
)

// impossible is a request no candidate matches: '!' is not a base64
// character.
var impossible = &hashfinderpb.FindRequest{Target: "!!!!!!"}

// checkHash fails unless m.Hash is the base64 SHA-1 of m.Secret.
func checkHash(t *testing.T, m *hashfinderpb.Match) {
	t.Helper()
	sum := sha1.Sum([]byte(m.GetSecret()))
	if want := base64.StdEncoding.EncodeToString(sum[:]); m.GetHash() != want {
		t.Errorf("match %v: hash should be %s", m, want)
	}
}

func TestFind(t *testing.T) {
	s := startServer(t, Config{MaxHashes: 1_000_000})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	m, err := s.client.Find(ctx, &hashfinderpb.FindRequest{Target: "do"})
	if err != nil {
		t.Fatalf("Find(do): %v", err)
	}
	checkHash(t, m)
	if !strings.Contains(m.GetHash(), "do") || m.GetDistance() != 0 {
		t.Errorf("Find(do) = %v, want a hash containing \"do\" at distance 0", m)
	}
	r := s.nextReport(t)
	if r.Code != codes.OK || r.Hashes != m.GetHashes() || r.ContextEnded {
		t.Errorf("report = %+v, want OK after %d hashes, context not ended", r, m.GetHashes())
	}
}

func TestBudget(t *testing.T) {
	const budget = 20000
	s := startServer(t, Config{MaxHashes: budget})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()

	t.Run("Find", func(t *testing.T) {
		_, err := s.client.Find(ctx, impossible)
		if status.Code(err) != codes.ResourceExhausted {
			t.Errorf("Find error = %v, want ResourceExhausted", err)
		}
		if r := s.nextReport(t); r.Hashes != budget || r.Code != codes.ResourceExhausted {
			t.Errorf("report = %+v, want ResourceExhausted after %d hashes", r, budget)
		}
	})

	t.Run("FindRange", func(t *testing.T) {
		req := &hashfinderpb.FindRequest{Target: "Go"}
		got := receiveAll(ctx, s.client, req)
		if status.Code(got.err) != codes.ResourceExhausted {
			t.Errorf("FindRange error = %v, want ResourceExhausted", got.err)
		}
		// The same search, run here.
		var want []string
		var search hashsearch.Searcher
		for range budget {
			search.Next()
			if _, ok := search.Match([]byte(req.GetTarget()), 0); ok {
				want = append(want, string(search.Secret()))
			}
		}
		if len(got.matches) != len(want) {
			t.Fatalf("FindRange streamed %d matches, want %d", len(got.matches), len(want))
		}
		for i, m := range got.matches {
			checkHash(t, m)
			if m.GetSecret() != want[i] || !strings.Contains(m.GetHash(), "Go") {
				t.Errorf("match %d = %v, want secret %q and a hash containing \"Go\"", i, m, want[i])
			}
		}
		if r := s.nextReport(t); r.Hashes != budget || r.Code != codes.ResourceExhausted {
			t.Errorf("report = %+v, want ResourceExhausted after %d hashes", r, budget)
		}
	})
}

// trigger ends an RPC in one of three ways.
type trigger struct {
	name string
	// ctx returns the client context of the RPC and a function that ends
	// the RPC and returns when it did so.
	ctx func(s *testServer) (context.Context, func() time.Time)
	// wantCode is the code the client gets; the handler returns it too,
	// except on a deadline (see serverCodes).
	wantCode codes.Code
	// serverCodes are the codes the handler may return. When the client's
	// deadline passes, the client also resets the stream, and the server
	// sees whichever of the reset and its own timer comes first.
	serverCodes []codes.Code
}

var triggers = []trigger{
	{
		name: "client cancel",
		ctx: func(*testServer) (context.Context, func() time.Time) {
			ctx, cancel := context.WithCancel(context.Background())
			return ctx, func() time.Time {
				at := time.Now()
				cancel()
				return at
			}
		},
		wantCode: codes.Canceled,
	},
	{
		name: "deadline",
		ctx: func(*testServer) (context.Context, func() time.Time) {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			return ctx, func() time.Time {
				defer cancel()
				deadline, _ := ctx.Deadline()
				<-ctx.Done()
				return deadline
			}
		},
		wantCode:    codes.DeadlineExceeded,
		serverCodes: []codes.Code{codes.DeadlineExceeded, codes.Canceled},
	},
	{
		name: "server shutdown",
		ctx: func(s *testServer) (context.Context, func() time.Time) {
			return context.Background(), func() time.Time {
				at := time.Now()
				s.shutdown()
				return at
			}
		},
		wantCode: codes.Unavailable,
	},
}

func TestReferenceStopsPromptly(t *testing.T) {
	for _, method := range []string{"Find", "FindRange"} {
		for _, tr := range triggers {
			t.Run(method+"/"+tr.name, func(t *testing.T) {
				s := startServer(t, Config{MaxHashes: 1 << 40, Grace: waitLimit})
				ctx, end := tr.ctx(s)
				results := s.call(ctx, method, impossible)
				s.waitStarted(t)
				time.Sleep(20 * time.Millisecond) // let the handler get busy
				endedAt := end()

				r := s.nextReport(t)
				stopped := r.End.Sub(endedAt)
				t.Logf("handler returned %v after the RPC ended (%v after it saw its context end), %d hashes after",
					stopped, r.AfterContextEnd(), r.HashesAfterContextEnd())
				serverCodes := tr.serverCodes
				if serverCodes == nil {
					serverCodes = []codes.Code{tr.wantCode}
				}
				if !r.ContextEnded || !slices.Contains(serverCodes, r.Code) {
					t.Errorf("report = %+v, want one of the codes %v after the context ended", r, serverCodes)
				}
				if r.AfterContextEnd() > stopLimit {
					t.Errorf("handler returned %v after its context ended, want under %v", r.AfterContextEnd(), stopLimit)
				}
				if stopped > endToEndLimit {
					t.Errorf("handler returned %v after the RPC ended, want under %v", stopped, endToEndLimit)
				}
				if n := r.HashesAfterContextEnd(); n > server.CheckEvery {
					t.Errorf("handler computed %d hashes after its context ended, want at most %d", n, server.CheckEvery)
				}
				if got := waitResult(t, results); status.Code(got.err) != tr.wantCode {
					t.Errorf("client error = %v, want %v", got.err, tr.wantCode)
				}
				if tr.name == "server shutdown" {
					s.waitRun(t)
					t.Logf("Run returned %v after shutdown began", time.Since(endedAt))
				}
			})
		}
	}
}

// TestNaiveKeepsComputing shows the naive handlers computing on after a
// client cancel, until their budget: FindRange on a target that matches often,
// so it keeps sending into the cancelled stream too.
func TestNaiveKeepsComputing(t *testing.T) {
	const budget = 300_000
	for _, tt := range []struct {
		method string
		req    *hashfinderpb.FindRequest
	}{
		{"Find", impossible},
		{"FindRange", &hashfinderpb.FindRequest{Target: "A"}},
	} {
		t.Run(tt.method, func(t *testing.T) {
			s := startServer(t, Config{MaxHashes: budget, Naive: true})
			ctx, cancel := context.WithCancel(context.Background())
			results := s.call(ctx, tt.method, tt.req)
			s.waitStarted(t)
			time.Sleep(5 * time.Millisecond)
			cancelAt := time.Now()
			cancel()
			if got := waitResult(t, results); status.Code(got.err) != codes.Canceled {
				t.Errorf("client error = %v, want Canceled", got.err)
			}

			r := s.nextReport(t)
			t.Logf("naive %s: %d of %d hashes after the cancel, returned %v after it (%v after it saw its context end)",
				tt.method, r.HashesAfterContextEnd(), r.Hashes, r.End.Sub(cancelAt), r.AfterContextEnd())
			if !r.ContextEnded {
				t.Fatalf("report = %+v, want the context ended before the handler returned", r)
			}
			if r.HashesAfterContextEnd() == 0 || r.Hashes != budget || r.Code != codes.ResourceExhausted {
				t.Errorf("report = %+v, want the whole budget of %d spent, part of it after the cancel", r, budget)
			}
		})
	}
}

// TestShutdownNaiveInFlight checks that a shutdown does not wait for a
// handler that ignores it for longer than the grace period.
func TestShutdownNaiveInFlight(t *testing.T) {
	const grace = 25 * time.Millisecond
	s := startServer(t, Config{MaxHashes: 1_000_000, Naive: true, Grace: grace})
	results := s.call(context.Background(), "Find", impossible)
	s.waitStarted(t)
	start := time.Now()
	s.shutdown()
	s.waitRun(t)
	took := time.Since(start)
	t.Logf("Run returned %v after shutdown began, grace %v", took, grace)
	if took < grace {
		t.Errorf("Run returned after %v, before the grace of %v ran out, though the naive handler was running", took, grace)
	}
	if got := waitResult(t, results); got.err == nil {
		t.Error("Find succeeded, want the error of a closed connection")
	}
	// The handler outlives Run; wait for it before the next test.
	r := s.nextReport(t)
	if !r.ContextEnded || r.HashesAfterContextEnd() == 0 {
		t.Errorf("report = %+v, want hashes computed after the shutdown", r)
	}
}

func TestRunRejectsZeroBudget(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	if err := Run(context.Background(), lis, Config{}); err == nil {
		t.Error("Run with a zero budget succeeded, want an error")
	}
	if _, err := lis.Accept(); err == nil {
		t.Error("Run left its listener open")
	}
}
