// Package mgr is the client side of a service another package calls
// through interfaces (dragonfly's pkg/rpc/manager/client and
// pkg/rpc/dfdaemon/client): the package declares the client interface and
// the only implementations it makes. Each interface gets an implMethods
// fact, the join over every concrete type the package's functions return
// as it, when every such return is known.
package mgr

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
)

const timeout = 2 * time.Minute

// Client is implemented here by client alone, whose every method adds its
// own timeout before the RPC (dragonfly's managerclient.V2 and *v2).
type Client interface { // want Client:`implMethods\(\)`
	Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
	Legacy(ctx context.Context, in *echolegacy.Msg, opts ...grpc.CallOption) (*echolegacy.Msg, error)
	Close() error
}

type client struct {
	c    echo.EchoClient
	lc   echolegacy.EchoClient
	conn *grpc.ClientConn
}

// Dial returns the timed client, or nil and the error.
func Dial(target string) (Client, error) { // want Dial:`ctorMethods\(\)`
	conn, err := grpc.NewClient(target)
	if err != nil {
		return nil, err
	}
	return &client{c: echo.NewEchoClient(conn), lc: echolegacy.NewEchoClient(conn), conn: conn}, nil
}

// FromConn returns the timed client on conn.
func FromConn(conn *grpc.ClientConn) Client { // want FromConn:`ctorMethods\(\)`
	return &client{c: echo.NewEchoClient(conn), lc: echolegacy.NewEchoClient(conn), conn: conn}
}

func (c *client) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.c.Unary(ctx, in, opts...)
}

func (c *client) Legacy(ctx context.Context, in *echolegacy.Msg, opts ...grpc.CallOption) (*echolegacy.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.lc.Unary(ctx, in, opts...)
}

func (c *client) Close() error { return c.conn.Close() }

// Pool hands out Clients by address (dragonfly's dfdaemonclient.Pool): its
// Get returns a stored Client (a type assertion) or, through a variable,
// Dial's: neither adds a type of its own.
type Pool interface {
	Get(target string) (Client, error)
}

// NewPool returns the pool.
func NewPool() Pool { return &pool{} }

type pool struct{ m sync.Map }

func (p *pool) Get(target string) (Client, error) {
	if v, ok := p.m.Load(target); ok {
		return v.(Client), nil
	}
	c, err := Dial(target)
	if err != nil {
		return nil, err
	}
	p.m.Store(target, c)
	return c, nil
}

// Plain is implemented here by plain alone, whose methods pass their
// context on unchanged: a caller's context decides.
type Plain interface { // want Plain:`implMethods\(Legacy: deadlineParams\(param 0 reaches call echolegacy.EchoClient.Unary at mgr.go:\d+\); Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)\)`
	Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
	Legacy(ctx context.Context, in *echolegacy.Msg, opts ...grpc.CallOption) (*echolegacy.Msg, error)
}

type plain struct {
	c  echo.EchoClient
	lc echolegacy.EchoClient
}

// DialPlain returns the plain client, or nil and the error.
func DialPlain(target string) (Plain, error) { // want DialPlain:`ctorMethods\(Legacy: deadlineParams\(param 0 reaches call echolegacy.EchoClient.Unary at mgr.go:\d+\); Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)\)`
	conn, err := grpc.NewClient(target)
	if err != nil {
		return nil, err
	}
	return plain{echo.NewEchoClient(conn), echolegacy.NewEchoClient(conn)}, nil
}

// PlainFromConn returns the plain client on conn.
func PlainFromConn(conn *grpc.ClientConn) Plain { // want PlainFromConn:`ctorMethods\(Legacy: deadlineParams\(param 0 reaches call echolegacy.EchoClient.Unary at mgr.go:\d+\); Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)\)`
	return plain{echo.NewEchoClient(conn), echolegacy.NewEchoClient(conn)}
}

func (p plain) Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) { // want Unary:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)`
	return p.c.Unary(ctx, in, opts...)
}

func (p plain) Legacy(ctx context.Context, in *echolegacy.Msg, opts ...grpc.CallOption) (*echolegacy.Msg, error) { // want Legacy:`deadlineParams\(param 0 reaches call echolegacy.EchoClient.Unary at mgr.go:\d+\)`
	return p.lc.Unary(ctx, in, opts...)
}

// Raw's package hands out a generated client as it: no body of this
// package runs, so Raw gets no fact and calls on it are judged by their
// shape.
type Raw interface {
	Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
}

// NewRaw returns the generated client itself.
func NewRaw(conn grpc.ClientConnInterface) Raw { return echo.NewEchoClient(conn) }

// Mixed has a timed and a plain implementation here: the join keeps the
// plain one's RPC, so calls on a Mixed of unknown origin are judged by
// their shape.
type Mixed interface { // want Mixed:`implMethods\(Unary: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)\)`
	Unary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
}

// NewMixed returns the timed client, or the plain one.
func NewMixed(conn *grpc.ClientConn, timed bool) Mixed {
	if timed {
		return &client{c: echo.NewEchoClient(conn), lc: echolegacy.NewEchoClient(conn), conn: conn}
	}
	return plain{echo.NewEchoClient(conn), echolegacy.NewEchoClient(conn)}
}

// Ping and PingPlain are this package's own calls on clients given to
// them: judged by the same join, computed here.
func Ping(c Client) error {
	_, err := c.Unary(context.Background(), &echo.Msg{}) // silent: every Client this package makes adds its own timeout
	return err
}

func PingPlain(p Plain) error {
	_, err := p.Unary(context.Background(), &echo.Msg{}) // want `gRPC call mgr.Plain.Unary uses context.Background\(\), which has no deadline`
	return err
}

// Other is returned as itself only by the timed client, but the package
// also exports PlainOther, which implements it and passes its context on:
// a value of it may be stored in an Other elsewhere, so the join keeps
// its RPC.
type Other interface { // want Other:`implMethods\(Send: deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)\)`
	Send(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
}

// NewOther returns the timed client.
func NewOther(conn *grpc.ClientConn) Other { // want NewOther:`ctorMethods\(\)`
	return &client{c: echo.NewEchoClient(conn), lc: echolegacy.NewEchoClient(conn), conn: conn}
}

func (c *client) Send(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.c.Unary(ctx, in, opts...)
}

// PlainOther is an Other made by its own type's constructor.
type PlainOther struct{ c echo.EchoClient }

// NewPlainOther returns the PlainOther on conn, as itself.
func NewPlainOther(conn *grpc.ClientConn) *PlainOther {
	return &PlainOther{c: echo.NewEchoClient(conn)}
}

func (p *PlainOther) Send(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) { // want Send:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at mgr.go:\d+\)`
	return p.c.Unary(ctx, in, opts...)
}
