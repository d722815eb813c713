package fixturetest

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path"
	"reflect"
	"slices"
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

// uses holds the patterns that Uses declared.
var uses struct {
	mu       sync.Mutex
	patterns []string
	started  bool // the load has begun: too late to declare
}

// Uses declares fixture packages (patterns as Select takes them) that the
// tests of this test binary analyze; Packages then loads only the declared
// packages, with their tests and dependencies, instead of the whole
// module: a test binary that needs a few fixture packages type-checks
// about 320 packages instead of 430, some 20% of its load. Declare them in
// package-level variables (var _ = fixturetest.Uses(...)), which are set
// before any test runs; a pattern Select is given that no declaration
// covers then matches nothing and fails the test. Without a declaration,
// Packages loads the whole module.
func Uses(patterns ...string) bool {
	uses.mu.Lock()
	defer uses.mu.Unlock()
	if uses.started {
		panic("fixturetest.Uses after the fixture module was loaded: declare in a package-level variable")
	}
	uses.patterns = append(uses.patterns, patterns...)
	return true
}

// Packages returns the packages of the fixture module that the test
// binary's Uses declared (every package without a declaration), with
// their tests and the syntax and types of all dependencies, loaded once
// per test binary (the load type-checks some 300 packages from source: it
// is what tests spend their time on). The packages are shared: analyze
// them, never modify them.
//
// They are loaded as analysistest loads them: module mode, no network, no
// workspace.
func Packages(t testing.TB) []*packages.Package {
	t.Helper()
	dir := Dir(t)
	loaded.once.Do(func() {
		uses.mu.Lock()
		uses.started = true
		patterns := slices.Clone(uses.patterns)
		uses.mu.Unlock()
		if len(patterns) == 0 {
			patterns = []string{"./..."}
		}
		cfg := &packages.Config{
			Mode:  packages.LoadAllSyntax | packages.NeedModule,
			Dir:   dir,
			Tests: true,
			Env:   append(os.Environ(), "GO111MODULE=on", "GOPROXY=off", "GOWORK=off"),
		}
		loaded.pkgs, loaded.err = packages.Load(cfg, patterns...)
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
			uses.mu.Lock()
			declared := uses.patterns
			uses.mu.Unlock()
			if len(declared) > 0 {
				t.Fatalf("fixture pattern %s matches no package this test binary loads (fixturetest.Uses declared %v)", pattern, declared)
			}
			t.Fatalf("fixture pattern %s matches no package", pattern)
		}
	}
	return out
}

// Graph runs the analyzers, as roots, on the packages the patterns name
// (see Select) and returns the checker's graph of actions. It checks that
// facts survive the round trip a modular driver puts them through, and
// fails the test when the analysis cannot run.
//
// The facts are checked by the checker's SanityCheck, which gob-encodes
// (twice, to catch nondeterminism) and decodes every fact for every
// package that inherits it, so that analyzers see only decoded copies;
// with -short, where that is half of what an analyzer test binary
// spends, by checkFacts instead: each fact once, where it is exported.
func Graph(t testing.TB, analyzers []*analysis.Analyzer, patterns ...string) *checker.Graph {
	t.Helper()
	g, err := checker.Analyze(analyzers, Select(t, patterns...), &checker.Options{SanityCheck: !testing.Short()})
	if err != nil {
		t.Fatalf("analyzing %v: %v", patterns, err)
	}
	if testing.Short() {
		checkFacts(t, g)
	}
	return g
}

// checkFacts checks every fact the actions of g export (each once, in the
// action of the package that exports it) as the checker's SanityCheck
// does: it gob-encodes, twice to the same bytes, and decodes.
func checkFacts(t testing.TB, g *checker.Graph) {
	t.Helper()
	check := func(act *checker.Action, what string, fact analysis.Fact) {
		var b1, b2 bytes.Buffer
		err := gob.NewEncoder(&b1).Encode(fact)
		if err == nil {
			err = gob.NewEncoder(&b2).Encode(fact)
		}
		if err == nil && !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			err = fmt.Errorf("encoding of %T fact is nondeterministic", fact)
		}
		if err == nil {
			err = gob.NewDecoder(&b1).Decode(reflect.New(reflect.TypeOf(fact).Elem()).Interface())
		}
		if err != nil {
			t.Errorf("%s: fact %s of %s: %v", act, fact, what, err)
		}
	}
	for act := range g.All() {
		if act.Err != nil || act.Package.Types == nil {
			continue
		}
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() == act.Package.Types {
				check(act, f.Object.String(), f.Fact)
			}
		}
		for _, f := range act.AllPackageFacts() {
			if f.Package == act.Package.Types {
				check(act, f.Package.Path(), f.Fact)
			}
		}
	}
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
