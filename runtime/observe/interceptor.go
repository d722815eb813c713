package observe

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// Hooks are called by the interceptors around each handler. Both are
// optional; they run on the handler's goroutine and must be safe for
// concurrent use.
type Hooks struct {
	// Started is called with the full method name just before the handler
	// runs.
	Started func(method string)
	// Finished is called with the report of the RPC once the handler
	// returned.
	Finished func(Report)
}

// UnaryServerInterceptor measures unary RPCs; see the package documentation.
func UnaryServerInterceptor(hooks Hooks) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		var resp any
		err := observe(ctx, info.FullMethod, hooks, func(ctx context.Context) error {
			var err error
			resp, err = handler(ctx, req)
			return err
		})
		return resp, err
	}
}

// StreamServerInterceptor measures streaming RPCs; see the package
// documentation.
func StreamServerInterceptor(hooks Hooks) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return observe(ss.Context(), info.FullMethod, hooks, func(ctx context.Context) error {
			return handler(srv, &contextStream{ServerStream: ss, ctx: ctx})
		})
	}
}

// contextStream is a grpc.ServerStream whose Context is ctx.
type contextStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the stream's context, carrying the Meter.
func (s *contextStream) Context() context.Context {
	return s.ctx
}

// observe runs call with a Meter in ctx and reports on it.
func observe(ctx context.Context, method string, hooks Hooks, call func(context.Context) error) error {
	meter := new(Meter)
	ctx = WithMeter(ctx, meter)

	// When ctx ends, snapshot the time and the published count. AfterFunc
	// runs the snapshot on its own goroutine, so a handler that never looks
	// at ctx is measured all the same.
	var endedAt time.Time
	var hashesAtEnd uint64
	snapshotted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		endedAt, hashesAtEnd = time.Now(), meter.Load()
		close(snapshotted)
	})

	start := time.Now()
	if hooks.Started != nil {
		hooks.Started(method)
	}
	err := call(ctx)
	end := time.Now()
	ended := ctx.Err() != nil

	r := Report{
		Method: method,
		Code:   status.Code(err),
		Err:    err,
		Hashes: meter.Load(),
		Start:  start,
		End:    end,
	}
	if !stop() {
		// The snapshot has started; wait for it to finish.
		<-snapshotted
	}
	if ended {
		r.ContextEnded, r.ContextEndedAt, r.HashesAtContextEnd = true, endedAt, hashesAtEnd
		if endedAt.After(end) {
			// The snapshot goroutine ran only after the handler, which
			// had seen the context end, returned: the handler stopped
			// within a goroutine start-up time, counted as zero.
			r.ContextEndedAt, r.HashesAtContextEnd = end, r.Hashes
		}
	}
	if hooks.Finished != nil {
		hooks.Finished(r)
	}
	return err
}
