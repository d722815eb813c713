// Package buggy reduces sigstore/rekor#78, before the fix.
//
// Upstream: https://github.com/sigstore/rekor/pull/78 (commit 3994869).
// Original: pkg/api/api.go (NewAPI), pkg/api/trillian_client.go
// (TrillianClient), pkg/generated/restapi/configure_rekor_server.go
// (addTrillianAPI), pkg/api/entries.go (the HTTP handlers).
//
// Rekor's HTTP handlers reached Trillian through one gRPC client object
// built at start-up around context.Background(), stored in a field and used
// for every call: a client that gave up left the Trillian call running, and
// nothing bounded it. The fix built a client per request around the
// request's context.
package buggy

import (
	"context"
	"net/http"

	"example.com/bugs/pb"
)

type trillianClient struct {
	client  pb.KVClient
	logID   int64
	context context.Context
}

func (t *trillianClient) addLeaf(value []byte) error {
	_, err := t.client.Put(t.context, &pb.Request{Revision: t.logID, Payload: value}) // want ctxdeadline "deadline"
	return err
}

type api struct {
	client *trillianClient
}

func newAPI(ctx context.Context, log pb.KVClient, logID int64) *api {
	return &api{client: &trillianClient{client: log, logID: logID, context: ctx}}
}

func createLogEntryHandler(a *api) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := a.client.addLeaf([]byte(r.URL.Query().Get("entry"))); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

func addTrillianAPI(log pb.KVClient, logID int64) http.Handler {
	return createLogEntryHandler(newAPI(context.Background(), log, logID))
}
