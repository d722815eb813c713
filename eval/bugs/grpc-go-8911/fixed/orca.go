// Package fixed is grpc/grpc-go#8911: the hand-off of the request selects
// on the stream context too. See ../buggy for the links.
package fixed

import (
	"context"

	"example.com/bugs/pb"
)

type fakeORCAService struct {
	pb.UnimplementedEventsServer
	reqCh  chan *pb.Request
	respCh chan *pb.Response
}

// newFakeORCAService makes both channels unbuffered, as upstream does:
// each send waits for the test to receive.
func newFakeORCAService() *fakeORCAService {
	return &fakeORCAService{
		reqCh:  make(chan *pb.Request),
		respCh: make(chan *pb.Response),
	}
}

// awaitRequest is the test's side (TestProducerBackoff's closure of that
// name): it waits for the next request until its own context expires, and
// then stops receiving.
func awaitRequest(ctx context.Context, f *fakeORCAService) (*pb.Request, error) {
	select {
	case req := <-f.reqCh:
		return req, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
