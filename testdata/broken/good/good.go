// Package good type-checks and has a ctxdetach finding under
// -ctxdetach.ctx-funcs.
package good

import (
	"context"
	"net/http"
)

// Fetch ignores its context.
func Fetch(ctx context.Context, url string) (*http.Request, error) {
	return http.NewRequestWithContext(context.Background(), "GET", url, nil)
}
