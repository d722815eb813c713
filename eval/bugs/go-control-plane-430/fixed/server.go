// Package fixed is envoyproxy/go-control-plane#430 after the fix: the
// receive goroutine also leaves when the stream's context ends. See
// ../buggy for the links.
package fixed

import (
	"context"

	"example.com/bugs/pb"
)

type server struct {
	pb.UnimplementedDiscoveryServer
	ctx   context.Context
	cache func(req *pb.Request) *pb.Response
}

func (s *server) StreamResources(stream pb.Discovery_StreamResourcesServer) error {
	return s.streamHandler(stream)
}

func (s *server) streamHandler(stream pb.Discovery_StreamResourcesServer) error {
	reqCh := make(chan *pb.Request)
	go func() {
		defer close(reqCh)
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select {
			case reqCh <- req:
			case <-stream.Context().Done():
				return
			case <-s.ctx.Done():
				return
			}
		}
	}()
	return s.process(stream, reqCh)
}

func (s *server) process(stream pb.Discovery_StreamResourcesServer, reqCh <-chan *pb.Request) error {
	for {
		select {
		case <-stream.Context().Done():
			return nil
		case <-s.ctx.Done():
			return nil
		case req, ok := <-reqCh:
			if !ok {
				return nil
			}
			if err := stream.Send(s.cache(req)); err != nil {
				return err
			}
		}
	}
}
