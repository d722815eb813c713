// Package buggy reduces grpc/grpc-go#8911 (issue grpc/grpc-go#8891), before
// the fix.
//
// Upstream: https://github.com/grpc/grpc-go/issues/8891,
// https://github.com/grpc/grpc-go/pull/8911. Original: orca/producer_test.go
// (fakeORCAService, newFakeORCAService and StreamCoreMetrics, a fake server
// the tests register; awaitRequest, the tests' receiving side).
//
// The fake ORCA service's server-streaming handler first handed each
// request to the test over an unbuffered channel. When the test gave up
// waiting (its own context expired) nobody received, and the handler
// goroutine stayed blocked on the send after the test had ended: a leak
// goleak reported. The fix put the send in a select with
// stream.Context().Done(), which ends when the test closes its connection.
package buggy

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
	f.reqCh <- req // want ctxloop "reqCh|Done"
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
