// Package fixed is chainguard-dev/go-grpc-kit#551: a default deadline for
// unary calls that lack one, first in the interceptor chain, so
// WaitForReady cannot wait forever. See ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/pb"
)

var defaultClientTimeout = 30 * time.Second

func defaultDeadlineInterceptor(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if _, ok := ctx.Deadline(); ok {
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	ctx, cancel := context.WithTimeout(ctx, defaultClientTimeout)
	defer cancel()
	return invoker(ctx, method, req, reply, cc, opts...)
}

func grpcCallOptions() []grpc.CallOption {
	return []grpc.CallOption{grpc.WaitForReady(true)}
}

func GRPCOptions(addr string) (string, []grpc.DialOption) {
	return addr, []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(defaultDeadlineInterceptor),
		grpc.WithDefaultCallOptions(grpcCallOptions()...),
	}
}

func refresh(addr string) error {
	target, opts := GRPCOptions(addr)
	conn, err := grpc.NewClient(target, opts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = pb.NewInstanceClient(conn).Status(context.Background(), &pb.Request{})
	return err
}
