package analyzers_test

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// TestRegistry checks the invariants drivers rely on: a valid analyzer
// set, one name per analyzer, each with its documentation page and a doc
// whose first line is "NAME: title" (lowercase, no period, short), flags
// of its own, with usage, per instance, and lint.Analyzer among its
// requirements, the per-package reporter lint.Report shares.
func TestRegistry(t *testing.T) {
	all := analyzers.All()
	if err := analysis.Validate(all); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range all {
		names = append(names, a.Name)
		if !slices.Contains(a.Requires, lint.Analyzer) {
			t.Errorf("%s does not require lint.Analyzer", a.Name)
		}
		if want := analyzerdoc.URL(a.Name); a.URL != want {
			t.Errorf("%s: URL %q, want %q", a.Name, a.URL, want)
		}
		title, _, _ := strings.Cut(a.Doc, "\n")
		rest, ok := strings.CutPrefix(title, a.Name+": ")
		switch {
		case !ok:
			t.Errorf("%s: doc starts %q, want %q", a.Name, title, a.Name+": title")
		case rest == "" || strings.ToLower(rest[:1]) != rest[:1] || strings.HasSuffix(rest, ".") || len(title) > 90:
			t.Errorf("%s: title %q: want a short lowercase phrase without a period", a.Name, title)
		}
		a.Flags.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" {
				t.Errorf("%s: flag -%s has no usage", a.Name, f.Name)
			}
		})
	}
	if !slices.Equal(names, analyzers.Names()) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("names %v, Names() %v", names, analyzers.Names())
	}
	// Each call builds new instances: setting a flag of one leaves the
	// others alone.
	a, b := analyzers.All(), analyzers.All()
	for i := range a {
		if a[i] == b[i] {
			t.Errorf("%s: All returns the same instance twice", a[i].Name)
		}
	}
}

// TestSelection checks that New leaves out what Settings.Disable names and
// AllFor never does (its driver selects), both in registry order.
func TestSelection(t *testing.T) {
	for _, off := range analyzers.Names() {
		s := analyzers.Settings{Disable: []string{off}}
		var got []string
		for _, a := range analyzers.New(s) {
			got = append(got, a.Name)
		}
		want := slices.DeleteFunc(analyzers.Names(), func(n string) bool { return n == off })
		if !slices.Equal(got, want) {
			t.Errorf("disable %s: New gives %v, want %v", off, got, want)
		}
		if n := len(analyzers.AllFor(s)); n != len(analyzers.Names()) {
			t.Errorf("disable %s: AllFor gives %d analyzers, want all %d", off, n, len(analyzers.Names()))
		}
	}
}
