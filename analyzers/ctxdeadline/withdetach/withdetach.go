// Package withdetach exports ctxdeadline set up to run beside ctxdetach
// with ctxdetach's default settings, for drivers that take every analyzer
// from a package of its own and pass no settings between them (Bazel's
// nogo): a detached context in a gRPC handler is then ctxdetach's finding
// alone. List it instead of package ctxdeadline when the list has
// ctxdetach; without ctxdetach, list ctxdeadline, which reports those calls
// itself.
package withdetach

import (
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/internal/division"
)

// Analyzer is ctxdeadline (same name, flags and facts) leaving detached
// contexts in gRPC handler scope to ctxdetach.
var Analyzer = ctxdeadline.New(ctxdeadline.Config{Ctxdetach: division.Handlers})
