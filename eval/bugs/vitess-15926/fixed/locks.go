// Package fixed is vitessio/vitess#15926 after the fix: LockShard returns
// the context that carries the lock timeout. See ../buggy for the links.
package fixed

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

func LockShard(ctx context.Context, ts topoServer, keyspace, shard string) (context.Context, func(), error) {
	path := keyspace + "/" + shard
	lockCtx, cancel := context.WithTimeout(ctx, lockTimeout)
	if err := ts.Lock(lockCtx, path); err != nil {
		cancel()
		return nil, nil, err
	}
	return context.WithValue(lockCtx, shardLockKey{}, path), func() { cancel(); ts.Unlock(path) }, nil
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
	_, err = o.tmc.StopReplication(ctx, &pb.Request{Key: alias})
	return err
}
