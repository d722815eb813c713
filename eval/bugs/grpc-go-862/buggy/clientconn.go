// Package buggy reduces grpc/grpc-go#862, the GoBench goroutine-leak bug
// grpc862 (Go's runtime/testdata/testgoroutineleakprofile/goker/grpc862.go),
// before the fix.
//
// Upstream: https://github.com/grpc/grpc-go/pull/862 (fix commit dd5645be,
// "Avoid goroutine leak in clientconn"). Original: clientconn.go
// (DialContext, resetAddrConn).
//
// DialContext started the connection's reconnect goroutine, and when the
// dial context ended first its deferred check returned (nil, ctx.Err())
// without closing the half-made ClientConn: the goroutine, parked on the
// conn's own context, leaked. The fix closed the conn on every error
// return. Out of scope: no handler and no caller context is at fault; the
// library forgot to cancel its own long-lived context, and the waits on it
// are correct.
package buggy

import (
	"context"
)

type clientConn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cc *clientConn) Close() { cc.cancel() }

func (cc *clientConn) resetAddrConn(ready chan<- error) {
	// Reconnects until the conn is closed.
	<-cc.ctx.Done()
}

func dialContext(ctx context.Context) (conn *clientConn, err error) {
	cc := &clientConn{}
	cc.ctx, cc.cancel = context.WithCancel(context.Background())
	defer func() {
		select {
		case <-ctx.Done():
			// out-of-scope: the conn is dropped without cc.Close(); no context check is missing
			conn, err = nil, ctx.Err()
		default:
		}
	}()
	ready := make(chan error, 1)
	go cc.resetAddrConn(ready)
	return cc, nil
}
