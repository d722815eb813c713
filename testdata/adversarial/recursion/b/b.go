// Package b holds mutually recursive helpers: Ping and Pong call each other,
// Pong searches without a context and Drop makes an RPC on
// context.Background(). Their facts must reach a fixed point over the cycle
// and cross into package a.
package b

import (
	"context"
	"sync/atomic"
	"time"

	"example.com/fixtures/pb/echo"
)

// Ping reaches Pong's loop through the cycle.
func Ping(n int) int {
	if n <= 0 {
		return 0
	}
	return Pong(n - 1)
}

// Pong polls until the flag is up, without a context.
func Pong(n int) int {
	for !ready.Load() {
		time.Sleep(10 * time.Millisecond)
	}
	return Ping(n - 1)
}

var ready atomic.Bool

// Drop and Relay call each other; Drop makes a detached RPC.
func Drop(c echo.EchoClient, n int) {
	if n > 0 {
		Relay(c, n-1)
	}
	_, _ = c.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}

// Relay passes n on to Drop.
func Relay(c echo.EchoClient, n int) { Drop(c, n) }
