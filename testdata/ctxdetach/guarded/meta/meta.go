// Package meta reads owners from a cache and asks the server only when the
// caller's flag says so (linkerd2's MetadataAPI.GetOwnerKindAndName with
// retry): its context reaches the RPC only under that flag.
package meta

import (
	"context"
	"errors"

	"example.com/fixtures/pb/echo"
)

var errNotFound = errors.New("not found")

// API holds a cache filled by an informer, and a client for misses.
type API struct {
	cache  map[string]string
	client echo.EchoClient
}

// Owner reads the cache; only with retry does a miss go to the server.
func (a *API) Owner(ctx context.Context, name string, retry bool) (string, error) { // want Owner:`outboundParams\(\[0\], guards \[0 if 2 is true\]\)`
	if v, ok := a.cache[name]; ok {
		return v, nil
	}
	if retry {
		m, err := a.client.Unary(ctx, &echo.Msg{Text: name})
		if err != nil {
			return "", err
		}
		return m.Text, nil
	}
	return "", errNotFound
}

// Lookup leaves early with the cached value when cached is set: the RPC
// after it runs only when cached is false.
func (a *API) Lookup(ctx context.Context, name string, cached bool) (string, error) { // want Lookup:`outboundParams\(\[0\], guards \[0 if 2 is false\]\)`
	if cached {
		return a.cache[name], nil
	}
	m, err := a.client.Unary(ctx, &echo.Msg{Text: name})
	if err != nil {
		return "", err
	}
	return m.Text, nil
}

// Refresh asks the server under the flag and, whatever it is, once more:
// no guard.
func (a *API) Refresh(ctx context.Context, name string, retry bool) error { // want Refresh:`outboundParams\(\[0\]\)`
	if retry {
		if _, err := a.client.Unary(ctx, &echo.Msg{Text: name}); err != nil {
			return err
		}
	}
	_, err := a.client.Unary(ctx, &echo.Msg{Text: name})
	return err
}

// Forward passes its flag on: the guard is not followed through calls,
// so Forward's context counts as outbound.
func (a *API) Forward(ctx context.Context, name string, retry bool) (string, error) { // want Forward:`outboundParams\(\[0\]\)`
	return a.Owner(ctx, name, retry)
}

// CacheOnly calls Owner with retry false: its context reaches nothing.
func (a *API) CacheOnly(ctx context.Context, name string) (string, error) {
	return a.Owner(ctx, name, false)
}
