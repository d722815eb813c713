// Package buggy reduces vitessio/vitess#15926 (issue vitessio/vitess#15925),
// before the fix.
//
// Upstream: https://github.com/vitessio/vitess/issues/15925,
// https://github.com/vitessio/vitess/pull/15926. Original:
// go/vt/topo/locks.go (Server.LockShard), called from VTOrc's recoveries in
// go/vt/vtorc/logic/topology_recovery.go.
//
// LockShard derived a context with the lock timeout, used it to take the
// lock, and returned the caller's original context instead. Every RPC a
// recovery made under the lock therefore ran without the expiry the code
// relied on, and some that should have timed out never did. The fix
// returned the derived context. The pull request was closed unmerged;
// vitess documented the behaviour instead (https://github.com/vitessio/vitess/pull/15981,
// doc/design-docs/LockShard.md). fixed/ is the change it proposed.
package buggy

import (
	"context"
	"time"

	"example.com/bugs/pb"
)

const lockTimeout = 45 * time.Second

type shardLockKey struct{}

type topoServer interface {
	Lock(ctx context.Context, path string) error
	Unlock(path string)
}

// LockShard locks keyspace/shard and returns the context to work under.
func LockShard(ctx context.Context, ts topoServer, keyspace, shard string) (context.Context, func(), error) {
	path := keyspace + "/" + shard
	lockCtx, cancel := context.WithTimeout(ctx, lockTimeout)
	if err := ts.Lock(lockCtx, path); err != nil {
		cancel()
		return nil, nil, err
	}
	// The bug: the returned context is built on ctx, not lockCtx.
	return context.WithValue(ctx, shardLockKey{}, path), func() { cancel(); ts.Unlock(path) }, nil
}

type vtorc struct {
	ts  topoServer
	tmc pb.TabletManagerClient
}

func (o *vtorc) electNewPrimary(keyspace, shard, alias string) error {
	ctx, unlock, err := LockShard(context.Background(), o.ts, keyspace, shard)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = o.tmc.StopReplication(ctx, &pb.Request{Key: alias}) // want ctxdeadline "deadline"
	return err
}
