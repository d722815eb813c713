// Package buggy reduces magma/magma#4169, before the fix.
//
// Upstream: https://github.com/magma/magma/pull/4169 ("Default timeout for
// all Go GRPC client connections"). Original: orc8r/lib/go/registry
// (registry.go, the connection factory every orc8r service and gateway
// client goes through).
//
// Clients of magma's services got their connections from the service
// registry and were called on contexts without deadlines; a peer that
// stopped answering held the caller forever. The fix added a hand-written
// timeout interceptor to every connection the registry makes: it gives the
// outgoing context a deadline when it has none.
package buggy

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/pb"
)

type registry struct {
	addrs map[string]string
}

func (r *registry) GetConnection(service string) (*grpc.ClientConn, error) {
	return grpc.NewClient(r.addrs[service], grpc.WithTransportCredentials(insecure.NewCredentials()))
}

func reportState(r *registry, gateway string) error {
	conn, err := r.GetConnection("state")
	if err != nil {
		return err
	}
	_, err = pb.NewInstanceClient(conn).Status(context.Background(), &pb.Request{Key: gateway}) // want ctxdeadline "no deadline"
	return err
}
