// Package plugin is grpccancelcheck's golangci-lint v2 module plugin.
//
// It registers the linter "grpccancelcheck", whose settings are those of
// [analyzers.Settings]: the analyzers to disable, and one block of settings
// per analyzer with the same names as the analyzer's command-line flags.
// Everything else lives in the analyzers.
//
// Build a golangci-lint that contains it with scripts/build-golangci.sh
// (or `golangci-lint custom`), then enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - grpccancelcheck
//	  settings:
//	    custom:
//	      grpccancelcheck:
//	        type: module
//	        description: gRPC cancellation hygiene
//	        settings:
//	          disable: [ctxdetach]
//	          ctxdetach:
//	            ctx-funcs: true
package plugin

import (
	"fmt"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
)

// Name is the linter's name in golangci-lint: the key under
// linters.settings.custom, and what //nolint:grpccancelcheck names.
const Name = "grpccancelcheck"

func init() {
	register.Plugin(Name, New)
}

// Plugin is the configured linter.
type Plugin struct {
	settings analyzers.Settings
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes the linter's settings from .golangci.yml. Unknown keys and
// unknown analyzer names are errors, so that a typo cannot silently leave
// a setting at its default.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[analyzers.Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	known := analyzers.Names()
	for _, name := range s.Disable {
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("%s: settings: disable: unknown analyzer %q (known: %s)",
				Name, name, strings.Join(known, ", "))
		}
	}
	return &Plugin{settings: s}, nil
}

// BuildAnalyzers returns the analyzers the settings leave enabled.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return analyzers.New(p.settings), nil
}

// GetLoadMode asks for type information: the analyzers match calls and
// handlers through types.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
