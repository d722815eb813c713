package ctxloop

import (
	"google.golang.org/grpc"

	"example.com/fixtures/pb/echo"
)

// source is a pull iterator over finite data.
type source interface {
	Next() bool
	At() *echo.Msg
}

// dedup is a pull iterator whose Next skips duplicates in a for {} loop
// that ends when its source ends (thanos' responseDeduplicator.Next). The
// loop has a fact like any loop of a function that takes no context, but a
// caller that makes Next its loop's condition (for d.Next()) iterates, and
// is judged by that loop's shape; only other calls are reported.
type dedup struct {
	src  source
	ok   bool
	prev *echo.Msg
}

func (d *dedup) Next() bool { // want Next:`blindLoop\(loop in Next`
	for {
		d.ok = d.src.Next()
		if !d.ok {
			return false
		}
		if m := d.src.At(); d.prev == nil || m.Text != d.prev.Text {
			d.prev = m
			return true
		}
	}
}

// drain iterates with Next as its loop's condition: no fact passes on.
func drain(d *dedup) (n int) {
	for d.Next() {
		n++
	}
	return n
}

type iterServer struct {
	echo.UnimplementedEchoServer
	src source
}

func (s *iterServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	d := &dedup{src: s.src}
	for d.Next() { // silent: Next is this loop's iterator
		if err := stream.Send(d.prev); err != nil {
			return err
		}
	}
	_ = drain(d)  // silent: drain iterates, it does not loop blindly
	if d.Next() { // want `call to d.Next in handler ServerStream runs a loop in Next that never checks for cancellation`
		return stream.Send(d.prev)
	}
	return nil
}
