package ctxdeadline

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/rpcs"
	"example.com/fixtures/pb/echo"
	"example.com/fixtures/pb/echolegacy"
)

// A method value of a client method is called like the method: its call
// is an RPC.
func methodValues(conn *grpc.ClientConn) error {
	c := echo.NewEchoClient(conn)
	call := c.Unary
	if _, err := call(context.Background(), msg); err != nil { // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
		return err
	}
	// Silent: a timed context.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := call(ctx, msg)
	return err
}

// unaryCall is the type of a client's unary method value.
type unaryCall = func(context.Context, *echo.Msg, ...grpc.CallOption) (*echo.Msg, error)

// dispatch calls through a table of method values, built in the function
// from composite literals: every value it may call is a client method, so
// the call is an RPC, reported like the method. The names of all the
// methods the table holds are in the message.
func dispatch(conn *grpc.ClientConn, name string) {
	c := echo.NewEchoClient(conn)
	byName := map[string]unaryCall{"unary": c.Unary, "again": c.Unary}
	_, _ = byName[name](context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	if f, ok := byName[name]; ok {
		_, _ = f(context.TODO(), msg) // want `gRPC call echo.EchoClient.Unary uses context.TODO\(\), which has no deadline`
	}
	ordered := []unaryCall{c.Unary}
	ordered = append(ordered, c.Unary) // silent below: a definition that is not a composite literal
	_, _ = ordered[0](context.Background(), msg)
	fixed := [...]unaryCall{c.Unary}
	_, _ = fixed[0](context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\)`
	stored := map[string]unaryCall{"unary": c.Unary}
	stored["again"] = c.Unary                      // an element store of a method value: still all RPCs
	_, _ = stored[name](context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\)`
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, _ = byName[name](ctx, msg) // silent: a timed context
}

// legacyClient is the pre-generic generated client's stream method value.
type legacyStream = func(context.Context, ...grpc.CallOption) (echolegacy.Echo_BidiClient, error)

// legacyDispatch is the same on pre-generic generated code, with a
// stream: streams need a way to be cancelled.
func legacyDispatch(conn *grpc.ClientConn, name string) {
	c := echolegacy.NewEchoClient(conn)
	streams := map[string]legacyStream{"bidi": c.Bidi}
	_, _ = streams[name](context.Background()) // want `gRPC stream echolegacy.EchoClient.Bidi uses context.Background\(\), which has neither a deadline nor a cancel function`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _ = streams[name](ctx) // silent: a cancellable stream
}

// dispatchUnknown calls through tables that may hold something else than
// a client method: a function the caller passes (a wrapper with its own
// timeout, a fake), a table another function fills or that is aliased.
// The origin of what runs is not visible: silent.
func dispatchUnknown(conn *grpc.ClientConn, name string, other unaryCall) {
	c := echo.NewEchoClient(conn)
	mixed := map[string]unaryCall{"unary": c.Unary}
	mixed["other"] = other
	_, _ = mixed[name](context.Background(), msg) // silent: other is the caller's
	filled := map[string]unaryCall{"unary": c.Unary}
	fill(filled)
	_, _ = filled[name](context.Background(), msg) // silent: fill may store anything
	made := make(map[string]unaryCall)
	made["unary"] = c.Unary
	_, _ = made[name](context.Background(), msg) // silent: made by make, whose elements come from anywhere the map goes
	aliased := map[string]unaryCall{"unary": c.Unary}
	alias := aliased
	alias["other"] = other
	_, _ = aliased[name](context.Background(), msg) // silent: written through an alias
	_, _ = other(context.Background(), msg)         // silent: a parameter, whatever it holds
	for _, f := range []unaryCall{c.Unary} {
		_, _ = f(context.Background(), msg) // silent: a range value is not followed
	}
}

func fill(m map[string]unaryCall) { m["timed"] = timedUnary }

func timedUnary(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return in, ctx.Err()
}

// A function-typed field of an unexported struct, every store of which in
// the package is a client method value, is called like the method.
type caller struct{ call unaryCall }

func fieldValues(conn *grpc.ClientConn) {
	k := caller{call: echo.NewEchoClient(conn).Unary}
	_, _ = k.call(context.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\)`
}

// A field stored from a constructor's parameter holds whatever the caller
// passes: silent.
type injected struct{ call unaryCall }

func newInjected(f unaryCall) *injected { return &injected{call: f} }

func injectedValues(conn *grpc.ClientConn) {
	k := newInjected(echo.NewEchoClient(conn).Unary)
	_, _ = k.call(context.Background(), msg) // silent: the field holds a parameter's value
}

// inProcessValues: method values of clients that call a server in
// process are as silent as the direct calls (constructedCallers): the
// client comes from a constructor whose method that runs is known, here
// or through another package's ctorMethods fact.
func inProcessValues(s echo.EchoServer) {
	bg := context.Background()
	call := rpcs.AsClient(s).Unary
	_, _ = call(bg, msg) // silent: another package's in-process constructor
	held := rpcs.AsClient(s)
	heldCall := held.Unary
	_, _ = heldCall(bg, msg)   // silent: the same, held in a variable first
	_, _ = held.Unary(bg, msg) // silent: the direct call on the variable
	localCall := local(s).Unary
	_, _ = localCall(bg, msg) // silent: this package's in-process constructor
	table := map[string]unaryCall{"local": local(s).Unary}
	_, _ = table["local"](bg, msg) // silent: the same in a table
}

// forwardingValue leans silent: a method value of a client that this
// package's constructor makes runs a method whose body is known
// (ConcreteMethod), which the call through a function value does not
// follow, even where it forwards to a real RPC (the direct call
// forwarding(conn).Unary(bg, msg) is reported through the method's fact).
func forwardingValue(conn *grpc.ClientConn) {
	call := forwarding(conn).Unary
	_, _ = call(context.Background(), msg) // silent: the method that runs is not followed
}

// pairClient is a hand-written client interface with two methods of one
// shape: a table of both names both in its message.
type pairClient interface {
	First(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
	Second(ctx context.Context, in *echo.Msg, opts ...grpc.CallOption) (*echo.Msg, error)
}

func pairDispatch(p pairClient, name string) {
	table := map[string]unaryCall{"first": p.First, "second": p.Second}
	_, _ = table[name](context.Background(), msg) // want `gRPC call ctxdeadline.pairClient.First or ctxdeadline.pairClient.Second uses context.Background\(\), which has no deadline`
	_, _ = p.First(context.Background(), msg)     // want `gRPC call ctxdeadline.pairClient.First uses context.Background\(\), which has no deadline`
}

// inProcessTwins are the true twins: the same shapes on a client made on a
// network connection.
func inProcessTwins(conn *grpc.ClientConn) {
	bg := context.Background()
	held := forwarding(conn)
	_, _ = held.Unary(bg, msg) // want `call to ctxdeadline.forwarder.Unary passes bg \(from context.Background\(\)\) as ctx`
	c := echo.NewEchoClient(conn)
	viaValue := c.Unary
	_, _ = viaValue(bg, msg) // want `gRPC call echo.EchoClient.Unary uses bg \(from context.Background\(\)\)`
}
