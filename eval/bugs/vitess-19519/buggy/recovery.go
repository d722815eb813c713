// Package buggy reduces vitessio/vitess#19519, before the fix.
//
// Upstream: https://github.com/vitessio/vitess/issues/19519 (and the
// similar https://github.com/vitessio/vitess/issues/19428); the fix's
// timeout helpers are described in
// https://github.com/vitessio/vitess/pull/20719. Original:
// go/vt/vtorc/logic/topology_recovery.go (restartDirectReplicas).
//
// Two years after vitess#15991 gave VTOrc's RPCs a timeout, a newer
// recovery again passed context.Background() to tmc.StopReplication,
// tmc.StartReplication and the topo's GetTabletsByShard: an unresponsive
// tablet or topo server blocked it, and every other recovery behind it.
// The fix wrapped the calls in local helpers that derive a
// RemoteOperationTimeout context.
//
// Caught with the declaration a team using vitess would configure: the
// interface is an RPC the analysis cannot see into (its implementation is
// registered through a factory).
//
// flags: -ctxdeadline.rpc=example.com/bugs/internal/vitess/tmclient.TabletManagerClient
package buggy

import (
	"context"

	"example.com/bugs/internal/vitess/tmclient"
)

type topoServer interface {
	GetTabletsByShard(ctx context.Context, keyspace, shard string) ([]*tmclient.Tablet, error)
}

type vtorc struct {
	ts  topoServer
	tmc tmclient.TabletManagerClient
}

func (o *vtorc) restartDirectReplicas(keyspace, shard string) error {
	replicas, err := o.ts.GetTabletsByShard(context.Background(), keyspace, shard)
	if err != nil {
		return err
	}
	for _, r := range replicas {
		if err := o.tmc.StopReplication(context.Background(), r); err != nil { // want ctxdeadline "deadline"
			return err
		}
	}
	return nil
}
