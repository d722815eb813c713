// Package looponce: server-lifetime work started under sync.Once from a handler
// is not the handler's; silent.
package looponce

import (
	"context"
	"sync"
	"time"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	once sync.Once
	mu   sync.Mutex
	cfg  string
}

// refresh is the server-lifetime config refresher.
func (s *srv) refresh() { // want refresh:`blindLoop\(loop over channel t.C in refresh`
	t := time.NewTicker(time.Minute)
	for range t.C {
		s.mu.Lock()
		s.cfg = "x"
		s.mu.Unlock()
	}
}

// Lazily starts the server-lifetime refresher on first use.
func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	s.once.Do(func() { go s.refresh() })
	s.mu.Lock()
	defer s.mu.Unlock()
	return &echo.Msg{Text: s.cfg}, nil
}
