package rpcs

import (
	"context"

	"example.com/fixtures/pb/echolegacy"
)

// FetchLegacy is Fetch on a pre-generic generated client.
func FetchLegacy(ctx context.Context, c echolegacy.EchoClient) error { // want FetchLegacy:`deadlineParams\(param 0 reaches call echolegacy.EchoClient.Unary at legacy.go:11 on client param 1\)`
	_, err := c.Unary(ctx, &echolegacy.Msg{})
	return err
}
