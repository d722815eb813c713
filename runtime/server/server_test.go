package server

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/grpccancelcheck/grpccancelcheck/runtime/hashfinderpb"
	"github.com/grpccancelcheck/grpccancelcheck/runtime/observe"
)

// finder is the unary half of both servers.
type finder interface {
	Find(context.Context, *hashfinderpb.FindRequest) (*hashfinderpb.Match, error)
}

// newServers returns both servers with budget maxHashes, by name.
func newServers(t *testing.T, maxHashes uint64) map[string]finder {
	t.Helper()
	ref, err := New(Options{MaxHashes: maxHashes})
	if err != nil {
		t.Fatal(err)
	}
	naive, err := NewNaive(Options{MaxHashes: maxHashes})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]finder{"reference": ref, "naive": naive}
}

func TestOptionsRejectZeroBudget(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New(Options{}) succeeded, want an error")
	}
	if _, err := NewNaive(Options{}); err == nil {
		t.Error("NewNaive(Options{}) succeeded, want an error")
	}
}

func TestFindMatches(t *testing.T) {
	for name, srv := range newServers(t, 1_000_000) {
		t.Run(name, func(t *testing.T) {
			for _, req := range []*hashfinderpb.FindRequest{
				{Target: "do"},
				{Target: "doc", MaxDistance: 1},
			} {
				m, err := srv.Find(context.Background(), req)
				if err != nil {
					t.Fatalf("Find(%v): %v", req, err)
				}
				sum := sha1.Sum([]byte(m.GetSecret()))
				if want := base64.StdEncoding.EncodeToString(sum[:]); m.GetHash() != want {
					t.Errorf("Find(%v) hash = %s, want base64(sha1(%q)) = %s", req, m.GetHash(), m.GetSecret(), want)
				}
				if m.GetDistance() > req.GetMaxDistance() || m.GetHashes() == 0 {
					t.Errorf("Find(%v) = %v, want distance <= %d and hashes > 0", req, m, req.GetMaxDistance())
				}
				if req.GetMaxDistance() == 0 && !strings.Contains(m.GetHash(), req.GetTarget()) {
					t.Errorf("Find(%v) hash %s does not contain %q", req, m.GetHash(), req.GetTarget())
				}
			}
		})
	}
}

func TestFindRejectsBadTarget(t *testing.T) {
	for name, srv := range newServers(t, 1000) {
		for _, target := range []string{"", strings.Repeat("A", 29)} {
			_, err := srv.Find(context.Background(), &hashfinderpb.FindRequest{Target: target})
			if status.Code(err) != codes.InvalidArgument {
				t.Errorf("%s Find(target %q) error = %v, want InvalidArgument", name, target, err)
			}
		}
	}
}

func TestFindBudget(t *testing.T) {
	const budget = 5000
	for name, srv := range newServers(t, budget) {
		t.Run(name, func(t *testing.T) {
			meter := new(observe.Meter)
			ctx := observe.WithMeter(context.Background(), meter)
			_, err := srv.Find(ctx, &hashfinderpb.FindRequest{Target: "!!!!!!"})
			if status.Code(err) != codes.ResourceExhausted {
				t.Fatalf("Find error = %v, want ResourceExhausted", err)
			}
			if got := meter.Load(); got != budget {
				t.Errorf("meter = %d hashes, want %d", got, budget)
			}
		})
	}
}

// TestFindEndedContext calls Find on a context that has already ended: the
// reference answers with the context's status without hashing, the naive
// server spends its whole budget.
func TestFindEndedContext(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	shutdown, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(status.Error(codes.Unavailable, "server is shutting down"))
	other, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(errors.New("not a status"))
	const budget = 5000
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want codes.Code
	}{
		{"canceled", canceled, codes.Canceled},
		{"deadline", expired, codes.DeadlineExceeded},
		{"shutdown cause", shutdown, codes.Unavailable},
		{"other cause", other, codes.Canceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			servers := newServers(t, budget)
			meter := new(observe.Meter)
			_, err := servers["reference"].Find(observe.WithMeter(tt.ctx, meter), &hashfinderpb.FindRequest{Target: "!!!!!!"})
			if status.Code(err) != tt.want || meter.Load() != 0 {
				t.Errorf("reference: error = %v after %d hashes, want %v after 0", err, meter.Load(), tt.want)
			}
			meter = new(observe.Meter)
			_, err = servers["naive"].Find(observe.WithMeter(tt.ctx, meter), &hashfinderpb.FindRequest{Target: "!!!!!!"})
			if status.Code(err) != codes.ResourceExhausted || meter.Load() != budget {
				t.Errorf("naive: error = %v after %d hashes, want ResourceExhausted after %d", err, meter.Load(), budget)
			}
		})
	}
}
