// Package fixed is vitessio/vitess#19519 after the fix: the calls go
// through local helpers that bound each one with RemoteOperationTimeout. A
// checker that sees into tmclient must see the helper's timeout too. See
// ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/internal/vitess/tmclient"
)

var remoteOperationTimeout = 15 * time.Second

type topoServer interface {
	GetTabletsByShard(ctx context.Context, keyspace, shard string) ([]*tmclient.Tablet, error)
}

type vtorc struct {
	ts  topoServer
	tmc tmclient.TabletManagerClient
}

func (o *vtorc) stopReplication(ctx context.Context, tablet *tmclient.Tablet) error {
	ctx, cancel := context.WithTimeout(ctx, remoteOperationTimeout)
	defer cancel()
	return o.tmc.StopReplication(ctx, tablet)
}

func (o *vtorc) restartDirectReplicas(keyspace, shard string) error {
	ctx, cancel := context.WithTimeout(context.Background(), remoteOperationTimeout)
	replicas, err := o.ts.GetTabletsByShard(ctx, keyspace, shard)
	cancel()
	if err != nil {
		return err
	}
	for _, r := range replicas {
		if err := o.stopReplication(context.Background(), r); err != nil {
			return err
		}
	}
	return nil
}
