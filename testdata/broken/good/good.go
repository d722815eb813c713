// Package good type-checks and has a ctxdetach finding under
// -ctxdetach.ctx-funcs.
package good

import (
	"context"
	"net/http"
)

// Fetch ignores its context.
func Fetch(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}
