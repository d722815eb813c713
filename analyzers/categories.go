package analyzers

import (
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
)

// Categories returns, by analyzer name, the categories of the diagnostics
// each analyzer can report: the constants the analyzers report with. Each
// has its section in docs/rules.md, at the anchor analyzerdoc.URL gives.
func Categories() map[string][]string {
	return map[string][]string{
		"ctxloop":     ctxloop.Categories(),
		"ctxdetach":   ctxdetach.Categories(),
		"ctxdeadline": ctxdeadline.Categories(),
	}
}
