// Package fixed is grpc/grpc-go#8911: the hand-off of the request selects
// on the stream context too. See ../buggy for the links.
package fixed

import (
	"example.com/bugs/pb"
)

type fakeORCAService struct {
	pb.UnimplementedEventsServer
	reqCh  chan *pb.Request
	respCh chan *pb.Response
}

func (f *fakeORCAService) Subscribe(req *pb.Request, stream pb.Events_SubscribeServer) error {
	select {
	case f.reqCh <- req:
	case <-stream.Context().Done():
		return stream.Context().Err()
	}
	for {
		var resp *pb.Response
		select {
		case resp = <-f.respCh:
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
		if err := stream.Send(resp); err != nil {
			return err
		}
	}
}
