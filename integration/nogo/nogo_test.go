// Package nogo checks that grpccancelcheck's analyzers are ready for
// Bazel's nogo (rules_go), which imports each analyzer package and runs its
// exported Analyzer with no command-line flags, separately per package,
// passing facts between packages as gob-encoded files that Bazel caches by
// content:
//
//   - every analyzer has its own package under analyzers/ that exports
//     Analyzer (a *analysis.Analyzer) with the default settings;
//   - an Analyzer needs no flag: every flag's value is its default, and the
//     analyzers run without error;
//   - the facts they export gob-encode to the same bytes on every run.
//
// Needs: go.
package nogo

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"flag"
	"fmt"
	"go/types"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline/withdetach"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxloop"
	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

const module = "github.com/grpccancelcheck/grpccancelcheck"

// nogoAnalyzers is what a nogo rule lists, by package below analyzers/:
// each package's exported Analyzer (README's nogo example names the same
// packages). ctxdeadline comes from withdetach, which leaves detached
// calls in handlers to ctxdetach; package ctxdeadline's own Analyzer is
// for lists without ctxdetach (alone).
var nogoAnalyzers = map[string]*analysis.Analyzer{
	"ctxloop":                ctxloop.Analyzer,
	"ctxdetach":              ctxdetach.Analyzer,
	"ctxdeadline/withdetach": withdetach.Analyzer,
}

// alone are the packages whose Analyzer is for lists without some other
// analyzer.
var alone = map[string]*analysis.Analyzer{"ctxdeadline": ctxdeadline.Analyzer}

func nogoList() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range nogoAnalyzers {
			if !yield(name) {
				return
			}
		}
	}) {
		out = append(out, nogoAnalyzers[name])
	}
	return out
}

// TestEveryAnalyzerPackageExportsAnalyzer checks, from the source, that
// every package under analyzers/ but the registry declares an exported
// variable Analyzer of type *analysis.Analyzer, that every registered
// analyzer is one of them (its Run function lives in analyzers/NAME), and
// that this test's nogo list covers them all.
func TestEveryAnalyzerPackageExportsAnalyzer(t *testing.T) {
	itest.Long(t)
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: itest.Root()}, module+"/analyzers/...")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, p := range pkgs {
		if p.PkgPath == module+"/analyzers" {
			continue // the registry
		}
		if len(p.Errors) > 0 {
			t.Errorf("%s: %v", p.PkgPath, p.Errors)
			continue
		}
		v, ok := p.Types.Scope().Lookup("Analyzer").(*types.Var)
		if !ok || types.TypeString(v.Type(), nil) != "*golang.org/x/tools/go/analysis.Analyzer" {
			t.Errorf("%s does not export var Analyzer *analysis.Analyzer, which nogo imports", p.PkgPath)
			continue
		}
		rel := strings.TrimPrefix(p.PkgPath, module+"/analyzers/")
		found = append(found, rel)
		if nogoAnalyzers[rel] == nil && alone[rel] == nil {
			t.Errorf("%s: add its Analyzer to this test's nogo list (and README's nogo example)", p.PkgPath)
		}
	}
	for _, a := range analyzers.All() {
		fn := runtime.FuncForPC(reflect.ValueOf(a.Run).Pointer()).Name()
		if want := module + "/analyzers/" + a.Name + "."; !strings.HasPrefix(fn, want) {
			t.Errorf("analyzer %s runs %s, not code of package analyzers/%s", a.Name, fn, a.Name)
		}
		if !slices.Contains(found, a.Name) {
			t.Errorf("registered analyzer %s has no package analyzers/%s exporting Analyzer", a.Name, a.Name)
		}
	}
	for rel, na := range nogoAnalyzers {
		if name, _, _ := strings.Cut(rel, "/"); na.Name != name {
			t.Errorf("%s.Analyzer is named %q", rel, na.Name)
		}
	}
}

