// Package pkglit: a context and its cancel function made inside a function
// literal held by a package-level variable that follows a function
// declaration (thanos has one); the model's index of cancel functions once
// took the run down on it.
package pkglit

import (
	"context"
	"time"

	"example.com/fixtures/pb/echo"
)

func first() {}

var run = func(ctx context.Context, c echo.EchoClient) {
	c2, cancel := context.WithCancel(ctx)
	defer cancel()
	// Silent: c2 comes from the literal's context parameter, whose
	// deadline is its caller's business; no handler is in sight.
	c.Unary(c2, &echo.Msg{})
}

var bounded = func(c echo.EchoClient) {
	c3, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// Silent: c3 has a deadline.
	c.Unary(c3, &echo.Msg{})
}
