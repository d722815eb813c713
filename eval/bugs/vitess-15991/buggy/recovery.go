// Package buggy reduces vitessio/vitess#15991 (issue vitessio/vitess#15990),
// before the fix.
//
// Upstream: https://github.com/vitessio/vitess/issues/15990,
// https://github.com/vitessio/vitess/pull/15991. Original:
// go/vt/vtorc/logic/topology_recovery.go (fixReplica and the other
// recoveries), go/vt/vttablet/tmclient (the interface),
// go/vt/vttablet/grpctmclient (the implementation).
//
// VTOrc's recoveries called the tablet manager through
// tmclient.TabletManagerClient on context.Background(). A tablet stuck
// setting MySQL read-only never answered fixReplica's SetReadOnly, so VTOrc
// hung and repaired nothing else in the cluster. The fix gave every RPC a
// context that expires after topo.RemoteOperationTimeout.
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

type analysis struct {
	Replica *tmclient.Tablet
}

type vtorc struct {
	tmc tmclient.TabletManagerClient
}

func (o *vtorc) fixReplica(a analysis) error {
	if err := o.tmc.SetReadOnly(context.Background(), a.Replica); err != nil { // want ctxdeadline "deadline"
		return err
	}
	return o.tmc.StopReplication(context.Background(), a.Replica) // want ctxdeadline "deadline"
}
