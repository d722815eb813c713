// Package grpctmclient mirrors vitess's go/vt/vttablet/grpctmclient: the gRPC
// implementation of tmclient.TabletManagerClient, registered in init. Each
// method passes its context straight to the generated client, so the
// caller's context alone decides whether the RPC can hang.
package grpctmclient

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/internal/vitess/tmclient"
	"example.com/bugs/pb"
)

func init() {
	tmclient.RegisterFactory("grpc", func() tmclient.TabletManagerClient { return &client{} })
}

type client struct{}

func (c *client) dial(tablet *tmclient.Tablet) (pb.TabletManagerClient, func(), error) {
	cc, err := grpc.NewClient(tablet.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, nil, err
	}
	return pb.NewTabletManagerClient(cc), func() { cc.Close() }, nil
}

func (c *client) SetReadOnly(ctx context.Context, tablet *tmclient.Tablet) error {
	tm, closer, err := c.dial(tablet)
	if err != nil {
		return err
	}
	defer closer()
	_, err = tm.SetReadOnly(ctx, &pb.Request{Key: tablet.Alias})
	return err
}

func (c *client) StopReplication(ctx context.Context, tablet *tmclient.Tablet) error {
	tm, closer, err := c.dial(tablet)
	if err != nil {
		return err
	}
	defer closer()
	_, err = tm.StopReplication(ctx, &pb.Request{Key: tablet.Alias})
	return err
}

func (c *client) CheckThrottler(ctx context.Context, tablet *tmclient.Tablet) (int64, error) {
	tm, closer, err := c.dial(tablet)
	if err != nil {
		return 0, err
	}
	defer closer()
	resp, err := tm.CheckThrottler(ctx, &pb.Request{Key: tablet.Alias})
	if err != nil {
		return 0, err
	}
	return resp.Revision, nil
}
