// Package fixed is the change kubernetes/kubernetes#129003 proposed: a
// timeout at the call site as well. Redundant, and as silent as the
// original. See ../buggy for the links.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/pb"
)

type RuntimeService interface {
	Status(ctx context.Context) (*pb.Response, error)
}

type remoteRuntimeService struct {
	timeout       time.Duration
	runtimeClient pb.InstanceClient
}

func NewRemoteRuntimeService(client pb.InstanceClient, timeout time.Duration) RuntimeService {
	return &remoteRuntimeService{timeout: timeout, runtimeClient: client}
}

func (r *remoteRuntimeService) Status(ctx context.Context) (*pb.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	return r.runtimeClient.Status(ctx, &pb.Request{})
}

type kubelet struct {
	containerRuntime RuntimeService
}

func (kl *kubelet) updateRuntimeUp() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	resp, err := kl.containerRuntime.Status(ctx)
	return err == nil && resp != nil
}
