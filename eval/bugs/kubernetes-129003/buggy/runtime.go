// Package buggy is the code kubernetes/kubernetes#129003 proposed to change:
// a negative case, nothing is wrong here.
//
// Upstream: https://github.com/kubernetes/kubernetes/pull/129003 ("kubelet:
// add ctx with timeout in fastStatusUpdateOnce()", closed). Original:
// pkg/kubelet/kubelet.go (Kubelet.updateRuntimeUp, which calls
// containerRuntime.Status on context.Background()),
// staging/src/k8s.io/cri-client/pkg/remote_runtime.go (remoteRuntimeService,
// whose every method derives its context with WithTimeout before calling
// the CRI runtime).
//
// The pull request proposed a timeout for updateRuntimeUp's Status call,
// fearing it could hang. The call reaches the CRI runtime only through the
// client wrapper, which bounds every call with its own timeout, so it
// cannot hang; the change was not needed. A checker must stay silent on
// both versions, also once it sees through the wrapper.
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

type kubelet struct {
	containerRuntime RuntimeService
}

func (kl *kubelet) updateRuntimeUp() bool {
	// negative: Status bounds its own call with r.timeout.
	resp, err := kl.containerRuntime.Status(context.Background())
	return err == nil && resp != nil
}
