package ctxloop

import (
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxloop/helpers"
	"example.com/fixtures/pb/echo"
)

// istioConn is istio's xdsConnection: the stream travels in a struct.
type istioConn struct {
	stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]
	push   chan *echo.Msg
}

// receiveThread feeds reqs until Recv fails (istio#10998's fixed hand-off).
func receiveThread(con *istioConn, reqs chan *echo.Msg) {
	defer close(reqs)
	for {
		req, err := con.stream.Recv()
		if err != nil {
			return
		}
		select {
		case reqs <- req:
		case <-con.stream.Context().Done():
			return
		}
	}
}

// pollThread feeds reqs forever and never looks at any context.
func pollThread(reqs chan *echo.Msg) { // want pollThread:`blindLoop\(polling loop in pollThread`
	for {
		reqs <- &echo.Msg{}
		time.Sleep(time.Second)
	}
}

// istioServer's handlers wait on channels fed by goroutines that run named
// functions: each producer is judged by its body.
type istioServer struct {
	echo.UnimplementedEchoServer
	push chan *echo.Msg
}

// Silent: reqs is fed by receiveThread, whose loop leaves when Recv fails
// and then closes reqs.
func (s *istioServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	con := &istioConn{stream: stream, push: s.push}
	reqs := make(chan *echo.Msg, 1)
	go receiveThread(con, reqs)
	for {
		select {
		case req, ok := <-reqs:
			if !ok {
				return nil
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case m := <-con.push:
			if err := stream.Send(m); err != nil {
				return err
			}
		}
	}
}

// Reported: reqs is fed by pollThread, which never ends, and nothing else
// in the select wakes when the RPC ends.
func (s *istioServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	reqs := make(chan *echo.Msg)
	go pollThread(reqs) // want `call to pollThread in handler ServerStream runs a polling loop in pollThread`
	for {
		select { // want `select on reqs and s.push in handler ServerStream does not wake when the RPC ends`
		case req := <-reqs:
			if err := stream.Send(req); err != nil {
				return err
			}
		case m := <-s.push:
			if err := stream.Send(m); err != nil {
				return err
			}
		}
	}
}

// istioFieldConn is istio's xDS Connection today (pilot/pkg/xds/delta.go):
// the handler's loop waits on reqs, a field, and on channels of the
// embedded helpers.Conn through its accessors; the receive goroutine it
// starts closes reqs and the error channel when it returns, and it
// returns when the stream ends.
type istioFieldConn struct {
	*helpers.Conn
	stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]
	reqs   chan *echo.Msg
	pushes chan *echo.Msg
}

func newIstioFieldConn(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) *istioFieldConn {
	return &istioFieldConn{Conn: helpers.NewConn(), stream: stream, reqs: make(chan *echo.Msg, 1), pushes: make(chan *echo.Msg)}
}

func (c *istioFieldConn) PushCh() chan *echo.Msg { return c.pushes } // want PushCh:`chanAccessor\(pushes\)`

func (c *istioFieldConn) receive() {
	defer func() {
		close(c.reqs)
		close(c.ErrorCh())
	}()
	c.receiveOpen()
}

// receiveOpen feeds reqs until the stream ends, and closes nothing.
func (c *istioFieldConn) receiveOpen() {
	for {
		req, err := c.stream.Recv()
		if err != nil {
			return
		}
		select {
		case c.reqs <- req:
		case <-c.stream.Context().Done():
			return
		}
	}
}

// istioFieldServer's StreamDeltas: silent: every channel its loop waits
// on closes with the receive goroutine, or sits beside one that does.
type istioFieldServer struct {
	echo.UnimplementedEchoServer
}

func (s istioFieldServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	return s.StreamDeltas(stream)
}

func (s istioFieldServer) StreamDeltas(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	c := newIstioFieldConn(stream)
	go c.receive()
	for {
		select {
		case req, ok := <-c.reqs:
			if !ok {
				return <-c.ErrorCh()
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case <-c.StopCh():
			return nil
		default:
		}
		select {
		case req, ok := <-c.reqs:
			if !ok {
				return <-c.ErrorCh()
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case p := <-c.PushCh():
			if err := stream.Send(p); err != nil {
				return err
			}
		case <-c.StopCh():
			return nil
		}
	}
}

// istioOpenServer is the twin: its receive goroutine closes nothing, so
// the loop waits on after the stream ends.
type istioOpenServer struct {
	echo.UnimplementedEchoServer
}

func (s istioOpenServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	return s.StreamDeltas(stream)
}

func (s istioOpenServer) StreamDeltas(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	c := newIstioFieldConn(stream)
	go c.receiveOpen()
	for {
		select {
		case req, ok := <-c.reqs:
			if !ok {
				return <-c.ErrorCh() // want `receive from c.ErrorCh\(\) in function StreamDeltas does not wake when the RPC ends`
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case <-c.StopCh():
			return nil
		default:
		}
		select { // want `select on c.reqs, c.PushCh\(\) and c.StopCh\(\) in function StreamDeltas does not wake when the RPC ends`
		case req, ok := <-c.reqs:
			if !ok {
				return <-c.ErrorCh() // want `receive from c.ErrorCh\(\) in function StreamDeltas does not wake when the RPC ends`
			}
			if err := stream.Send(req); err != nil {
				return err
			}
		case p := <-c.PushCh():
			if err := stream.Send(p); err != nil {
				return err
			}
		case <-c.StopCh():
			return nil
		}
	}
}
