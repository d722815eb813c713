// Package fixed is appleboy/gorush#798 fixed: the push keeps the request's
// values, drops its cancellation, and gets a deadline of its own. See
// ../buggy for the links and for how upstream's one-line fix differs.
package fixed

import (
	"context"
	"net/http"
	"time"

	"example.com/bugs/pb"
)

const pushTimeout = 30 * time.Second

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
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pushTimeout)
		defer cancel()
		if err := sendNotification(ctx, s.hc, in); err != nil {
			s.errs <- err
		}
	}()
	return &pb.Response{Key: in.Key}, nil
}
