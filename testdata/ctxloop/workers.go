package ctxloop

import (
	"context"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxloop/helpers"
	"example.com/fixtures/pb/echo"
)

// sender is a long-lived worker of this package: start runs its loop in a
// goroutine ended by its own quit channel.
type sender struct {
	queue chan *echo.Msg
	quit  chan struct{}
	n     int
}

func (s *sender) start() { go s.loop() }

func (s *sender) stop() { close(s.quit) }

func (s *sender) loop() { // want loop:`blindLoop\(polling loop in loop`
	for {
		select {
		case <-s.queue:
			s.n++
		case <-s.quit:
			return
		}
	}
}

// workerServer starts workers through helpers: the goroutines belong to
// the workers, which the handler stops on its way out (issue 17, item 4).
type workerServer struct {
	echo.UnimplementedEchoServer
}

// Silent: Start and start run the loop in a goroutine of the object's own;
// the handler stops it with defer.
func (workerServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	snd := helpers.NewSender()
	snd.Start()
	defer snd.Stop()
	local := &sender{queue: make(chan *echo.Msg), quit: make(chan struct{})}
	local.start()
	defer local.stop()
	return in, nil
}

// Reported: a go statement directly in handler scope is the handler's.
func (workerServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	snd := helpers.NewSender()
	go snd.Run() // want `call to snd.Run in handler ServerStream runs a polling loop in Run that never checks for cancellation .*, so the goroutine keeps running`
	defer snd.Stop()
	local := &sender{queue: make(chan *echo.Msg), quit: make(chan struct{})}
	go local.loop() // want `call to local.loop in handler ServerStream runs a polling loop in loop`
	defer local.stop()
	return stream.Send(in)
}

// Reported: a helper that runs the loop in the caller's goroutine.
func (workerServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	snd := helpers.NewSender()
	defer snd.Stop()
	snd.Drain() // want `call to snd.Drain in handler Bidi runs a polling loop in Run`
	return nil
}
