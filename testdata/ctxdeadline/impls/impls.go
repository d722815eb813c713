// Package impls calls clients held in interface-typed struct fields set
// from a constructor's parameters, and clients from a pool, whose values
// are not in view here (dragonfly's announcer and dynconfig's
// managerClient, the scheduler's PeerClientPool().Get). A direct call on
// such a client is judged by what the interface's own package makes of
// it (its implMethods fact): silent when every implementation declared
// there adds its own deadline, by its shape otherwise, and always by its
// shape on a generated client interface.
package impls

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/impls/mgr"
	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
)

type announcer struct {
	mgr   mgr.Client
	plain mgr.Plain
	raw   mgr.Raw
	mixed mgr.Mixed
	other rpcs.UnaryClient
	gen   echo.EchoClient
	lgen  echolegacy.EchoClient
	pool  mgr.Pool
}

// New keeps what its caller gives it: the fields' values are not in view.
func New(c mgr.Client, p mgr.Plain, r mgr.Raw, m mgr.Mixed, o rpcs.UnaryClient, g echo.EchoClient, lg echolegacy.EchoClient, pool mgr.Pool) *announcer {
	return &announcer{mgr: c, plain: p, raw: r, mixed: m, other: o, gen: g, lgen: lg, pool: pool}
}

// register is the announcer's start-up call on context.Background().
func (a *announcer) register() {
	bg := context.Background()
	_, _ = a.mgr.Unary(bg, &echo.Msg{})          // silent: every Client mgr makes adds a two-minute timeout
	_, _ = a.mgr.Legacy(bg, &echolegacy.Msg{})   // silent: the same, on the pre-generic client
	_, _ = a.plain.Unary(bg, &echo.Msg{})        // want `gRPC call mgr.Plain.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = a.plain.Legacy(bg, &echolegacy.Msg{}) // want `gRPC call mgr.Plain.Legacy uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = a.raw.Unary(bg, &echo.Msg{})          // want `gRPC call mgr.Raw.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = a.mixed.Unary(bg, &echo.Msg{})        // want `gRPC call mgr.Mixed.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = a.other.Unary(bg, &echo.Msg{})        // want `gRPC call rpcs.UnaryClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = a.gen.Unary(bg, &echo.Msg{})          // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
	_, _ = a.lgen.Unary(bg, &echolegacy.Msg{})   // want `gRPC call echolegacy.EchoClient.Unary uses bg \(from context.Background\(\)\), which has no deadline`
}

// remove gets its client from the pool on a deliberate
// context.Background() (the scheduler's DeletePersistentTask).
func (a *announcer) remove(addr string) error {
	c, err := a.pool.Get(addr)
	if err != nil {
		return err
	}
	_, err = c.Unary(context.Background(), &echo.Msg{}) // silent: the pool's Clients are mgr's, which add their own timeout
	return err
}

// verify is given its client: judged the same way.
func verify(c mgr.Client, p mgr.Plain) {
	_, _ = c.Unary(context.Background(), &echo.Msg{}) // silent: every Client mgr makes adds its own timeout
	_, _ = p.Unary(context.Background(), &echo.Msg{}) // want `gRPC call mgr.Plain.Unary uses context.Background\(\), which has no deadline`
}

// check and checkPlain pass their context to the client they are given:
// checkPlain's fact says its callers' contexts reach an RPC on that client;
// check gets none, every Client mgr makes bounding its calls.
func check(ctx context.Context, c mgr.Client) error {
	_, err := c.Legacy(ctx, &echolegacy.Msg{})
	return err
}

func checkPlain(ctx context.Context, p mgr.Plain) error { // want checkPlain:`deadlineParams\(param 0 reaches call mgr.Plain.Legacy at impls.go:\d+ on client param 1\)`
	_, err := p.Legacy(ctx, &echolegacy.Msg{})
	return err
}

// run is a CLI's path: clients made from a connection in view.
func run(conn *grpc.ClientConn) {
	_ = check(context.Background(), mgr.FromConn(conn))           // silent: FromConn's Client adds its own timeout
	_ = checkPlain(context.Background(), mgr.PlainFromConn(conn)) // want `call to impls.checkPlain passes context.Background\(\) as ctx, which reaches gRPC call mgr.Plain.Legacy \(impls.go:\d+\) with no deadline`
}

// other may hold mgr's PlainOther.
func other(o mgr.Other) {
	_, _ = o.Send(context.Background(), &echo.Msg{}) // want `gRPC call mgr.Other.Send uses context.Background\(\), which has no deadline`
}
