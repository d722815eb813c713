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

// StreamTimeout opens every stream on a context with deadline d, its
// cancel called when the stream is done (skywalking-satellite's client
// plugin): a boundsCalls fact, for streams.
func StreamTimeout(d time.Duration) grpc.StreamClientInterceptor { // want StreamTimeout:`boundsCalls`
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		s, err := streamer(ctx, desc, cc, method, opts...)
		if err != nil {
			cancel()
			return nil, err
		}
		go func() {
			<-s.Context().Done()
			cancel()
		}()
		return s, nil
	}
}

// Logging logs every call and passes its context on unchanged.
func Logging() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		log.Print(method)
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// Conn dials as a client library's MkConn does (cerbos-sdk-go): the chain
// is built in a slice, the slice appended to the options, and the
// connection returned; its unary calls are bounded (a boundsCalls fact, so
// that clients made on it in other packages are bounded too).
func Conn(target string) (*grpc.ClientConn, error) { // want Conn:`boundsCalls`
	cc, err := grpc.NewClient(target, boundedOptions()...)
	if err != nil {
		return nil, err
	}
	return cc, nil
}

// LoggedConn dials the same way with a chain that bounds nothing: no fact.
func LoggedConn(target string) (*grpc.ClientConn, error) {
	cc, err := grpc.NewClient(target, loggedOptions()...)
	if err != nil {
		return nil, err
	}
	return cc, nil
}

func boundedOptions() []grpc.DialOption { // want boundedOptions:`boundsCalls`
	opts := []grpc.DialOption{grpc.WithUserAgent("fixture")}
	ics := []grpc.UnaryClientInterceptor{Logging()}
	ics = append([]grpc.UnaryClientInterceptor{Timeout(2 * time.Second)}, ics...)
	return append(opts, grpc.WithChainUnaryInterceptor(ics...))
}

func loggedOptions() []grpc.DialOption {
	opts := []grpc.DialOption{grpc.WithUserAgent("fixture")}
	ics := []grpc.UnaryClientInterceptor{Logging()}
	ics = append(ics, Logging())
	return append(opts, grpc.WithChainUnaryInterceptor(ics...))
}

// RetryOptions returns the options a client library installs its retry
// interceptor with, when enabled (hatchet's retry.GRPCDialOptions: a
// per-attempt timeout and a bounded number of attempts): a boundsCalls
// fact, so that a connection dialled with them in another package bounds
// its unary calls. As where a context gets a deadline on one branch, a
// bound on some way counts.
func RetryOptions(enabled bool) []grpc.DialOption { // want RetryOptions:`boundsCalls`
	if !enabled {
		return nil
	}
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(Timeout(30 * time.Second))}
}

// LoggingOptions returns options whose interceptor bounds nothing: no fact.
func LoggingOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(Logging())}
}
