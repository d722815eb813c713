// Package buggy reduces vitessio/vitess#14165 (issue vitessio/vitess#14164),
// before the fix.
//
// Upstream: https://github.com/vitessio/vitess/issues/14164,
// https://github.com/vitessio/vitess/pull/14165. Original:
// go/vt/vttablet/tabletserver/throttle/throttler.go (the probe of each
// replica through tmclient.CheckThrottler).
//
// The primary's throttler probed its replicas with CheckThrottler through
// the tablet manager client, on the throttler's own context: cancellable at
// close, but without a deadline. When a replica was decommissioned and its
// address stopped answering, the last probe hung, and grpc-go kept
// reconnecting to the dead address forever. The fix gave each probe (and
// each topo call) a timeout.
//
// Caught with the declaration a team using vitess would configure: the
// interface is an RPC the analysis cannot see into (its implementation is
// registered through a factory).
//
// flags: -ctxdeadline.rpc=example.com/bugs/internal/vitess/tmclient.TabletManagerClient
package buggy

import (
	"context"
	"time"

	"example.com/bugs/internal/vitess/tmclient"
)

type throttler struct {
	tmc      tmclient.TabletManagerClient
	replicas func() []*tmclient.Tablet
	cancel   context.CancelFunc
	lag      map[string]int64
}

func (t *throttler) Open() {
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	go t.operate(ctx) // want ctxdeadline "deadline"
}

func (t *throttler) operate(ctx context.Context) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			for _, tablet := range t.replicas() {
				t.probe(ctx, tablet)
			}
		}
	}
}

func (t *throttler) probe(ctx context.Context, tablet *tmclient.Tablet) {
	lag, err := t.tmc.CheckThrottler(ctx, tablet)
	if err == nil {
		t.lag[tablet.Alias] = lag
	}
}
