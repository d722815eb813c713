// Package shard holds helpers that take or make a context and return one,
// like a topology server's LockShard. The model follows the context they
// return through its returnedContext fact, in every analyzer of their
// callers in other packages.
package shard

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc/metadata"
)

// LockTimeout bounds taking a lock.
const LockTimeout = 30 * time.Second

var errLocked = errors.New("locked")

// Lock bounds taking the lock with a timeout, then returns the context it
// was given, as vitess's LockShard did (vitessio/vitess#15925): the
// timeout ends with Lock, and the caller's calls after it have none.
func Lock(ctx context.Context, name string) (context.Context, func(*error), error) {
	lockCtx, cancel := context.WithTimeout(ctx, LockTimeout)
	defer cancel()
	if err := acquire(lockCtx, name); err != nil {
		return nil, nil, err
	}
	return ctx, func(*error) {}, nil
}

// LockBounded is Lock fixed: it returns the context with the timeout, and
// its unlock function cancels it.
func LockBounded(ctx context.Context, name string) (context.Context, func(*error), error) {
	ctx, cancel := context.WithTimeout(ctx, LockTimeout)
	if err := acquire(ctx, name); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, func(*error) { cancel() }, nil
}

func acquire(ctx context.Context, name string) error {
	if name == "" || ctx.Err() != nil {
		return errLocked
	}
	return nil
}

// Tag adds metadata: no deadline, no cancel.
func Tag(ctx context.Context, k, v string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, k, v)
}

// MaybeBounded adds a timeout on one path only.
func MaybeBounded(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d > 0 {
		return context.WithTimeout(ctx, d)
	}
	return context.WithCancel(ctx)
}

// Background makes a context for background work: detached from any
// caller, without a deadline.
func Background() context.Context {
	return context.Background()
}

// WithTimeout wraps context.WithTimeout.
func WithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}
