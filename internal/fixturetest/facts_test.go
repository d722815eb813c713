package fixturetest

import (
	"fmt"
	"go/ast"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// badFact cannot be gob-encoded: gob has no encoding for a channel.
type badFact struct{ C chan int }

func (*badFact) AFact() {}

type goodFact struct{ N int }

func (*goodFact) AFact() {}

// errorsTB records what a test reports.
type errorsTB struct {
	testing.TB
	errs []string
}

func (r *errorsTB) Helper() {}

func (r *errorsTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckFactsHasTeeth runs analyzers that export a fact on every
// function of package unicode/utf8 (it imports nothing: quick to load),
// one fact that gob can encode and one that it cannot: checkFacts, what
// -short checks instead of the checker's SanityCheck, must pass the first
// and report the second.
func TestCheckFactsHasTeeth(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax}, "unicode/utf8")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("loading unicode/utf8: %v %v", err, pkgs)
	}
	exporter := func(name string, fact analysis.Fact) *analysis.Analyzer {
		return &analysis.Analyzer{
			Name: name, Doc: name + ": export a fact on every function", FactTypes: []analysis.Fact{fact},
			Run: func(pass *analysis.Pass) (any, error) {
				for _, f := range pass.Files {
					for _, d := range f.Decls {
						if fd, ok := d.(*ast.FuncDecl); ok {
							pass.ExportObjectFact(pass.TypesInfo.Defs[fd.Name], reflect.New(reflect.TypeOf(fact).Elem()).Interface().(analysis.Fact))
						}
					}
				}
				return nil, nil
			},
		}
	}
	for _, c := range []struct {
		fact analysis.Fact
		bad  bool
	}{{new(goodFact), false}, {new(badFact), true}} {
		g, err := checker.Analyze([]*analysis.Analyzer{exporter("exporter", c.fact)}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := &errorsTB{TB: t}
		checkFacts(rec, g)
		switch {
		case c.bad && (len(rec.errs) == 0 || !strings.Contains(rec.errs[0], "chan")):
			t.Errorf("%T: checkFacts reported %q; want the channel gob cannot encode", c.fact, rec.errs)
		case !c.bad && len(rec.errs) > 0:
			t.Errorf("%T: checkFacts reported %q; want nothing", c.fact, rec.errs)
		}
	}
}
