package ctxdeadline_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// TestFields checks calls on contexts held in struct fields (the model's
// field origins): a client's WithCancel(Background) lifetime and a
// client built around the context.Background() its unexported
// constructor's one caller passes are reported; a bounded call, a stream
// on a cancellable lifetime, a request's context and an exported
// constructor's parameter are not; nor, beside ctxdetach, a detached call
// in a helper that handler scope reaches (ctxdetach's finding).
func TestFields(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, deadline(ctxdeadline.Config{}), "./ctxdeadline/fields")
}

// TestFieldsAlone checks that ctxdeadline's own Analyzer, run without
// ctxdetach, reports the detached calls in the helpers that handler scope
// reaches (store.put, which takes no context, and store.abandon, which
// ignores the one it is given): the division loses nothing when ctxdetach
// is not there.
func TestFieldsAlone(t *testing.T) {
	t.Parallel()
	var got []string
	for _, act := range fixturetest.RunFunc(t, (&recorder{T: t}).Errorf, ctxdeadline.Analyzer, "./ctxdeadline/fields") {
		for _, d := range act.Diagnostics {
			got = append(got, act.Package.Fset.Position(d.Pos).String()+": "+d.Message)
		}
	}
	for _, want := range []string{"uses s.ctx (from context.Background())", "uses context.TODO()"} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("ctxdeadline alone does not report the call that %s; got:\n%s", want, strings.Join(got, "\n"))
		}
	}
}
