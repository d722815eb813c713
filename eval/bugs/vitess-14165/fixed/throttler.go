// Package fixed is vitessio/vitess#14165 after the fix: each probe runs
// under its own timeout, derived from the throttler's context. See ../buggy
// for the links.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/internal/vitess/tmclient"
)

const probeTimeout = 5 * time.Second

type throttler struct {
	tmc      tmclient.TabletManagerClient
	replicas func() []*tmclient.Tablet
	cancel   context.CancelFunc
	lag      map[string]int64
}

func (t *throttler) Open() {
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	go t.operate(ctx)
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
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	lag, err := t.tmc.CheckThrottler(ctx, tablet)
	if err == nil {
		t.lag[tablet.Alias] = lag
	}
}
