// Package buggy reduces tikv/pd#1267, before the fix.
//
// Upstream: https://github.com/tikv/pd/pull/1267 (commit 5f7712d8, "fix
// hanging problem when etcd failed to start"; backport
// https://github.com/tikv/pd/pull/1287). Original: pd-client/client.go
// (client.initClusterID, client.getMembers; the client's ctx is made in
// NewClient from context.Background()).
//
// A PD server whose embedded etcd hung at start-up listened on its port
// and answered nothing. TiDB's PD client asked it for the cluster members
// through the generated client under the client's lifetime context, which
// has no deadline, so TiDB hung at start-up instead of trying the next PD.
// The fix bounded each attempt with pdTimeout.
package buggy

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"

	"example.com/bugs/pb"
)

const maxInitClusterRetries = 100

var errFailInitClusterID = errors.New("failed to get cluster id")

type client struct {
	urls      []string
	ctx       context.Context // the client's lifetime: WithCancel(Background)
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
			members, err := c.getMembers(ctx, u) // want ctxdeadline "deadline"
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
