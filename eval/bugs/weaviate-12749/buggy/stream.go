// Package buggy reduces weaviate/weaviate#12749, before the fix proposed in
// weaviate/weaviate#12751 (and, in another form, #12750; both closed in the
// stored thread, with the issue closed).
//
// Upstream: https://github.com/weaviate/weaviate/issues/12749,
// https://github.com/weaviate/weaviate/pull/12751. Original:
// adapters/handlers/grpc/v1/batch/stream.go (StreamHandler.recv, receiver).
//
// The batch-stream handler's recv helper forwarded stream.Recv results
// from a goroutine over two unbuffered channels. Its consumer had exit
// paths (the stream context, grace-period cancels) that abandoned those
// channels; the goroutine then blocked on its next send forever, one leak
// per abnormally ended stream (16, 9 and 10 on three production nodes).
// The fix passed the consumer's context to recv and put both sends in a
// select with its Done.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

type streamHandler struct {
	pb.UnimplementedDiscoveryServer
	apply func(*pb.Request) *pb.Response
}

func (h *streamHandler) StreamResources(stream pb.Discovery_StreamResourcesServer) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	reqCh, errCh := h.recv(stream)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errCh:
			return err
		case req := <-reqCh:
			if err := stream.Send(h.apply(req)); err != nil {
				return err
			}
		}
	}
}

func (h *streamHandler) recv(stream pb.Discovery_StreamResourcesServer) (<-chan *pb.Request, <-chan error) {
	reqCh := make(chan *pb.Request)
	errCh := make(chan error)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				errCh <- err // want ctxloop "errCh|Done"
				return
			}
			reqCh <- req // want ctxloop "reqCh|Done"
		}
	}()
	return reqCh, errCh
}
