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
	"net/http"

	"example.com/bugs/pb"
)

// sendNotification pushes one notification to the platform's HTTP API, as
// gorush's notify.SendNotification does (APNs, FCM): outbound work on ctx.
func sendNotification(ctx context.Context, hc *http.Client, req *pb.Request) error {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://push.example.com/"+req.Key, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(r)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type server struct {
	pb.UnimplementedPushServer
	hc   *http.Client
	errs chan<- error
}

func (s *server) Send(ctx context.Context, in *pb.Request) (*pb.Response, error) {
	go func() {
		if err := sendNotification(ctx, s.hc, in); err != nil { // want ctxdetach "WithoutCancel|outlive|returns"
			s.errs <- err
		}
	}()
	return &pb.Response{Key: in.Key}, nil
}
