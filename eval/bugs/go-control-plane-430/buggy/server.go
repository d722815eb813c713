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
// (the client went away), the goroutine's next send blocked forever: one
// leaked goroutine per finished stream. The fix added the stream context's
// Done to the select.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

type server struct {
	pb.UnimplementedDiscoveryServer
	ctx   context.Context // the server's lifetime, not the RPC's
	cache func(req *pb.Request) *pb.Response
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
			select { // want-missing ctxloop "stream.Context|Done"
			case reqCh <- req:
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
