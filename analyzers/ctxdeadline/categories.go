package ctxdeadline

import "github.com/grpccancelcheck/grpccancelcheck/internal/lint"

// The categories of ctxdeadline's diagnostics: stable identifiers, each the
// anchor of its section in docs/rules.md. A finding at a call that passes a
// deadline-less context to a function whose context parameter reaches the
// RPC has its category with ViaCallSuffix appended.
const (
	// CategoryNoDeadline: a unary gRPC call on a context without a deadline.
	CategoryNoDeadline = "no-deadline"
	// CategoryStreamNoCancel: a streaming call on a context that nothing
	// can cancel (neither a deadline nor a cancel function).
	CategoryStreamNoCancel = "stream-no-cancel"
	// CategoryStreamNoDeadline: with -ctxdeadline.streams, a streaming call
	// on a context without a deadline.
	CategoryStreamNoDeadline = "stream-no-deadline"
	// CategoryWaitForReadyNoDeadline: a grpc.WaitForReady(true) call on a
	// context without a deadline.
	CategoryWaitForReadyNoDeadline = "wait-for-ready-no-deadline"

	// ViaCallSuffix marks a finding at the call of a function whose
	// context parameter reaches the RPC; the RPC is the related position.
	ViaCallSuffix = "-via-call"
)

// Categories returns every category ctxdeadline reports, in a stable order.
func Categories() []string {
	var out []string
	for _, c := range []string{CategoryNoDeadline, CategoryStreamNoCancel, CategoryStreamNoDeadline, CategoryWaitForReadyNoDeadline} {
		out = append(out, c, c+ViaCallSuffix)
	}
	return append(out, lint.CategoryIgnoreDirective)
}
