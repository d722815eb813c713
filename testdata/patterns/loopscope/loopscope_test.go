package loopscope

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fixtures/pb/echo"
)

// waitReady takes a *testing.T: a test's helper, even with the stream
// interface as a parameter; its poll is silent.
func waitReady(t *testing.T, stream echo.Echo_ServerStreamServer, s *srv) {
	t.Helper()
	for {
		if s.ready.Load() {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// fakeServer is a test's server. Its own loop is reported; its call into a
// helper with a blind loop is not (a fact-based report in a _test.go file).
type fakeServer struct {
	echo.UnimplementedEchoServer
	ready atomic.Bool
}

func (f *fakeServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	Poll(f.ready.Load) // silent: the loop is in a helper, and this is a test file
	for {              // want `polling loop in handler Unary never checks ctx`
		if f.ready.Load() {
			return in, nil
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWait(t *testing.T) {
	s := &srv{}
	s.ready.Store(true)
	waitReady(t, nil, s)
	_ = lastUpdate(&bufferingStream{updates: []*echo.Msg{{}}})
}
