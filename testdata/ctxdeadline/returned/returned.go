// Package returned calls helpers of another package that return a
// context: the origin of what they return comes through their facts.
package returned

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxdeadline/returned/shard"
	"example.com/fixtures/pb/echo"
)

var msg = &echo.Msg{}

// reshard uses the context shard.Lock returns: the one it was given, here
// context.Background(), without the lock's timeout.
func reshard(c echo.EchoClient) (err error) {
	ctx, unlock, err := shard.Lock(context.Background(), "-80")
	if err != nil {
		return err
	}
	defer unlock(&err)
	_, err = c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
	return err
}

// reshardBounded: shard.LockBounded returns its context with the lock's
// timeout. Silent.
func reshardBounded(c echo.EchoClient) (err error) {
	ctx, unlock, err := shard.LockBounded(context.Background(), "-80")
	if err != nil {
		return err
	}
	defer unlock(&err)
	_, err = c.Unary(ctx, msg)
	return err
}

// tagged: metadata adds no deadline.
func tagged(c echo.EchoClient) error {
	_, err := c.Unary(shard.Tag(context.Background(), "k", "v"), msg) // want `gRPC call echo.EchoClient.Unary uses shard.Tag\(context.Background\(\), "k", "v"\) \(from context.Background\(\)\), which has no deadline`
	return err
}

// taggedBounded: the timeout is the caller's own. Silent.
func taggedBounded(c echo.EchoClient) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(shard.Tag(ctx, "k", "v"), msg)
	return err
}

// maybeBounded: a timeout on some path through shard.MaybeBounded is
// enough for the analyzer to stay silent (it reports only calls that
// certainly have no deadline).
func maybeBounded(c echo.EchoClient, d time.Duration) error {
	ctx, cancel := shard.MaybeBounded(context.Background(), d)
	defer cancel()
	_, err := c.Unary(ctx, msg)
	return err
}

// fresh: shard.Background is context.Background() in another package.
func fresh(c echo.EchoClient) error {
	_, err := c.Unary(shard.Background(), msg) // want `gRPC call echo.EchoClient.Unary uses shard.Background\(\), which has no deadline`
	return err
}

// freshBounded: shard.WithTimeout adds the deadline. Silent.
func freshBounded(c echo.EchoClient) error {
	ctx, cancel := shard.WithTimeout(shard.Background(), time.Second)
	defer cancel()
	_, err := c.Unary(ctx, msg)
	return err
}

// lockParam hands its own context through shard.Lock to the RPC: its
// callers must give it a deadline, and are told through its fact.
func lockParam(ctx context.Context, c echo.EchoClient) (err error) { // want lockParam:`deadlineParams\(param 0 reaches call echo.EchoClient.Unary at returned.go:87 on client param 1\)`
	ctx, unlock, err := shard.Lock(ctx, "-80")
	if err != nil {
		return err
	}
	defer unlock(&err)
	_, err = c.Unary(ctx, msg)
	return err
}

func callsLockParam(conn *grpc.ClientConn) error {
	return lockParam(context.Background(), echo.NewEchoClient(conn)) // want `call to returned.lockParam passes context.Background\(\) as ctx, which reaches gRPC call echo.EchoClient.Unary \(returned.go:87\) with no deadline`
}

// lockParamBounded: shard.LockBounded bounds it. Silent, and so are its
// callers.
func lockParamBounded(ctx context.Context, c echo.EchoClient) (err error) {
	ctx, unlock, err := shard.LockBounded(ctx, "-80")
	if err != nil {
		return err
	}
	defer unlock(&err)
	_, err = c.Unary(ctx, msg)
	return err
}

func callsLockParamBounded(c echo.EchoClient) error {
	return lockParamBounded(context.Background(), c) // silent: see lockParamBounded
}

// lockShard is shard.Lock in the caller's own package, as vitess's
// LockShard and its callers are (vitessio/vitess#15926): followed the
// same way.
func lockShard(ctx context.Context, name string) (context.Context, func(), error) {
	lockCtx, cancel := context.WithTimeout(ctx, shard.LockTimeout)
	defer cancel()
	if err := lockCtx.Err(); err != nil {
		return nil, nil, err
	}
	return context.WithValue(ctx, lockKey{}, name), func() {}, nil
}

type lockKey struct{}

func electPrimary(c echo.EchoClient) error {
	ctx, unlock, err := lockShard(context.Background(), "-80")
	if err != nil {
		return err
	}
	defer unlock()
	_, err = c.Unary(ctx, msg) // want `gRPC call echo.EchoClient.Unary uses ctx \(from context.Background\(\)\), which has no deadline`
	return err
}

// lockShardBounded returns the context with the lock's timeout.
func lockShardBounded(ctx context.Context, name string) (context.Context, func(), error) {
	lockCtx, cancel := context.WithTimeout(ctx, shard.LockTimeout)
	if err := lockCtx.Err(); err != nil {
		cancel()
		return nil, nil, err
	}
	return context.WithValue(lockCtx, lockKey{}, name), cancel, nil
}

// electPrimaryBounded: silent, lockShardBounded's timeout is on the way.
func electPrimaryBounded(c echo.EchoClient) error {
	ctx, unlock, err := lockShardBounded(context.Background(), "-80")
	if err != nil {
		return err
	}
	defer unlock()
	_, err = c.Unary(ctx, msg)
	return err
}
