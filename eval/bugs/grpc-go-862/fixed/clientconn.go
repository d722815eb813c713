// Package fixed is grpc/grpc-go#862 after the fix: every error return
// closes the conn, which ends its goroutine. See ../buggy for the links.
package fixed

import (
	"context"
)

type clientConn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cc *clientConn) Close() { cc.cancel() }

func (cc *clientConn) resetAddrConn(ready chan<- error) {
	<-cc.ctx.Done()
}

func dialContext(ctx context.Context) (conn *clientConn, err error) {
	cc := &clientConn{}
	cc.ctx, cc.cancel = context.WithCancel(context.Background())
	defer func() {
		select {
		case <-ctx.Done():
			conn, err = nil, ctx.Err()
		default:
		}
		if err != nil {
			cc.Close()
		}
	}()
	ready := make(chan error, 1)
	go cc.resetAddrConn(ready)
	return cc, nil
}
