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
	// ctxdetach, and reports them itself when ctxdetach does not run. It
	// asks at run time, once the driver has parsed its flags.
	var all []*analysis.Analyzer // read by the closure at run time
	deadline := s.Ctxdeadline
	deadline.Detach = func() ctxdeadline.DetachScope {
		switch {
		case contains(s.Disable, detach.Name) || !enabledByDriver(detach.Name, all):
			return ctxdeadline.DetachOff
		case flagIsTrue(detach.Flags.Lookup("ctx-funcs")):
			return ctxdeadline.DetachCtxFuncs
		}
		return ctxdeadline.DetachHandlers
	}
	all = []*analysis.Analyzer{
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

// enabledByDriver reports whether the command's analyzer switches
// (-NAME, -NAME=false, registered by x/tools' drivers) leave analyzer name
// enabled: when any switch is set true only those run, else all but the
// ones set false. Drivers without such switches (golangci-lint) enable all.
func enabledByDriver(name string, all []*analysis.Analyzer) bool {
	anyTrue := false
	for _, a := range all {
		if flagIsTrue(flag.Lookup(a.Name)) {
			anyTrue = true
		}
	}
	f := flag.Lookup(name)
	if anyTrue {
		return flagIsTrue(f)
	}
	return f == nil || f.Value.String() != "false"
}

// flagIsTrue reports whether a boolean flag was set to true. The drivers'
// switches print "true" while unset too; their Get says whether they were
// set to true.
func flagIsTrue(f *flag.Flag) bool {
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}
