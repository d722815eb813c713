// Package conns holds ctxdeadline's fixtures for connections whose options
// decide what a call on them needs: a unary client interceptor that gives
// every call a deadline bounds the unary calls on every client made from
// the connection; grpc.WaitForReady(true) among its default call options
// makes a deadline-less call wait forever while the server is down.
package conns

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/fixtures/ctxdeadline/conns/mw"
	"example.com/fixtures/pb/echo"
)

var msg = &echo.Msg{}

// withDefault adds a timeout only where the caller's context has no
// deadline, as cloudnative-pg's and magma's fixes do.
func withDefault(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if _, ok := ctx.Deadline(); ok {
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return invoker(ctx, method, req, reply, cc, opts...)
}

func creds() grpc.DialOption { return grpc.WithTransportCredentials(insecure.NewCredentials()) }

// options returns the dial options of a bounded connection, built the way
// a config package builds them.
func options() (string, []grpc.DialOption) {
	opts := []grpc.DialOption{creds()}
	opts = append(opts, grpc.WithChainUnaryInterceptor(withDefault))
	return "dns:///upstream", opts
}

func bounded() error {
	// Silent: the interceptor bounds every unary call on the connection.
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithUnaryInterceptor(mw.Timeout(time.Second)))
	if err != nil {
		return err
	}
	c := echo.NewEchoClient(conn)
	if _, err := c.Unary(context.Background(), msg); err != nil {
		return err
	}
	// Reported: a stream is not bounded by a unary interceptor.
	if _, err := c.Bidi(context.Background()); err != nil { // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
		return err
	}
	// Silent: options from a function, through append.
	target, opts := options()
	conn2, err := grpc.NewClient(target, opts...)
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn2).Unary(context.Background(), msg)
	return err
}

// boundedStreams dials with a stream interceptor that gives every stream
// a deadline: its streams are bounded, its unary calls are not (the
// unary interceptor skywalking-satellite builds beside it is dropped).
func boundedStreams() error {
	opts := []grpc.DialOption{creds()}
	opts = append(opts, grpc.WithStreamInterceptor(mw.StreamTimeout(20*time.Second)))
	grpc.WithUnaryInterceptor(mw.Timeout(time.Second)) // built, never passed
	conn, err := grpc.NewClient("dns:///upstream", opts...)
	if err != nil {
		return err
	}
	c := echo.NewEchoClient(conn)
	if _, err := c.Bidi(context.Background()); err != nil { // silent: the stream interceptor bounds it
		return err
	}
	_, err = c.Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

// loggedStreams is the twin: its stream interceptor only logs, and the
// interceptor written in place hands the streamer the caller's context.
func loggedStreams() error {
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithChainStreamInterceptor(func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		return streamer(ctx, desc, cc, method, opts...)
	}))
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn).Bidi(context.Background()) // want `gRPC stream echo.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	return err
}

// pool keeps a connection dialled with a bounding interceptor in an
// unexported field; clients made from it are bounded.
type pool struct{ conn *grpc.ClientConn }

func newPool() (*pool, error) {
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithChainUnaryInterceptor(mw.Logging(), mw.Timeout(time.Second)))
	if err != nil {
		return nil, err
	}
	return &pool{conn: conn}, nil
}

func (p *pool) get() error {
	// Silent: the field's only connection is bounded.
	_, err := echo.NewEchoClient(p.conn).Unary(context.Background(), msg)
	return err
}

func unbounded() error {
	// Reported: logging is not a timeout.
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithUnaryInterceptor(mw.Logging()))
	if err != nil {
		return err
	}
	if _, err := echo.NewEchoClient(conn).Unary(context.Background(), msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline, so the call can wait forever`
		return err
	}
	// Reported, with what WaitForReady means: the connection's default
	// call options make the call queue while the server is down.
	wconn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithDefaultCallOptions(grpc.WaitForReady(true)))
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(wconn).Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline, so with grpc.WaitForReady\(true\) the call can block forever while the server is unreachable`
	return err
}

// viaLibraryConn makes its client on a connection another package dialled
// with a bounding chain: silent.
func viaLibraryConn() error {
	cc, err := mw.Conn("dns:///upstream")
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(cc).Unary(context.Background(), msg)
	return err
}

// viaLoggedConn: the other package's chain only logs, so the call can hang.
func viaLoggedConn() error {
	cc, err := mw.LoggedConn("dns:///upstream")
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(cc).Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

// viaLibraryOptions dials with options another package's function returns,
// among them its retry interceptor with a per-attempt timeout: silent.
func viaLibraryOptions(retry bool) error {
	opts := []grpc.DialOption{creds()}
	opts = append(opts, mw.RetryOptions(retry)...)
	conn, err := grpc.NewClient("dns:///upstream", opts...)
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn).Unary(context.Background(), msg)
	return err
}

// viaLoggingOptions: that package's options only log, so the call can hang.
func viaLoggingOptions() error {
	conn, err := grpc.NewClient("dns:///upstream", append([]grpc.DialOption{creds()}, mw.LoggingOptions()...)...)
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn).Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

// Config is how a program configures its connections: the interceptors
// come from whoever fills it in.
type Config struct {
	Interceptors []grpc.UnaryClientInterceptor
	Retry        grpc.UnaryClientInterceptor
}

// viaConfiguredChain dials with interceptors the model cannot see (an
// exported field's, a parameter's): one of them may give every call a
// deadline (a retry interceptor with a per-try timeout), so a unary call
// on the connection is not known to lack one. Silent, like a context that
// passes through a function the model does not know.
func viaConfiguredChain(cfg Config, extra grpc.UnaryClientInterceptor) error {
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithChainUnaryInterceptor(cfg.Interceptors...))
	if err != nil {
		return err
	}
	if _, err := echo.NewEchoClient(conn).Unary(context.Background(), msg); err != nil {
		return err
	}
	conn2, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithUnaryInterceptor(extra))
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn2).Unary(context.Background(), msg)
	return err
}

// viaConfiguredStreams: a stream interceptor the model cannot see (a
// parameter) may open every stream on a context with a deadline, as a
// unary one may bound every call. Silent.
func viaConfiguredStreams(extra grpc.StreamClientInterceptor) error {
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithStreamInterceptor(extra))
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn).Bidi(context.Background())
	return err
}

// viaLocalInterceptors holds the interceptors in local variables, every
// value of which is in view: they only log, so the call can hang.
func viaLocalInterceptors() error {
	logging := mw.Logging()
	conn, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithUnaryInterceptor(logging))
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn).Unary(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	if err != nil {
		return err
	}
	// Silent: a local variable that holds a bounding interceptor.
	timeout := mw.Timeout(time.Second)
	conn2, err := grpc.NewClient("dns:///upstream", creds(), grpc.WithUnaryInterceptor(timeout))
	if err != nil {
		return err
	}
	_, err = echo.NewEchoClient(conn2).Unary(context.Background(), msg)
	return err
}
