// Package fixed is weaviate/weaviate#12751: recv takes the consumer's
// context and both sends select on its Done. See ../buggy for the links.
package fixed

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
	reqCh, errCh := h.recv(ctx, stream)
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

func (h *streamHandler) recv(ctx context.Context, stream pb.Discovery_StreamResourcesServer) (<-chan *pb.Request, <-chan error) {
	reqCh := make(chan *pb.Request)
	errCh := make(chan error)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				select {
				case errCh <- err:
				case <-ctx.Done():
				}
				return
			}
			select {
			case reqCh <- req:
			case <-ctx.Done():
				return
			}
		}
	}()
	return reqCh, errCh
}
