// Package fixed is istio/istio#10822 after istio/istio#10998: the hand-off
// selects on the stream context as well. See ../buggy for the links.
package fixed

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
	defer close(reqChannel)
	for {
		req, err := con.stream.Recv()
		if err != nil {
			*errP = err
			return
		}
		select {
		case reqChannel <- req:
		case <-con.stream.Context().Done():
			return
		}
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
