// Package fixed is appleboy/gorush#798 fixed: the push keeps the request's
// values, drops its cancellation, and gets a deadline of its own. See
// ../buggy for the links and for how upstream's one-line fix differs.
package fixed

import (
	"context"
	"time"

	"example.com/bugs/pb"
)

const pushTimeout = 30 * time.Second

type notifier interface {
	SendNotification(ctx context.Context, req *pb.Request) error
}

type server struct {
	pb.UnimplementedPushServer
	notify notifier
	errs   chan<- error
}

func (s *server) Send(ctx context.Context, in *pb.Request) (*pb.Response, error) {
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pushTimeout)
		defer cancel()
		if err := s.notify.SendNotification(ctx, in); err != nil {
			s.errs <- err
		}
	}()
	return &pb.Response{Key: in.Key}, nil
}
