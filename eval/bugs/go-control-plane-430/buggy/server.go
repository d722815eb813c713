// Package buggy reduces envoyproxy/go-control-plane#430, before the fix.
//
// Upstream: https://github.com/envoyproxy/go-control-plane/issues/370 (the
// leak, found by grpc-go's leak checker),
// https://github.com/envoyproxy/go-control-plane/pull/430 (commit 63b5d3c).
// Original: pkg/server/sotw/v3/server.go (server.StreamHandler,
// server.process).
//
// The stream handler forwarded each received request to its processing
// loop over an unbuffered channel, from a goroutine whose select watched
// only the server's lifetime context. Once the processing loop had returned
// (a Send failed because the client went away), the goroutine's next send
// blocked forever: one leaked goroutine per finished stream, found by
// grpc-go's leak checker. The fix added the stream context's Done to the
// select. The processing loop, unchanged by the fix, watches the server's
// context too and leaves when a Send fails.
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
	return s.streamHandler(stream)
}

func (s *server) streamHandler(stream pb.Discovery_StreamResourcesServer) error {
	reqCh := make(chan *pb.Request)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				close(reqCh)
				return
			}
			select { // want ctxloop "stream.Context|Done"
			case reqCh <- req:
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
