// Package fixed is tikv/pd#1267 after the fix: each attempt has pdTimeout,
// so a PD that never answers costs three seconds and the next one is
// tried. See ../buggy for the links.
package fixed

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"

	"example.com/bugs/pb"
)

const (
	pdTimeout             = 3 * time.Second
	maxInitClusterRetries = 100
)

var errFailInitClusterID = errors.New("failed to get cluster id")

type client struct {
	urls      []string
	ctx       context.Context
	cancel    context.CancelFunc
	conns     map[string]*grpc.ClientConn
	clusterID int64
}

func newClient(urls []string, conns map[string]*grpc.ClientConn) (*client, error) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{urls: urls, ctx: ctx, cancel: cancel, conns: conns}
	if err := c.initClusterID(); err != nil {
		cancel()
		return nil, err
	}
	return c, nil
}

func (c *client) initClusterID() error {
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	for i := 0; i < maxInitClusterRetries; i++ {
		for _, u := range c.urls {
			timeoutCtx, timeoutCancel := context.WithTimeout(ctx, pdTimeout)
			members, err := c.getMembers(timeoutCtx, u)
			timeoutCancel()
			if err != nil {
				continue
			}
			c.clusterID = members.Revision
			return nil
		}
		time.Sleep(time.Second)
	}
	return errFailInitClusterID
}

func (c *client) getMembers(ctx context.Context, url string) (*pb.Response, error) {
	return pb.NewKVClient(c.conns[url]).Range(ctx, &pb.Request{Key: "members"})
}
