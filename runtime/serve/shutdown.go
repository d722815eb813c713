package serve

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errShuttingDown is the cause of the cancellation of the RPCs in flight at
// shutdown; the reference handlers answer with it.
var errShuttingDown = status.Error(codes.Unavailable, "server is shutting down")

// withShutdown returns a copy of ctx that also ends, with errShuttingDown as
// its cause, when base ends. Call release once the RPC is over.
func withShutdown(ctx, base context.Context) (_ context.Context, release func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(base, func() { cancel(errShuttingDown) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// unaryShutdown ends the context of unary RPCs when base ends.
func unaryShutdown(base context.Context) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, release := withShutdown(ctx, base)
		defer release()
		return handler(ctx, req)
	}
}

// streamShutdown ends the context of streaming RPCs when base ends.
func streamShutdown(base context.Context) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, release := withShutdown(ss.Context(), base)
		defer release()
		return handler(srv, &contextStream{ServerStream: ss, ctx: ctx})
	}
}

// contextStream is a grpc.ServerStream whose Context is ctx.
type contextStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the stream's context, which ends at shutdown.
func (s *contextStream) Context() context.Context {
	return s.ctx
}
