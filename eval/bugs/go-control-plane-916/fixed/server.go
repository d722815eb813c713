// Package fixed is envoyproxy/go-control-plane#916 after the fix: the send
// sits in a select with the stream context's Done. See ../buggy for the
// links.
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
	return s.deltaStreamHandler(stream)
}

func (s *server) deltaStreamHandler(stream pb.Discovery_StreamResourcesServer) error {
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
	return s.processDelta(stream, reqCh)
}

func (s *server) processDelta(stream pb.Discovery_StreamResourcesServer, reqCh <-chan *pb.Request) error {
	for {
		select {
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
