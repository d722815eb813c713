// Package upstream holds a helper that takes no context yet calls upstream
// on a detached one: ctxdetach reports handlers that call it, through a
// fact exported here.
package upstream

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
)

// Notify tells the upstream service about text, with its own timeout.
func Notify(c echo.EchoClient, text string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(ctx, &echo.Msg{Text: text})
	return err
}
