package ctxdeadline

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
)

// Callers of functions that have a gRPC client method's shape but are not
// generated clients (rpcs/shaped.go, and the local ones below): such a
// function is judged by its body, so a caller is reported only when the
// context it passes reaches an RPC that adds no deadline of its own. A call
// through a client interface is still judged by its shape, the body behind
// it being unknown, unless the interface value comes straight from a
// constructor that returns one concrete type.

// retrying is a client wrapper in the same package that adds a timeout to
// each attempt: silent at its callers.
func retrying(ctx context.Context, c echo.EchoClient, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	var err error
	for range 3 {
		actx, cancel := context.WithTimeout(ctx, time.Second)
		var out *echo.Msg
		out, err = c.Unary(actx, in, opts...)
		cancel()
		if err == nil {
			return out, nil
		}
	}
	return nil, err
}

// tagged adds metadata only: its callers are reported through the fact.
func tagged(ctx context.Context, c echo.EchoClient, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) { // want tagged:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:40 on client param 1\)`
	return c.Unary(ctx, in, opts...)
}

func shapedCallers(conn *grpc.ClientConn) {
	c := echo.NewEchoClient(conn)
	bg := context.Background()
	_, _ = retrying(bg, c, msg)        // silent: every attempt has its own timeout
	_, _ = tagged(bg, c, msg)          // want `call to ctxdeadline.tagged passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(shaped.go:40\) with no deadline`
	_ = rpcs.DoWithTimeout(bg, c)      // silent: the helper sets its own timeout
	_ = rpcs.DoCancelAfterBegin(bg, c) // silent: the helper cancels its own stream
	_ = rpcs.DoUnary(bg, c)            // want `call to rpcs.DoUnary passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(shaped.go:20\) with no deadline`
	w := &rpcs.LocalWriter{}
	_, _ = w.Unary(bg, msg) // silent: an in-process stand-in makes no RPC
	var ci unaryClient = w
	_, _ = ci.Unary(bg, msg) // want `gRPC call ctxdeadline.unaryClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
}

// Calls on the result of this package's constructors are judged by the
// method that runs; another package's constructor is not looked into (go
// vet could not see the type it returns), so its result is judged by its
// shape.
func constructedCallers(s echo.EchoServer, conn *grpc.ClientConn) {
	bg := context.Background()
	_, _ = local(s).Unary(bg, msg)                // silent: in process, no RPC
	_, _ = forwarding(conn).Unary(bg, msg)        // want `call to ctxdeadline.forwarder.Unary passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(shaped.go:\d+\) with no deadline`
	_, _ = either(s, conn).Unary(bg, msg)         // want `gRPC call ctxdeadline.unaryClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = rpcs.AsClient(s).Unary(bg, msg)        // silent: another package's constructor, whose fact says its Unary makes no RPC
	_, _ = echo.NewEchoClient(nil).Unary(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg`
}

// Calls on clients made by another package's constructors are judged by
// the ctorMethods fact: what the method that runs does with its context.
func ctorFactCallers(conn *grpc.ClientConn) {
	bg := context.Background()
	timed := rpcs.NewTimed(conn, time.Second)
	_, _ = timed.Unary(bg, msg)                  // silent: the method adds its own timeout
	_, _ = rpcs.NewTimed(conn, 0).Unary(bg, msg) // silent: the same, called directly
	plain := rpcs.NewPlain(conn)
	_, _ = plain.Unary(bg, msg) // want `call to rpcs.UnaryClient.Unary passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(shaped.go:\d+\) with no deadline`
	partial := rpcs.NewPartial(echo.NewEchoClient(conn))
	_, _ = partial.Unary(bg, msg) // silent: the override adds a timeout
	_, _ = partial.Bidi(bg)       // want `gRPC stream echo.EchoClient.Bidi uses bg \(from context.Background\(\)\), which has neither a deadline nor a cancel function`
}

// Constructors with an error result are constructors too.
func ctorErrCallers(conn *grpc.ClientConn) error {
	bg := context.Background()
	timed, err := rpcs.DialTimed("dns:///upstream", time.Second)
	if err != nil {
		return err
	}
	_, _ = timed.Unary(bg, msg) // silent: the method adds its own timeout
	plain, err := rpcs.DialPlain("dns:///upstream")
	if err != nil {
		return err
	}
	_, _ = plain.Unary(bg, msg) // want `call to rpcs.UnaryClient.Unary passes bg \(from context.Background\(\)\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(shaped.go:\d+\) with no deadline`
	local, err := dialLocal(conn, true)
	if err != nil {
		return err
	}
	_, _ = local.Unary(bg, msg) // silent: this package's constructor, whose method adds a timeout
	open, err := dialLocal(conn, false)
	if err != nil {
		return err
	}
	_, err = open.Unary(bg, msg) // silent: the same constructor (its one type decides)
	return err
}

// dialLocal returns this package's timed client, or nil and an error.
func dialLocal(conn *grpc.ClientConn, ok bool) (unaryClient, error) {
	if !ok {
		return nil, errors.New("no client")
	}
	return &timedLocal{echo.NewEchoClient(conn)}, nil
}

type timedLocal struct{ c echo.EchoClient }

func (t *timedLocal) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return t.c.Unary(ctx, in, opts...)
}

// forwarding passes the call on to a real client.
func forwarding(conn *grpc.ClientConn) unaryClient { return forwarder{echo.NewEchoClient(conn)} }

type forwarder struct{ c echo.EchoClient }

func (f forwarder) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) { // want Unary:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at shaped.go:\d+\)`
	return f.c.Unary(ctx, in, opts...)
}

// either returns one of two types: its result stays an interface.
func either(s echo.EchoServer, conn *grpc.ClientConn) unaryClient {
	if s != nil {
		return &inProcess{s}
	}
	return forwarder{echo.NewEchoClient(conn)}
}

func local(s echo.EchoServer) unaryClient { return &inProcess{s} }

type inProcess struct{ s echo.EchoServer }

func (p *inProcess) Unary(ctx context.Context, in *echo.Msg, _ ...grpc.CallOption) (*echo.Msg, error) {
	return p.s.Unary(ctx, in)
}

// unaryClient is a client interface of the user's: what implements it is
// unknown where it is called, so its calls are judged by their shape.
type unaryClient interface {
	Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
}
