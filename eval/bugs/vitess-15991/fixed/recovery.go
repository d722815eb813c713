// Package fixed is vitessio/vitess#15991 after the fix: every tablet
// manager RPC from a recovery runs under RemoteOperationTimeout. See
// ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/internal/vitess/tmclient"
)

var remoteOperationTimeout = 15 * time.Second

type analysis struct {
	Replica *tmclient.Tablet
}

type vtorc struct {
	tmc tmclient.TabletManagerClient
}

func (o *vtorc) fixReplica(a analysis) error {
	ctx, cancel := context.WithTimeout(context.Background(), remoteOperationTimeout)
	defer cancel()
	if err := o.tmc.SetReadOnly(ctx, a.Replica); err != nil {
		return err
	}
	return o.tmc.StopReplication(ctx, a.Replica)
}
