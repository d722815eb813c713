package dltestctx

import (
	"context"
	"testing"
	"time"

	"example.com/fixtures/pb/echo"
)

var client echo.EchoClient

func TestUnary(t *testing.T) {
	if _, err := client.Unary(context.Background(), &echo.Msg{}); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline, .*; derive the context with context.WithTimeout\(t.Context\(\), ...\)`
		t.Fatal(err)
	}
	t.Run("sub", func(st *testing.T) {
		stream, err := client.Bidi(context.TODO()) // want `gRPC stream echo.EchoClient.Bidi uses context.TODO\(\), .*; use st.Context\(\), which is cancelled when the test ends, or derive one with context.WithTimeout from it`
		if err != nil {
			st.Fatal(err)
		}
		_ = stream
	})
	// Silent: a timeout on the test's context.
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if _, err := client.Unary(ctx, &echo.Msg{}); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkUnary(b *testing.B) {
	for b.Loop() {
		client.Unary(context.Background(), &echo.Msg{}) // want `; derive the context with context.WithTimeout\(b.Context\(\), ...\)`
	}
}

// helper has no testing parameter: the plain remedy.
func helper() {
	client.Unary(context.Background(), &echo.Msg{}) // want `; derive the context with context.WithTimeout$`
}
