// Package loopfinite: finite loops doing heavy work per iteration, which
// ctxloop reports only with -ctxloop.finite (etcd-io/etcd#12459 read 1M
// revisions one by one and kept going 10 s after the client's deadline).
// By default all of this is silent: the loops are bounded.
package loopfinite

import (
	"context"
	"strings"

	"example.com/fixtures/patterns/loopfinite/store"
	"example.com/fixtures/pb/echo"
)

type srv struct {
	echo.UnimplementedEchoServer
	st *store.Store
}

// rangeKeys reads every revision in [from, to): a helper that takes no
// context, with a finite loop that calls into the store on every step.
func rangeKeys(st *store.Store, from, to int64) []store.KV { // want rangeKeys:`blindLoop\(finite loop calling st.Get in rangeKeys`
	var out []store.KV
	for rev := from; rev < to; rev++ {
		if kv, ok := st.Get(rev); ok {
			out = append(out, kv)
		}
	}
	return out
}

// rangeKeysCtx is the twin that checks the context: no fact.
func rangeKeysCtx(ctx context.Context, st *store.Store, from, to int64) ([]store.KV, error) {
	var out []store.KV
	for rev := from; rev < to; rev++ {
		if rev%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if kv, ok := st.Get(rev); ok {
			out = append(out, kv)
		}
	}
	return out, nil
}

func (s *srv) Unary(ctx context.Context, in *echo.Msg) (*echo.Msg, error) {
	kvs := rangeKeys(s.st, 0, in.N) // want `call to rangeKeys in handler Unary runs a finite loop calling st.Get in rangeKeys`
	for _, kv := range kvs {        // silent: only the standard library is called per element
		in.Text += strings.ToUpper(kv.Key)
	}
	revs := []int64{1, 2, 3}
	for _, rev := range revs { // want `finite loop calling s.st.Get in handler Unary never checks ctx`
		kv, _ := s.st.Get(rev)
		in.Text += kv.Value
	}
	more, err := rangeKeysCtx(ctx, s.st, 0, in.N) // silent: checks ctx
	if err != nil {
		return nil, err
	}
	in.N += int64(len(more))
	return in, nil
}
