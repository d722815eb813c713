// Package buggy reduces chainguard-dev/go-grpc-kit#551, before the change.
//
// Upstream: https://github.com/chainguard-dev/go-grpc-kit/pull/453 (made
// grpc.WaitForReady(true) a default call option),
// https://github.com/chainguard-dev/go-grpc-kit/pull/551 (a default-deadline
// interceptor, after incident INC-44). Original: pkg/options/options.go
// (GRPCOptions, grpcCallOptions).
//
// Every client built from GRPCOptions waits for a ready connection by
// default. When a downstream went away, deadline-less calls queued forever
// instead of failing, until the service's instances ran out of concurrency.
// The change put a unary interceptor first in the chain that gives calls
// without a deadline 30 s; it was closed unmerged, and fixed/ is the change it
// proposed. A caller here is a background refresher on
// context.Background().
package buggy

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/bugs/pb"
)

func grpcCallOptions() []grpc.CallOption {
	return []grpc.CallOption{grpc.WaitForReady(true)}
}

// GRPCOptions returns the target and dial options for a delegate.
func GRPCOptions(addr string) (string, []grpc.DialOption) {
	return addr, []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
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
	_, err = pb.NewInstanceClient(conn).Status(context.Background(), &pb.Request{}) // want ctxdeadline "no deadline, so with grpc.WaitForReady"
	return err
}
