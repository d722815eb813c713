// Package fixed is containerd/cri#44 after the fix: the poll also ends
// when the request is cancelled. See ../buggy for the links.
package fixed

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
	Exited(id string) (bool, error)
}

type criService struct {
	pb.UnimplementedInstanceServer
	containers containerStore
	kill       func(id string) error
}

func (c *criService) Status(ctx context.Context, r *pb.Request) (*pb.Response, error) {
	id := r.Key
	if err := c.kill(id); err != nil {
		return nil, err
	}
	if err := c.waitContainerStop(ctx, id, killContainerTimeout); err != nil {
		return nil, err
	}
	return &pb.Response{Key: id}, nil
}

func (c *criService) waitContainerStop(ctx context.Context, id string, timeout time.Duration) error {
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
			return nil
		}
		if exited {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait container %q is cancelled", id)
		case <-timeoutTimer.C:
			return fmt.Errorf("wait container %q stop timeout", id)
		case <-ticker.C:
		}
	}
}
