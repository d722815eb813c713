// Package dlwrapper: a client wrapper with the gRPC method shape that adds its own
// timeout is judged by its body (silent); a method expression is a gRPC call.
package dlwrapper

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// Client wraps the generated client and imposes a default timeout.
type Client struct {
	pb      echo.EchoClient
	timeout time.Duration
}

func (c *Client) Unary(ctx context.Context, text string, opts ...grpc.CallOption) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r, err := c.pb.Unary(ctx, &echo.Msg{Text: text}, opts...)
	if err != nil {
		return "", err
	}
	return r.Text, nil
}

// D1: caller of the wrapper: fine, the wrapper adds a deadline.
func D1(c *Client) (string, error) {
	return c.Unary(context.Background(), "hi")
}

// Timeout is a client interceptor that adds a default deadline.
func Timeout(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

func timeoutUnary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return invoker(ctx, method, req, reply, cc, opts...)
}

// D2: unit test-like direct call of an interceptor.
func D2() error {
	inv := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, opts ...grpc.CallOption) error {
		return nil
	}
	return timeoutUnary(context.Background(), "/m", nil, nil, nil, inv)
}

// D3: a method expression is a gRPC call like any other: reported.
func D3(c echo.EchoClient) {
	echo.EchoClient.Unary(c, context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}

// D4: a method value called later is called like the method: reported.
func D4(c echo.EchoClient) {
	f := c.Unary
	f(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}

// d5: the same in a function no other package can call, which no handler
// of this package calls: reported in its body.
func d5(c echo.EchoClient) {
	echo.EchoClient.Unary(c, context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
}
