package ctxloop

import (
	"time"

	"google.golang.org/grpc"

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
