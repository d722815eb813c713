// Package mw makes client interceptors, as go-grpc-middleware does: Timeout
// returns one that bounds every call (a boundsCalls fact), Logging one
// that does not.
package mw

import (
	"context"
	"log"
	"time"

	"google.golang.org/grpc"
)

// Timeout gives every unary call a deadline d.
func Timeout(d time.Duration) grpc.UnaryClientInterceptor { // want Timeout:`boundsCalls`
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// Logging logs every call and passes its context on unchanged.
func Logging() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		log.Print(method)
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}
