package ctxloop

import (
	"container/list"
	"context"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"example.com/fixtures/ctxloop/helpers"
	"example.com/fixtures/pb/echo"
)

const maxYear = 2100

// boundedServer holds pure computations written as for {}: their exits
// compare local state the loop advances, without calls, with a bound the
// loop does not change. Silent.
type boundedServer struct {
	echo.UnimplementedEchoServer
	next    map[string]string
	max     atomic.Int64
	ids     map[uint64]bool
	members map[uint64]*echo.Msg
	gone    map[uint64]bool
}

func (s *boundedServer) member(id uint64) *echo.Msg { return s.members[id] }
func (s *boundedServer) removed(id uint64) bool     { return s.gone[id] }
func (s *boundedServer) lookup(in *echo.Msg) error {
	if in.Text == "" {
		return errors.New("empty")
	}
	return nil
}

func (s *boundedServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Silent: a counter stepped in the body, compared with a constant.
	y, leaps := int(in.N), 0
	for {
		if y > maxYear {
			break
		}
		if y%4 == 0 && y%100 != 0 {
			leaps++
		}
		y++
	}

	// Silent: the walk of a finite map; the exits test the ok of a lookup
	// and the cursor the loop moves.
	cur := in.Text
	for {
		v, ok := s.next[cur]
		if !ok {
			return nil, status.Error(codes.NotFound, "no path")
		}
		cur = v
		if cur == "end" {
			break
		}
	}

	// Silent: a walk around local data; it ends on the data, not on work
	// the analyzer cannot see bounded.
	items := strings.Fields(in.Text)
	i := 0
	for {
		if len(items) == 0 || items[i%len(items)] == "" {
			break
		}
		i++
	}

	// Silent: a binary search over local bounds.
	lo, hi := 0, len(items)
	for {
		if lo >= hi {
			break
		}
		mid := (lo + hi) / 2
		if items[mid] < in.Text {
			lo = mid + 1
		} else {
			hi = mid
		}
	}

	// Silent: an optimistic update; it goes round only when another
	// goroutine changed the value in between.
	for {
		old := s.max.Load()
		if old >= in.N {
			break
		}
		if s.max.CompareAndSwap(old, in.N) {
			break
		}
	}

	// Silent: rejection sampling of a fresh id; it goes round only on a
	// collision (swarmkit's raft Join).
	var id uint64
	for {
		id = rand.Uint64() + 1
		if s.member(id) == nil && !s.removed(id) {
			break
		}
	}
	for {
		id = rand.Uint64()
		_, taken := s.ids[id]
		if !taken {
			break
		}
	}

	// Silent: the walk down an error's chain ends where the chain does.
	err := s.lookup(in)
	for {
		if err == nil {
			break
		}
		if errors.Is(err, context.DeadlineExceeded) {
			leaps++
			break
		}
		err = errors.Unwrap(err)
	}

	// Silent: a helper whose loop is such a computation has no fact.
	leaps += helpers.Leaps(int(in.N), maxYear)
	return &echo.Msg{N: int64(leaps + lo)}, nil
}

// searchServer holds the loops that stay findings: searches over
// candidates, whose exits test what calls compute, and a spin on shared
// state.
type searchServer struct {
	echo.UnimplementedEchoServer
	ready atomic.Bool
	done  bool
	try   func(*echo.Msg) *echo.Msg
}

// Reported: for n := 0; ; n++ is unbounded whatever its init and post.
func (s *searchServer) tryMore(in *echo.Msg) (*echo.Msg, bool) { return s.try(in), in.N > 0 }

func (s *searchServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	for n := 0; ; n++ { // want `loop in handler Unary never checks ctx`
		sum := sha256.Sum256([]byte(in.Text + strconv.Itoa(n)))
		if sum[0] == 0 && sum[1] == 0 {
			return &echo.Msg{N: int64(n)}, nil
		}
	}
}

func (s *searchServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	// Reported: a spin on a field another goroutine sets, and one on an
	// atomic flag: they wait for someone else.
	for { // want `loop in handler ServerStream never checks stream.Context\(\)`
		if s.done {
			break
		}
	}
	for { // want `loop in handler ServerStream never checks stream.Context\(\)`
		if s.ready.Load() {
			break
		}
	}

	// Reported: search flags of any type: the loop runs while nothing is
	// found yet.
	var found string
	for found == "" { // want `search loop in handler ServerStream never checks stream.Context\(\)`
		found = strings.TrimSpace(in.Text)
	}
	var res *echo.Msg
	for res == nil { // want `search loop in handler ServerStream never checks stream.Context\(\)`
		res = s.try(in)
	}

	// Silent: iterating to an end value through a call is an iterator over
	// finite data, like for rows.Next().
	l := list.New()
	e := l.Front()
	for e != nil {
		in.Text += "."
		e = e.Next()
	}

	// Silent: the "more" flag of an iterator's step, as for it.Next()
	// (pulumi's stack-trace interceptor walks runtime.Frames).
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	for more := true; more; {
		var frame runtime.Frame
		frame, more = frames.Next()
		in.Text += frame.Function
	}

	// Reported: a flag another call sets is a search, whatever it returns
	// beside it.
	for more := true; more; { // want `search loop in handler ServerStream never checks stream.Context\(\)`
		_, more = s.tryMore(in)
	}

	// Reported: a random search leaves on a hit, which may be rare.
	for { // want `loop in handler ServerStream never checks stream.Context\(\)`
		n := rand.Uint64()
		if sum := sha256.Sum256([]byte(strconv.FormatUint(n, 10))); sum[0] == 0 && sum[1] == 0 {
			in.N = int64(n)
			break
		}
	}

	// Reported, through a helper: a search with a counter.
	in.N = int64(helpers.Nonce(in.Text)) // want `call to helpers.Nonce in handler ServerStream runs a loop in Nonce`
	return stream.Send(res)
}
