// Package detachdeliberate: deliberate detachment that ctxdetach must leave alone: a
// request re-contexted with WithContext, sync.Once lazy initialisation.
package detachdeliberate

import (
	"context"
	"database/sql"
	"net/http"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/pb/echo"
)

type cache struct{ m map[string]string }

func loadCache(ctx context.Context, db *sql.DB) (*cache, error) {
	rows, err := db.QueryContext(ctx, "SELECT k, v FROM kv")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return &cache{}, nil
}

type srv struct {
	echo.UnimplementedEchoServer
	db     *sql.DB
	once   sync.Once
	cache  *cache
	err    error
	connMu sync.Mutex
	conn   *grpc.ClientConn
	hc     *http.Client
}

// C1: http.NewRequest then WithContext(ctx): correct.
func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	req, err := http.NewRequest("GET", "http://upstream/"+in.Text, nil)
	if err != nil {
		return nil, err
	}
	req = req.WithContext(ctx)
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return in, nil
}

// C2: lazy shared cache: must not be bound to the first request.
func (s *srv) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	s.once.Do(func() {
		s.cache, s.err = loadCache(context.Background(), s.db)
	})
	if s.err != nil {
		return s.err
	}
	return stream.Send(in)
}

// C3: lazy shared client conn.
func (s *srv) Bidi(stream echo.Echo_BidiServer) error {
	s.connMu.Lock()
	if s.conn == nil {
		c, err := grpc.NewClient("dns:///up", grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			s.connMu.Unlock()
			return err
		}
		s.conn = c
	}
	s.connMu.Unlock()
	return nil
}
