// Package analyzers lists grpccancelcheck's analyzers: ctxloop, ctxdetach
// and ctxdeadline. The command and the golangci-lint plugin both build
// their analyzers here, so that settings mean the same in every driver.
package analyzers

import (
	"flag"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
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
	detach := ctxdetach.New(s.Ctxdetach)
	// ctxdeadline leaves detached contexts in ctxdetach's scope to
	// ctxdetach, whose scope -ctxdetach.ctx-funcs widens: it asks the flag,
	// which the command may set after New returns.
	deadline := s.Ctxdeadline
	deadline.DetachCtxFuncs = func() bool {
		v, _ := detach.Flags.Lookup("ctx-funcs").Value.(flag.Getter).Get().(bool)
		return v
	}
	all := []*analysis.Analyzer{
		ctxloop.New(s.Ctxloop),
		detach,
		ctxdeadline.New(deadline),
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		if !contains(s.Disable, a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// Names returns the names of all analyzers.
func Names() []string {
	var names []string
	for _, a := range All() {
		names = append(names, a.Name)
	}
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
