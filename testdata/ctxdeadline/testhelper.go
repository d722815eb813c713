package ctxdeadline

import (
	"context"
	"testing"

	"example.com/fixtures/pb/echo"
)

// MustEcho is a test's helper outside a _test.go file (a package of test
// utilities, boulder's satest): it takes a testing.TB, so it is test code
// and is checked only with -ctxdeadline.tests, as a _test.go file is.
func MustEcho(t testing.TB, c echo.EchoClient) *echo.Msg {
	t.Helper()
	out, err := c.Unary(context.Background(), msg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// MustEchoAll's literal is inside a test's helper too.
func MustEchoAll(t *testing.T, cs []echo.EchoClient) {
	for _, c := range cs {
		func() {
			if _, err := c.Unary(context.Background(), msg); err != nil {
				t.Fatal(err)
			}
		}()
	}
}

// The twin: the same call in a function that takes no testing value.
func EchoOnce(c echo.EchoClient) (*echo.Msg, error) {
	return c.Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}
