// Package detachvaluereader: a function that only reads values from its context
// (metadata, a logger, a request ID) carries nothing upstream, so handing
// it context.Background() loses no cancellation: silent. An outbound call
// on the same context is still reported.
package detachvaluereader

import (
	"context"
	"log/slog"

	"google.golang.org/grpc/metadata"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	up  echo.EchoClient
	log *slog.Logger
}

type loggerKey struct{}

// loggerFrom returns the logger stored in ctx, or the default one.
func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// audit reads the outgoing metadata through loggerFrom's kind of lookup.
func audit(ctx context.Context, what string) {
	md, _ := metadata.FromOutgoingContext(ctx)
	loggerFrom(ctx).Info(what, "md", md)
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	bg := context.Background()
	loggerFrom(bg).Info("unary", "text", in.Text)
	audit(bg, "unary")
	if v := metadata.ValueFromIncomingContext(bg, "x"); len(v) > 0 {
		in.Text = v[0]
	}
	return s.up.Unary(bg, in) // want `call to s.up.Unary in handler Unary uses bg \(from context.Background\(\)\)`
}
