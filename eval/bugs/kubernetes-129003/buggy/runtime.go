// Package buggy is the code kubernetes/kubernetes#129003 proposed to change:
// a negative case, nothing is wrong here.
//
// Upstream: https://github.com/kubernetes/kubernetes/pull/129003. Original:
// staging/src/k8s.io/cri-client/pkg/remote_runtime.go (remoteRuntimeService,
// whose every method derives its context with WithTimeout before calling
// the CRI runtime), pkg/kubelet/kuberuntime (its callers, which pass
// context.Background() or a long-lived context).
//
// The pull request proposed adding a timeout at a kubelet call site of the
// CRI client. Reviewers pointed out that the client wrapper already bounds
// every call with its own timeout, so the call cannot hang; the change was
// not needed. A checker must stay silent on both versions.
package buggy

import (
	"context"
	"time"

	"example.com/bugs/pb"
)

// RuntimeService is the kubelet's view of the container runtime
// (internalapi.RuntimeService).
type RuntimeService interface {
	Status(ctx context.Context) (*pb.Response, error)
}

type remoteRuntimeService struct {
	timeout       time.Duration
	runtimeClient pb.InstanceClient
}

// NewRemoteRuntimeService returns the CRI client wrapper.
func NewRemoteRuntimeService(client pb.InstanceClient, timeout time.Duration) RuntimeService {
	return &remoteRuntimeService{timeout: timeout, runtimeClient: client}
}

func (r *remoteRuntimeService) Status(ctx context.Context) (*pb.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	return r.runtimeClient.Status(ctx, &pb.Request{})
}

type runtimeManager struct {
	runtimeService RuntimeService
}

func (m *runtimeManager) runtimeReady() bool {
	// negative: Status bounds its own call with r.timeout.
	resp, err := m.runtimeService.Status(context.Background())
	return err == nil && resp != nil
}
