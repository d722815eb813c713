// Package listers reaches RPCs on context.Background() from a handler
// through interface methods that take no context, as velero's plugin
// server reaches its PluginLister (vmware-tanzu/velero#2922): its gRPC
// implementation calls the plugin's RPC on context.Background(), its
// other one lists in process.
//
// ctxdetach reports the handler's call of an interface method only when
// every implementation detaches (the interface method's fact); where one
// does not, the detached RPC in the other is this analyzer's finding.
package listers

import (
	"context"

	"example.com/fixtures/pb/echo"
)

// Lister has an RPC implementation and an in-process one.
type Lister interface {
	List() ([]string, error)
}

type grpcLister struct{ client echo.EchoClient }

func (l *grpcLister) List() ([]string, error) {
	out, err := l.client.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	if err != nil {
		return nil, err
	}
	return []string{out.Text}, nil
}

type localLister struct{ names []string }

func (l localLister) List() ([]string, error) { return l.names, nil }

// Fetcher's implementations all call an RPC on context.Background():
// ctxdetach reports the handler's call of Fetch, once, and nothing is
// reported here.
type Fetcher interface {
	Fetch() error
}

type unaryFetcher struct{ client echo.EchoClient }

func (f *unaryFetcher) Fetch() error {
	_, err := f.client.Unary(context.Background(), &echo.Msg{})
	return err
}

type otherFetcher struct{ client echo.EchoClient }

func (f otherFetcher) Fetch() error {
	_, err := f.client.Unary(context.Background(), &echo.Msg{Text: "other"})
	return err
}

// helperLister is called statically from the handler: ctxdetach reports
// the handler's call (its detachedCall fact), nothing here.
type helperLister struct{ client echo.EchoClient }

func (h *helperLister) list() error {
	_, err := h.client.Unary(context.Background(), &echo.Msg{})
	return err
}

// Getter's method takes a context, which its implementation drops for
// context.Background(). ctxdetach keeps no fact for an interface method
// that takes a context (what it does with it is the implementation's
// business, often a logger's), so the RPC is reported here.
type Getter interface {
	Get(ctx context.Context) error
}

type droppingGetter struct{ client echo.EchoClient }

func (g *droppingGetter) Get(context.Context) error {
	_, err := g.client.Unary(context.Background(), &echo.Msg{}) // want `gRPC call echo.EchoClient.Unary uses context.Background\(\), which has no deadline`
	return err
}

type server struct {
	echo.UnimplementedEchoServer
	lister  Lister
	fetcher Fetcher
	helper  *helperLister
	getter  Getter
}

func (s *server) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	names, err := s.lister.List()
	if err != nil {
		return nil, err
	}
	if err := s.fetcher.Fetch(); err != nil {
		return nil, err
	}
	if err := s.helper.list(); err != nil {
		return nil, err
	}
	if err := s.getter.Get(ctx); err != nil {
		return nil, err
	}
	return &echo.Msg{Text: names[0]}, nil
}
