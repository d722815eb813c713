// Package buggy reduces kubernetes/kubernetes#117435, before the fix.
//
// Upstream: https://github.com/kubernetes/kubernetes/issues/117435 (also
// https://github.com/kubernetes/kubernetes/issues/129249); proposed fixes
// https://github.com/kubernetes/kubernetes/pull/129248,
// https://github.com/kubernetes/kubernetes/pull/129655 (closed),
// https://github.com/kubernetes/kubernetes/pull/127717 (closed; a context
// through pod admission). Original: pkg/kubelet/cm/devicemanager/endpoint.go
// (endpointImpl.allocate; preStartContainer beside it already had a
// timeout).
//
// The kubelet asked a device plugin to allocate devices through the
// generated DevicePluginClient on context.Background(). A plugin process
// that was stopped (state T) never answered, and the kubelet's pod
// admission stuck behind the call for good, every later pod with it. The
// proposed fixes bound the call with a timeout, as the preStartContainer
// call next to it already was.
package buggy

import (
	"context"
	"errors"
	"time"

	"example.com/bugs/pb"
)

const preStartContainerRPCTimeout = 30 * time.Second

var errEndpointStopped = errors.New("endpoint stopped")

type endpointImpl struct {
	api     pb.InstanceClient // the device plugin's generated client
	stopped bool
}

// allocate issues the Allocate gRPC call to the device plugin.
func (e *endpointImpl) allocate(devs []string) (*pb.Response, error) {
	if e.stopped {
		return nil, errEndpointStopped
	}
	return e.api.Status(context.Background(), &pb.Request{Key: devs[0]}) // want ctxdeadline "no deadline"
}

// preStartContainer issues the PreStartContainer gRPC call, with a timeout.
func (e *endpointImpl) preStartContainer(devs []string) (*pb.Response, error) {
	if e.stopped {
		return nil, errEndpointStopped
	}
	ctx, cancel := context.WithTimeout(context.Background(), preStartContainerRPCTimeout)
	defer cancel()
	return e.api.Status(ctx, &pb.Request{Key: devs[0], Payload: []byte("prestart")})
}
