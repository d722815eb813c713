package ctxdetach

import "github.com/grpccancelcheck/grpccancelcheck/internal/lint"

// The categories of ctxdetach's diagnostics: stable identifiers, each the
// anchor of its section in docs/rules.md.
const (
	// CategoryDetachedCall: an outbound call in handler scope gets a
	// context detached from the request.
	CategoryDetachedCall = "detached-call"
	// CategoryDetachedHelper: handler scope calls a function that takes no
	// context and makes such a call inside (the call is the related
	// position).
	CategoryDetachedHelper = "detached-helper"
	// CategoryContextVariant: handler scope calls a function that takes no
	// context while its variant that takes one does outbound work
	// (exec.Command, exec.CommandContext).
	CategoryContextVariant = "context-variant"
	// CategoryRequestContextOutlived: a goroutine that a unary handler
	// starts and does not wait for does outbound work on the request
	// context, which gRPC cancels when the handler returns.
	CategoryRequestContextOutlived = "request-context-outlived"
)

// Categories returns every category ctxdetach reports, in a stable order.
func Categories() []string {
	return []string{CategoryDetachedCall, CategoryDetachedHelper, CategoryContextVariant, CategoryRequestContextOutlived, lint.CategoryIgnoreDirective}
}
