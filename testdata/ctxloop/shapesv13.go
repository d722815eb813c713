package ctxloop

import (
	"bufio"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"example.com/fixtures/pb/echov13"
)

// Issue 13's shapes on protoc-gen-go-grpc v1.3's named stream types, each
// with its correct twin (the generic versions are in waits.go, bounded.go
// and echo.go).

type v13Shapes struct {
	echov13.UnimplementedEchoServer
	quit    chan struct{}
	updates chan *echov13.Msg
	errs    chan error
	once    sync.Once
	ready   func() bool
}

// Reported: go-control-plane#916, the send in the select's default clause.
func (s *v13Shapes) ClientStream(stream echov13.Echo_ClientStreamServer) error {
	reqCh := make(chan *echov13.Msg)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select {
			case <-s.quit:
				return
			default:
				reqCh <- req // want `send on reqCh in goroutine started by handler ClientStream does not wake when the RPC ends`
			}
		}
	}()
	for m := range reqCh { // silent: the producer above leaves when Recv fails
		if m.N < 0 {
			return stream.SendAndClose(m)
		}
	}
	return nil
}

// Reported: parked on server-wide channels, never the stream's context.
func (s *v13Shapes) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	for {
		select { // want `select on s.errs, s.updates and s.quit in handler ServerStream does not wake when the RPC ends`
		case err := <-s.errs:
			return err
		case u := <-s.updates:
			if err := stream.Send(u); err != nil {
				return err
			}
		case <-s.quit:
			return nil
		}
	}
}

// Reported: tail -f, sleeping at EOF without reaching the Send.
func (s *v13Shapes) Bidi(stream echov13.Echo_BidiServer) error {
	f, err := os.Open("log")
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			time.Sleep(time.Second) // want `time.Sleep in handler Bidi does not wake when the RPC ends, and the loop comes back to it without checking stream.Context\(\)`
			continue
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&echov13.Msg{Text: line}); err != nil {
			return err
		}
	}
}

// Reported: a poll under sync.Once.Do, and a search without a condition.
func (s *v13Shapes) Unary(ctx context.Context, in *echov13.Msg) (*echov13.Msg, error) {
	s.once.Do(func() {
		for !s.ready() { // want `polling loop in handler Unary never checks ctx`
			time.Sleep(time.Millisecond)
		}
	})
	for n := 0; ; n++ { // want `loop in handler Unary never checks ctx`
		if sum := sha256.Sum256([]byte(in.Text + strconv.Itoa(n))); sum[0] == 0 {
			return &echov13.Msg{N: int64(n)}, nil
		}
	}
}

// The twins: silent.
type v13ShapesFixed struct {
	v13Shapes
}

func (s *v13ShapesFixed) ClientStream(stream echov13.Echo_ClientStreamServer) error {
	reqCh := make(chan *echov13.Msg)
	go func() {
		defer close(reqCh)
		for {
			req, err := stream.Recv()
			if err != nil {
				return
			}
			select { // wakes on the stream's context
			case reqCh <- req:
			case <-stream.Context().Done():
				return
			}
		}
	}()
	for m := range reqCh { // silent: the producer observes cancellation and closes reqCh
		if m.N < 0 {
			return stream.SendAndClose(m)
		}
	}
	return nil
}

func (s *v13ShapesFixed) ServerStream(in *echov13.Msg, stream echov13.Echo_ServerStreamServer) error {
	for {
		select { // wakes: a case on the stream's context
		case err := <-s.errs:
			return err
		case u := <-s.updates:
			if err := stream.Send(u); err != nil {
				return err
			}
		case <-s.quit:
			return nil
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}

func (s *v13ShapesFixed) Bidi(stream echov13.Echo_BidiServer) error {
	f, err := os.Open("log")
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			select { // wakes: the wait at EOF also ends with the stream
			case <-time.After(time.Second):
				continue
			case <-stream.Context().Done():
				return stream.Context().Err()
			}
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&echov13.Msg{Text: line}); err != nil {
			return err
		}
	}
}

func (s *v13ShapesFixed) Unary(ctx context.Context, in *echov13.Msg) (*echov13.Msg, error) {
	var err error
	s.once.Do(func() {
		for !s.ready() { // silent: waits in a select on ctx.Done()
			select {
			case <-ctx.Done():
				err = ctx.Err()
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for n := 0; ; n++ { // silent: checks ctx every 1024 candidates
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if sum := sha256.Sum256([]byte(in.Text + strconv.Itoa(n))); sum[0] == 0 {
			return &echov13.Msg{N: int64(n)}, nil
		}
	}
}
