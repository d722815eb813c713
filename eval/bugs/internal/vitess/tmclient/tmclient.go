// Package tmclient mirrors vitess's go/vt/vttablet/tmclient: the
// hand-written TabletManagerClient interface that VTOrc, the throttler and
// vtctld call, with the implementation chosen at run time from a factory
// registry. Its methods take no ...grpc.CallOption, and nothing in a caller's
// imports says which implementation runs.
package tmclient

import (
	"context"
	"fmt"
)

// Tablet is a tablet record from the topology.
type Tablet struct {
	Alias string
	Addr  string
}

// TabletManagerClient is what callers use to reach a tablet.
type TabletManagerClient interface {
	SetReadOnly(ctx context.Context, tablet *Tablet) error
	StopReplication(ctx context.Context, tablet *Tablet) error
	CheckThrottler(ctx context.Context, tablet *Tablet) (int64, error)
}

var factories = make(map[string]func() TabletManagerClient)

// RegisterFactory is called from the init of an implementation's package.
func RegisterFactory(name string, f func() TabletManagerClient) { factories[name] = f }

// NewTabletManagerClient returns the implementation the flag names.
func NewTabletManagerClient(name string) (TabletManagerClient, error) {
	f, ok := factories[name]
	if !ok {
		return nil, fmt.Errorf("no tablet manager client %q", name)
	}
	return f(), nil
}
