package ghactions

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif/sariftest"
)

// TestSARIFForCodeScanning runs the command as the README's GitHub Actions
// job does (grpccancelcheck -sarif ./... > results.sarif, from the top of
// the module) and checks what code scanning reads: a log valid against the
// SARIF 2.1.0 schema, exit status 0 despite findings (so the upload step
// runs), one rule per analyzer, and the fixture's findings at their lines,
// relative to the checkout.
func TestSARIFForCodeScanning(t *testing.T) {
	itest.Long(t)
	mod := itest.FixtureModule(t)
	r := itest.RunCode(t, mod, nil, 5*time.Minute, itest.Command(t), "-sarif", "./...")
	if r.Code != 0 {
		t.Fatalf("exit %d, want 0\n%s", r.Code, r.Stderr)
	}
	if err := sariftest.Validate([]byte(r.Stdout)); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
	var log sarif.Log
	if err := json.Unmarshal([]byte(r.Stdout), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var rules []string
	for _, rule := range run.Tool.Driver.Rules {
		rules = append(rules, rule.ID)
		if rule.HelpURI == "" || rule.Help == nil {
			t.Errorf("rule %s has no help", rule.ID)
		}
	}
	if !slices.Equal(rules, analyzers.Names()) {
		t.Errorf("rules %v, want %v", rules, analyzers.Names())
	}
	var got []string
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != sarif.SrcRoot {
			t.Errorf("result %q: uri %q is not relative to the checkout", res.Message.Text, loc.ArtifactLocation.URI)
		}
		got = append(got, fmt.Sprintf("%s %s:%d", res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine))
	}
	slices.Sort(got)
	got = slices.Compact(got)
	// The command reports what golangci-lint does, plus the //nolint line.
	want := itest.Keys(itest.Markers(t, mod), func(m itest.Marker) bool {
		return slices.Contains(analyzers.Names(), m.Analyzer) && m.Flag == ""
	})
	if !slices.Equal(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
