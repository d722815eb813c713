// Package pkgtuple: a context and its cancel function declared together at
// package level, before any function (seaweedfs has one); the model's
// index of such pairs once took the run down on it.
package pkgtuple

import (
	"context"

	"example.com/fixtures/pb/echo"
)

var bg, stop = context.WithCancel(context.Background())

func call(c echo.EchoClient) {
	defer stop()
	c.Unary(bg, &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
}
