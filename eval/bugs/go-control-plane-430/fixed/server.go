// Package fixed is envoyproxy/go-control-plane#430 after the fix: the
// receive goroutine also leaves when the stream's context ends. See
// ../buggy for the links.
package fixed

import (
	"context"
	"errors"

	"example.com/bugs/pb"
)

var errWatchFailed = errors.New("watch failed")

type server struct {
	pb.UnimplementedDiscoveryServer
	ctx   context.Context                           // the server's lifetime, not the RPC's
	watch func(req *pb.Request) <-chan *pb.Response // the config cache
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

// process sends the cache's responses for the latest request; it returns
// when a request channel closes or a Send fails, and at server shutdown.
func (s *server) process(stream pb.Discovery_StreamResourcesServer, reqCh <-chan *pb.Request) error {
	var responses <-chan *pb.Response
	for {
		select {
		case <-s.ctx.Done():
			return nil
		case resp, more := <-responses:
			if !more {
				return errWatchFailed
			}
			if err := stream.Send(resp); err != nil {
				return err
			}
		case req, more := <-reqCh:
			if !more {
				return nil
			}
			responses = s.watch(req)
		}
	}
}
