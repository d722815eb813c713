// Package detachhttpget: functions of the standard library that hide
// context.Background(). The remedy names their context-taking variant
// where one is declared beside them (sql.DB.Query, QueryContext), and the
// context-taking call their work is made of where none is (http.Get has
// no GetContext: http.NewRequestWithContext).
package detachhttpget

import (
	"context"
	"database/sql"
	"net/http"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	db *sql.DB
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	resp, err := http.Get("http://x/" + in.Text) // want `call to http.Get in handler Unary reaches http.NewRequest, which takes no context \(client.go:\d+\), .*; Get has no variant that takes a context: do its work with http.NewRequestWithContext and pass ctx`
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	rows, err := s.db.Query("SELECT 1") // want `call to s.db.Query in handler Unary reaches .*; call QueryContext instead and pass ctx`
	if err != nil {
		return nil, err
	}
	rows.Close()
	return in, nil
}
