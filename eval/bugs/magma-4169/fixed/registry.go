// Package fixed is magma/magma#4169 after the fix: the registry's
// connections carry an interceptor that adds a default deadline to any
// call without one. See ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/pb"
)

const defaultTimeout = 10 * time.Second

// timeoutInterceptor bounds a call whose context has no deadline.
func timeoutInterceptor(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	return invoker(ctx, method, req, reply, cc, opts...)
}

type registry struct {
	addrs map[string]string
}

func (r *registry) GetConnection(service string) (*grpc.ClientConn, error) {
	return grpc.NewClient(r.addrs[service],
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(timeoutInterceptor),
	)
}

func reportState(r *registry, gateway string) error {
	conn, err := r.GetConnection("state")
	if err != nil {
		return err
	}
	_, err = pb.NewInstanceClient(conn).Status(context.Background(), &pb.Request{Key: gateway})
	return err
}
