// Package loopfanin: correct real-world loops in handlers that ctxloop must leave
// alone: string splitting, worker pools, errgroup pipelines, WaitGroup fan-in.
package loopfanin

import (
	"context"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
	items []string
}

func work(s string) string { return strings.ToUpper(s) }

// A1: splitting a string with strings.Index: finite.
func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	var parts []string
	rest := in.Text
	for {
		i := strings.IndexByte(rest, ',')
		if i < 0 {
			parts = append(parts, rest)
			break
		}
		parts = append(parts, rest[:i])
		rest = rest[i+1:]
	}
	return &echo.Msg{Text: strings.Join(parts, ";")}, nil
}

// A2: worker pool, handler produces from a finite slice then closes.
func (s *srv) ServerStream(in *echo.Msg, stream echo.Echo_ServerStreamServer) error {
	jobs := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out []string
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				out = append(out, work(j))
				mu.Unlock()
			}
		}()
	}
	for _, it := range s.items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
	return stream.Send(&echo.Msg{Text: strings.Join(out, ",")})
}

// A3: errgroup pipeline (errgroup docs), producers observe ctx.
func (s *srv) Bidi(stream echo.Echo_BidiServer) error {
	g, ctx := errgroup.WithContext(stream.Context())
	paths := make(chan string)
	g.Go(func() error {
		defer close(paths)
		for _, p := range s.items {
			select {
			case paths <- p:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	c := make(chan string)
	for range 4 {
		g.Go(func() error {
			for p := range paths {
				select {
				case c <- work(p):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	go func() {
		g.Wait()
		close(c)
	}()
	var all []string
	for r := range c {
		all = append(all, r)
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return stream.Send(&echo.Msg{Text: strings.Join(all, ",")})
}

// A4: fan-in of finite computations with WaitGroup closer.
func (s *srv) ClientStream(stream echo.Echo_ClientStreamServer) error {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, it := range s.items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- work(it)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var all []string
	for r := range results {
		all = append(all, r)
	}
	return stream.SendAndClose(&echo.Msg{Text: strings.Join(all, ",")})
}
