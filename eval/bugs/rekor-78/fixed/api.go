// Package fixed is sigstore/rekor#78 after the fix: each request gets a
// Trillian client around its own context. See ../buggy for the links.
package fixed

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
	_, err := t.client.Put(t.context, &pb.Request{Revision: t.logID, Payload: value})
	return err
}

type api struct {
	log   pb.KVClient
	logID int64
}

func (a *api) newTrillianClient(ctx context.Context) *trillianClient {
	return &trillianClient{client: a.log, logID: a.logID, context: ctx}
}

func createLogEntryHandler(a *api) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tc := a.newTrillianClient(r.Context())
		if err := tc.addLeaf([]byte(r.URL.Query().Get("entry"))); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

func addTrillianAPI(log pb.KVClient, logID int64) http.Handler {
	return createLogEntryHandler(&api{log: log, logID: logID})
}