// TestAnalyzersNeedNoFlags checks that each exported Analyzer has every
// flag at its default and is a valid analyzer set for a driver.
func TestAnalyzersNeedNoFlags(t *testing.T) {
	list := nogoList()
	if err := analysis.Validate(list); err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		a.Flags.VisitAll(func(f *flag.Flag) {
			if got := f.Value.String(); got != f.DefValue {
				t.Errorf("%s: -%s is %q, not its default %q", a.Name, f.Name, got, f.DefValue)
			}
		})
		if a.URL == "" || a.Doc == "" {
			t.Errorf("%s: no URL or Doc", a.Name)
		}
	}
}

// fixtures are the fixture packages with facts: helpers in other packages.
var fixtures = []string{"./ctxdetach/...", "./ctxloop/...", "./ctxdeadline/...", "./suppress"}

// TestFactsEncodeDeterministically runs the exported Analyzers, without
// flags, twice over the fixtures, from loading on, and checks that the
// facts every package exports encode, as a modular driver stores them
// (sorted by package and object path, one gob stream), to the same bytes.
func TestFactsEncodeDeterministically(t *testing.T) {
	itest.Long(t)
	dir := fixturetest.Dir(t)
	// As a modular driver does: the fact types of every analyzer that
	// runs, the required ones (grpcctx) included.
	var register func(a *analysis.Analyzer)
	register = func(a *analysis.Analyzer) {
		for _, f := range a.FactTypes {
			gob.Register(f)
		}
		for _, r := range a.Requires {
			register(r)
		}
	}
	for _, a := range nogoList() {
		register(a)
	}
	first, counts := factBytes(t, dir)
	second, _ := factBytes(t, dir)
	for _, a := range nogoList() {
		if len(a.FactTypes) > 0 && counts[a.Name] == 0 {
			t.Errorf("%s exports no fact on the fixtures: this test checks nothing for it", a.Name)
		}
	}
	if len(first) != len(second) {
		t.Fatalf("%d packages with facts, then %d", len(first), len(second))
	}
	for pkg, b := range first {
		if !bytes.Equal(b, second[pkg]) {
			t.Errorf("%s: facts encode differently on a second run (%d and %d bytes)", pkg, len(b), len(second[pkg]))
		}
	}
}

// A gobFact is a fact as a modular driver writes it.
type gobFact struct {
	PkgPath string
	Object  objectpath.Path // "" for a package fact
	Fact    analysis.Fact
}

// factBytes loads and analyzes the fixtures and returns, per package and
// analyzer, the encoding of the facts the package exports, and the number
// of facts per analyzer.
func factBytes(t *testing.T, dir string) (map[string][]byte, map[string]int) {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Dir: dir}, fixtures...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("fixtures do not load")
	}
	g, err := checker.Analyze(nogoList(), pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte)
	counts := make(map[string]int)
	for act := range g.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
			continue
		}
		pkg := act.Package.Types
		var facts []gobFact
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() != pkg {
				continue // inherited from a dependency
			}
			path, err := objectpath.For(f.Object)
			if err != nil {
				continue // not reachable from the package's API: a driver drops it
			}
			facts = append(facts, gobFact{pkg.Path(), path, f.Fact})
		}
		for _, f := range act.AllPackageFacts() {
			if f.Package == pkg {
				facts = append(facts, gobFact{pkg.Path(), "", f.Fact})
			}
		}
		if len(facts) == 0 {
			continue
		}
		slices.SortFunc(facts, func(x, y gobFact) int {
			return cmp.Or(cmp.Compare(x.PkgPath, y.PkgPath), cmp.Compare(x.Object, y.Object),
				cmp.Compare(fmt.Sprintf("%T", x.Fact), fmt.Sprintf("%T", y.Fact)))
		})
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(facts); err != nil {
			t.Fatalf("%s: gob: %v", act, err)
		}
		out[act.Analyzer.Name+" "+act.Package.ID] = buf.Bytes()
		counts[act.Analyzer.Name] += len(facts)
	}
	return out, counts
}
