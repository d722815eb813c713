// Package buggy reduces istio/istio#10822, before the fix.
//
// Upstream: https://github.com/istio/istio/issues/10822,
// https://github.com/istio/istio/pull/10892 (a first fix, merged, that
// checked the stream context in a select whose default branch still did
// the blocking send: go-control-plane-916's shape),
// https://github.com/istio/istio/pull/10998 (the fix that put the send in
// the select). Original: pilot/pkg/proxy/envoy/v2/ads.go (receiveThread,
// DiscoveryServer.StreamAggregatedResources).
//
// Pilot's ADS handler read requests in receiveThread and handed them over
// a one-slot channel to its main loop. When the main loop returned (a push
// to the proxy failed), receiveThread's next send blocked forever: ten
// thousand leaked goroutines, with their connections' memory, on a busy
// Pilot.
package buggy

import (
	"example.com/bugs/pb"
)

type xdsConnection struct {
	stream      pb.Discovery_StreamResourcesServer
	pushChannel chan *pb.Response
}

type discoveryServer struct {
	pb.UnimplementedDiscoveryServer
	respond func(*pb.Request) *pb.Response
}

func receiveThread(con *xdsConnection, reqChannel chan *pb.Request, errP *error) {
	defer close(reqChannel) // the remote side closed
	for {
		req, err := con.stream.Recv()
		if err != nil {
			*errP = err
			return
		}
		reqChannel <- req // want ctxloop "reqChannel|Done"
	}
}

func (s *discoveryServer) StreamResources(stream pb.Discovery_StreamResourcesServer) error {
	con := &xdsConnection{stream: stream, pushChannel: make(chan *pb.Response)}
	var receiveError error
	reqChannel := make(chan *pb.Request, 1)
	go receiveThread(con, reqChannel, &receiveError)
	for {
		select {
		case req, ok := <-reqChannel:
			if !ok {
				return receiveError
			}
			if err := stream.Send(s.respond(req)); err != nil {
				return err
			}
		case push := <-con.pushChannel:
			if err := stream.Send(push); err != nil {
				return nil
			}
		}
	}
}
