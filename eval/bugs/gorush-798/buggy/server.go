// Package buggy reduces appleboy/gorush#798 (issues appleboy/gorush#789,
// appleboy/gorush#790), before the fix.
//
// Upstream: https://github.com/appleboy/gorush/issues/789,
// https://github.com/appleboy/gorush/issues/790,
// https://github.com/appleboy/gorush/pull/798 (commit a7ca587). Original:
// rpc/server.go (Server.Send).
//
// The gRPC Send handler answered at once and pushed the notification in a
// goroutine that used the request context. gRPC cancels that context as
// soon as the handler returns, so pushes failed at random with "context
// canceled". Upstream replaced it with context.Background() inside the
// goroutine; fixed/ uses the remedy issue 14 item 4 prescribes instead
// (context.WithoutCancel plus a timeout of its own), since a bare
// Background also drops the request's values and has no deadline.
package buggy

import (
	"context"

	"example.com/bugs/pb"
)

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
		if err := s.notify.SendNotification(ctx, in); err != nil { // want-missing ctxdetach "WithoutCancel|outlive|returns"
			s.errs <- err
		}
	}()
	return &pb.Response{Key: in.Key}, nil
}
