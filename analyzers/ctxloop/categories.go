package ctxloop

import "github.com/grpccancelcheck/grpccancelcheck/internal/lint"

// The categories of ctxloop's diagnostics: stable identifiers, each the
// anchor of its section in docs/rules.md.
const (
	// CategoryBlindLoop: a loop in handler scope never observes
	// cancellation.
	CategoryBlindLoop = "blind-loop"
	// CategoryBlindHelper: handler scope calls a function that takes no
	// context and runs such a loop (the loop is the related position).
	CategoryBlindHelper = "blind-helper"
	// CategoryBlindWait: a point where a loop in handler scope can block
	// (a select, a send or receive, a sleep) does not wake when the request
	// context ends.
	CategoryBlindWait = "blind-wait"
)

// Categories returns every category ctxloop reports, in a stable order.
func Categories() []string {
	return []string{CategoryBlindLoop, CategoryBlindHelper, CategoryBlindWait, lint.CategoryIgnoreDirective}
}
