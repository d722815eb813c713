package fixturetest

import (
	"fmt"
	"os"
	"path"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// module is the fixture module's path (testdata/go.mod).
const module = "example.com/fixtures"

var loaded struct {
	once sync.Once
	pkgs []*packages.Package
	err  error
}

// Packages returns every package of the fixture module, with its tests and
// the syntax and types of all dependencies, loaded once per test binary
// (the load type-checks some 300 packages from source: it is what tests
// spend their time on). The packages are shared: analyze them, never
// modify them.
//
// They are loaded as analysistest loads them: module mode, no network, no
// workspace.
func Packages(t testing.TB) []*packages.Package {
	t.Helper()
	dir := Dir(t)
	loaded.once.Do(func() {
		cfg := &packages.Config{
			Mode:  packages.LoadAllSyntax | packages.NeedModule,
			Dir:   dir,
			Tests: true,
			Env:   append(os.Environ(), "GO111MODULE=on", "GOPROXY=off", "GOWORK=off"),
		}
		loaded.pkgs, loaded.err = packages.Load(cfg, "./...")
		if loaded.err == nil {
			for _, p := range loaded.pkgs {
				if p.Name == "" {
					loaded.err = fmt.Errorf("loading %s: %v", p.PkgPath, p.Errors)
					break
				}
			}
		}
	})
	if loaded.err != nil {
		t.Fatalf("loading the fixture module: %v", loaded.err)
	}
	return loaded.pkgs
}

// Select returns the fixture packages that the patterns name, with their
// test variants, as `go list -test` would: a pattern is "./dir" (one
// package) or "./dir/..." (the packages below it too), relative to the
// fixture module. A pattern that matches nothing fails the test.
func Select(t testing.TB, patterns ...string) []*packages.Package {
	t.Helper()
	pkgs := Packages(t)
	var out []*packages.Package
	for _, pattern := range patterns {
		rel, tree := strings.CutSuffix(strings.TrimPrefix(pattern, "./"), "/...")
		want := path.Join(module, rel)
		n := 0
		for _, p := range pkgs {
			base := strings.TrimSuffix(strings.TrimSuffix(p.PkgPath, ".test"), "_test")
			if base == want || tree && strings.HasPrefix(base, want+"/") {
				out = append(out, p)
				n++
			}
		}
		if n == 0 {
			t.Fatalf("fixture pattern %s matches no package", pattern)
		}
	}
	return out
}

// Graph runs the analyzers, as roots, on the packages the patterns name
// (see Select) and returns the checker's graph of actions. It checks the
// analysis framework's invariants (the checker's SanityCheck), and fails
// the test when the analysis cannot run.
func Graph(t testing.TB, analyzers []*analysis.Analyzer, patterns ...string) *checker.Graph {
	t.Helper()
	g, err := checker.Analyze(analyzers, Select(t, patterns...), &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("analyzing %v: %v", patterns, err)
	}
	return g
}

// Analyze is Graph that returns the root actions, one per analyzer and
// package, and fails the test when an analyzer fails.
func Analyze(t testing.TB, analyzers []*analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	g := Graph(t, analyzers, patterns...)
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Errorf("error analyzing %s: %v", act, act.Err)
		}
	}
	return g.Roots
}

// Run is analysistest.Run on the shared load: it runs a on the packages the
// patterns name and checks their "// want" comments (see Check). It returns
// the root actions for further checks.
func Run(t testing.TB, a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	return RunFunc(t, t.Errorf, a, patterns...)
}

// RunFunc is Run that reports the mismatches between findings and "// want"
// comments to errorf instead of failing the test; loading and analysis
// errors still fail it.
func RunFunc(t testing.TB, errorf func(format string, args ...any), a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	acts := Analyze(t, []*analysis.Analyzer{a}, patterns...)
	for _, act := range acts {
		if act.Err == nil {
			for _, p := range Check(act) {
				errorf("%s", p)
			}
		}
	}
	return acts
}

// RunWithSuggestedFixes is analysistest.RunWithSuggestedFixes on the shared
// load: Run, then every file that a fix edits must have a .golden file
// equal to the file with all fixes applied (see CheckFixes).
func RunWithSuggestedFixes(t testing.TB, a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	acts := Run(t, a, patterns...)
	for _, act := range acts {
		if act.Err == nil {
			for _, err := range CheckFixes(act) {
				t.Error(err)
			}
		}
	}
	return acts
}
