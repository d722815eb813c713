// Package buggy reduces containerd/cri#44, before the fix.
//
// Upstream: https://github.com/containerd/cri/pull/44 (commit 84390cc6;
// related: https://github.com/kubernetes/kubernetes/pull/46267). Original:
// pkg/server/container_stop.go (criContainerdService.StopContainer,
// waitContainerStop).
//
// The CRI StopContainer handler polled the container's state in a helper
// that took no context, every 100 ms until a timeout that reached two
// minutes after SIGKILL. When the kubelet gave up on the call, the handler
// kept polling until its own timer fired. The fix passed the request
// context to the helper and added its Done to the poll's select.
package buggy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"example.com/bugs/pb"
)

const (
	stopCheckPollInterval = 100 * time.Millisecond
	killContainerTimeout  = 2 * time.Minute
)

var errNotExist = errors.New("container does not exist")

type containerStore interface {
	// Exited reports whether the container has exited; errNotExist once
	// it has been removed.
	Exited(id string) (bool, error)
}

type criService struct {
	pb.UnimplementedInstanceServer
	containers containerStore
	kill       func(id string) error
}

// Status stands for StopContainer: stop, then wait for the exit.
func (c *criService) Status(ctx context.Context, r *pb.Request) (*pb.Response, error) {
	id := r.Key
	if err := c.kill(id); err != nil {
		return nil, err
	}
	if err := c.waitContainerStop(id, killContainerTimeout); err != nil { // want ctxloop "waitContainerStop"
		return nil, err
	}
	return &pb.Response{Key: id}, nil
}

// waitContainerStop polls container state until timeout exceeds or
// container is stopped.
func (c *criService) waitContainerStop(id string, timeout time.Duration) error {
	ticker := time.NewTicker(stopCheckPollInterval)
	defer ticker.Stop()
	timeoutTimer := time.NewTimer(timeout)
	defer timeoutTimer.Stop()
	for {
		exited, err := c.containers.Exited(id)
		if err != nil {
			if !errors.Is(err, errNotExist) {
				return fmt.Errorf("failed to get container %q: %w", id, err)
			}
			return nil // removed while stopping: it is stopped
		}
		if exited {
			return nil
		}
		select {
		case <-timeoutTimer.C:
			return fmt.Errorf("wait container %q stop timeout", id)
		case <-ticker.C:
		}
	}
}
