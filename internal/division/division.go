// Package division says which analyzer reports a detached context that has
// no deadline either: such a call is both ctxdetach's finding (the request
// context is dropped) and ctxdeadline's (nothing bounds the call), and one
// bug gets one finding. Inside ctxdetach's scope the finding is
// ctxdetach's; ctxdeadline reports it only when ctxdetach does not run
// beside it.
//
// The drivers print only the findings of the analyzers they were asked to
// run (x/tools' checker and unitchecker, golangci-lint and nogo alike
// ignore the diagnostics of analyzers that are merely required), and an
// analyzer cannot see which others run. So whoever builds the analyzer
// list says it, explicitly, when ctxdeadline is built: the registry
// (analyzers.New, which the command and the golangci-lint plugin call
// with the settings they parsed) and the nogo package
// analyzers/ctxdeadline/withdetach. ctxdeadline.Analyzer and
// ctxdeadline.New assume no ctxdetach (Off): alone, nothing is lost.
package division

// Detach is where ctxdetach, running beside ctxdeadline, reports detached
// contexts.
type Detach int

const (
	// Off: ctxdetach does not run; ctxdeadline reports deadline-less
	// detached contexts everywhere.
	Off Detach = iota
	// Handlers: ctxdetach runs with its default scope, gRPC handlers and
	// interceptors (and the closures in them).
	Handlers
	// CtxFuncs: ctxdetach runs with -ctxdetach.ctx-funcs, over every
	// function with a context parameter too.
	CtxFuncs
)
