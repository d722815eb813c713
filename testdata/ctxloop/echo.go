package ctxloop

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"

	"example.com/fixtures/ctxloop/helpers"
	"example.com/fixtures/pb/echo"
)

// echoServer covers the streaming kinds and the loop shapes.
type echoServer struct {
	echo.UnimplementedEchoServer
	db    *sql.DB
	ready func() bool
	feed  chan *echo.Msg
	items [][]string
}

// Bidi: the canonical Recv loop that returns on error: silent.
func (e *echoServer) Bidi(stream grpc.BidiStreamingServer[echo.Msg, echo.Msg]) error {
	for {
		in, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(in); err != nil {
			return err
		}
	}
}

// ClientStream: the Recv error breaks out of the loop: silent.
func (e *echoServer) ClientStream(stream grpc.ClientStreamingServer[echo.Msg, echo.Msg]) error {
	var n int64
	for {
		_, err := stream.Recv()
		if err != nil {
			break
		}
		n++
	}
	return stream.SendAndClose(&echo.Msg{N: n})
}

// ServerStream: a Send loop that only logs its errors spins forever once the
// client is gone: reported.
func (e *echoServer) ServerStream(in *echo.Msg, stream grpc.ServerStreamingServer[echo.Msg]) error {
	for { // want `loop in handler ServerStream never checks stream.Context\(\) \(the error of stream.Send is ignored\)`
		if err := stream.Send(in); err != nil {
			log.Print(err)
		}
	}
}

// Unary holds the loop shapes of a unary handler.
func (e *echoServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Reported: a search on a flag.
	found := false
	for !found { // want `search loop in handler Unary never checks ctx`
		found = strings.HasPrefix(in.Text, "x")
	}

	// Reported: polling with a sleep and no select on ctx.Done().
	for !e.ready() { // want `polling loop in handler Unary never checks ctx`
		time.Sleep(10 * time.Millisecond)
	}

	// Silent: the same poll, waiting in a select with ctx.Done().
	for !e.ready() {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}

	// Silent: a Done channel taken before the loop.
	done := ctx.Done()
	for {
		select {
		case <-done:
			return nil, ctx.Err()
		default:
		}
		if e.ready() {
			break
		}
	}

	// Silent: a counted loop, even when a client supplies the count; bounding
	// client input is validation, not cancellation.
	for i := 0; i < int(in.N); i++ {
		in.Text += "."
	}

	// Silent: iterating a finite result.
	rows, err := e.db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
	}
	sc := bufio.NewScanner(strings.NewReader(in.Text))
	for sc.Scan() {
		in.Text = sc.Text()
	}

	// Silent: leaves on the error of a call, iterating a finite source.
	dec := json.NewDecoder(strings.NewReader(in.Text))
	for {
		if _, err := dec.Token(); err != nil {
			break
		}
	}

	// Silent: the request context goes to a call in the loop.
	for {
		if err := e.work(ctx); err != nil {
			return nil, err
		}
	}
}

func (e *echoServer) work(ctx context.Context) error { return ctx.Err() }

// loops holds goroutines, channels, nested loops and helpers.
type loops struct {
	echo.UnimplementedEchoServer
	feed  chan *echo.Msg
	items [][]string
}

func (l *loops) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	// Reported: a goroutine started by the handler that loops forever.
	go func() {
		for { // want `loop in goroutine started by handler Unary never checks ctx`
			l.items = append(l.items, nil)
		}
	}()

	// Reported: a channel with an unknown producer.
	for m := range l.feed { // want `loop over channel l.feed in handler Unary never checks ctx`
		in.Text += m.Text
	}

	// Silent: the producer started here observes cancellation and closes
	// the channel, which ends the loop.
	results := make(chan string)
	go func() {
		defer close(results)
		for _, item := range l.items {
			select {
			case results <- strings.Join(item, ","):
			case <-ctx.Done():
				return
			}
		}
	}()
	for r := range results {
		in.Text += r
	}

	// Nested: only the unbounded inner loop is reported.
	for _, item := range l.items {
		i := 0
		for { // want `loop in handler Unary never checks ctx`
			if strings.Contains(strings.Join(item, ""), strconv.Itoa(i)) { // a search: the exit tests what calls compute
				break
			}
			i++
		}
	}

	// Nested: the inner loop checks, so the outer one observes too.
	for {
		for range 8 {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
	}
}

// helperCalls calls functions that loop inside.
type helperCalls struct {
	echo.UnimplementedEchoServer
}

func (helperCalls) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	secret := helpers.FindSecret(in.Text) // want `call to helpers.FindSecret in handler Unary runs a loop in FindSecret that never checks for cancellation \(helpers.go:\d+\), .*; pass ctx to FindSecret and check it in the loop`
	secret += helpers.Indirect(in.Text)   // want `call to helpers.Indirect in handler Unary runs a loop in FindSecret`
	// Silent: the helper takes the context and checks it.
	s, err := helpers.FindSecretCtx(ctx, in.Text)
	if err != nil {
		return nil, err
	}
	// Silent: a helper over finite data.
	in.N = int64(helpers.Sum([]int{1, 2}))
	return &echo.Msg{Text: secret + s}, nil
}

// notAServer has a handler's shape but implements no service: silent.
type notAServer struct{}

func (notAServer) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	for {
		in.N++
	}
}

// retryUnary is a unary interceptor that retries without looking at ctx.
func retryUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	for { // want `polling loop in interceptor retryUnary never checks ctx`
		resp, err := handler(context.WithoutCancel(ctx), req)
		if err == nil {
			return resp, nil
		}
		time.Sleep(time.Second)
	}
}
