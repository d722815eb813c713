// Package fixed is kubernetes/kubernetes#117435 as the proposed fixes have
// it: Allocate is bounded like PreStartContainer. See ../buggy for the
// links.
package fixed

import (
	"context"
	"errors"
	"time"

	"example.com/bugs/pb"
)

const (
	preStartContainerRPCTimeout = 30 * time.Second
	allocateRPCTimeout          = 30 * time.Second
)

var errEndpointStopped = errors.New("endpoint stopped")

type endpointImpl struct {
	api     pb.InstanceClient
	stopped bool
}

func (e *endpointImpl) allocate(devs []string) (*pb.Response, error) {
	if e.stopped {
		return nil, errEndpointStopped
	}
	ctx, cancel := context.WithTimeout(context.Background(), allocateRPCTimeout)
	defer cancel()
	return e.api.Status(ctx, &pb.Request{Key: devs[0]})
}

func (e *endpointImpl) preStartContainer(devs []string) (*pb.Response, error) {
	if e.stopped {
		return nil, errEndpointStopped
	}
	ctx, cancel := context.WithTimeout(context.Background(), preStartContainerRPCTimeout)
	defer cancel()
	return e.api.Status(ctx, &pb.Request{Key: devs[0], Payload: []byte("prestart")})
}
