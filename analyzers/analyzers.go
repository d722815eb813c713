// Package analyzers lists grpccancelcheck's analyzers: ctxloop, ctxdetach
// and ctxdeadline. The command and the golangci-lint plugin both build
// their analyzers here, so that settings mean the same in every driver.
package analyzers

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/internal/division"
)

// Settings configures every analyzer. The zero value is the default: all
// analyzers on, with their default settings.
type Settings struct {
	// Disable names analyzers to leave out.
	Disable []string `json:"disable,omitempty"`

	Ctxloop     ctxloop.Config     `json:"ctxloop"`
	Ctxdetach   ctxdetach.Config   `json:"ctxdetach"`
	Ctxdeadline ctxdeadline.Config `json:"ctxdeadline"`
}

// All returns every analyzer with its default settings, in a stable order.
func All() []*analysis.Analyzer { return New(Settings{}) }

// New returns the analyzers that s leaves enabled, configured by s.
func New(s Settings) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range AllFor(s) {
		if !slices.Contains(s.Disable, a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// AllFor returns every analyzer, configured for the selection s makes, for
// a driver that leaves analyzers out itself (x/tools' multichecker, whose
// -NAME=false switches cmd/grpccancelcheck parses into s.Disable first).
//
// The analyzers' settings are fixed here, so a command-line driver parses
// its flags before it builds the analyzers: what runs beside what must be
// known. ctxdeadline leaves the detached contexts in ctxdetach's scope to
// ctxdetach when ctxdetach is enabled, and reports them itself when it is
// not (see internal/division).
func AllFor(s Settings) []*analysis.Analyzer {
	deadline := s.Ctxdeadline
	switch {
	case slices.Contains(s.Disable, ctxdetach.Analyzer.Name):
		deadline.Ctxdetach = division.Off
	case s.Ctxdetach.CtxFuncs:
		deadline.Ctxdetach = division.CtxFuncs
	default:
		deadline.Ctxdetach = division.Handlers
	}
	return []*analysis.Analyzer{
		ctxloop.New(s.Ctxloop),
		ctxdetach.New(s.Ctxdetach),
		ctxdeadline.New(deadline),
	}
}

// Names returns the names of all analyzers.
func Names() []string {
	var names []string
	for _, a := range All() {
		names = append(names, a.Name)
	}
	return names
}
