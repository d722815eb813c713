// Package buggy reduces envoyproxy/go-control-plane#916 (issue
// envoyproxy/go-control-plane#913), before the fix.
//
// Upstream: https://github.com/envoyproxy/go-control-plane/issues/913,
// https://github.com/envoyproxy/go-control-plane/pull/916 (commit
// 149ddb1). Original: pkg/server/delta/v3/server.go
// (server.DeltaStreamHandler).
//
// The delta stream handler's receive goroutine did watch the stream
// context, but only in a select whose default branch then received a
// request and sent it on an unbuffered channel, outside the select. After
// the processing loop had returned, that send blocked forever and the
// goroutine leaked. The fix moved the send into a select with the stream
// context's Done.
package buggy

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
	return s.deltaStreamHandler(stream)
}

func (s *server) deltaStreamHandler(stream pb.Discovery_StreamResourcesServer) error {
	reqCh := make(chan *pb.Request)
	go func() {
		for {
			select {
			case <-stream.Context().Done():
				close(reqCh)
				return
			default:
				req, err := stream.Recv()
				if err != nil {
					close(reqCh)
					return
				}
				reqCh <- req // want ctxloop "stream.Context|Done"
			}
		}
	}()
	return s.processDelta(stream, reqCh)
}

// processDelta sends the cache's responses for the latest request; it returns
// when a request channel closes or a Send fails, and at server shutdown.
func (s *server) processDelta(stream pb.Discovery_StreamResourcesServer, reqCh <-chan *pb.Request) error {
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
