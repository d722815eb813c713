package dltestctx

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"example.com/fixtures/pb/echo"
)

// A check given to testify's Eventually, EventuallyWithT or Never runs in
// a goroutine of its own, which the wait leaves behind at its deadline:
// the test cannot hang on a call in it (weaviate's acceptance tests).
// Silent. The same call in the test's own body is reported.
func TestPolled(t *testing.T) {
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		_, err := client.Unary(context.Background(), &echo.Msg{})
		assert.NoError(c, err)
	}, 5*time.Second, 100*time.Millisecond)
	assert.Eventually(t, func() bool {
		_, err := client.Unary(context.Background(), &echo.Msg{})
		return err == nil
	}, time.Second, 10*time.Millisecond)
	require.New(t).Never(func() bool {
		_, err := client.Unary(context.TODO(), &echo.Msg{})
		return err != nil
	}, time.Second, 10*time.Millisecond)
	if _, err := client.Unary(context.Background(), &echo.Msg{}); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
		t.Fatal(err)
	}
	// Reported: a literal the test calls itself runs in the test.
	check := func() {
		_, _ = client.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	}
	check()
}
