package nogo

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"fmt"
	"go/types"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// knownGaps are failures under nogo that are known bugs of an analyzer:
// the test excuses a panic of Analyzer on package Pkg whose stack passes
// through Func, and the findings of Analyzer in Pkg that are missing
// because of it. It also fails when a gap no longer happens, so that the
// list shrinks as the bugs are fixed.
var knownGaps = []struct {
	Analyzer, Pkg, Func, Why string
}{}

// TestUnderNogoDriver runs the exported Analyzers the way rules_go's nogo
// does: one package at a time, dependencies first, facts handed from
// package to package only as gob-encoded bytes, and a Pass without Module
// or ReadFile (nogo sets neither). It checks that nothing fails and that
// the findings on the fixtures are those of the standard driver.
func TestUnderNogoDriver(t *testing.T) {
	itest.Long(t)
	dir := fixturetest.Dir(t)
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Dir: dir}, fixtures...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("fixtures do not load")
	}

	g, err := checker.Analyze(nogoList(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	goroot := runtime.GOROOT()
	for _, act := range g.Roots {
		for _, d := range act.Diagnostics {
			// nogo does not analyze the standard library, so a finding
			// that rests on a fact about it (net.Dial hides
			// context.Background()) cannot appear there.
			if slices.ContainsFunc(d.Related, func(r analysis.RelatedInformation) bool {
				return strings.HasPrefix(act.Package.Fset.Position(r.Pos).Filename, goroot)
			}) {
				continue
			}
			want = append(want, fmt.Sprintf("%s: %s: %s", act.Package.Fset.Position(d.Pos), act.Analyzer.Name, d.Message))
		}
	}

	d := &modularDriver{t: t, facts: make(map[string][]encodedFact), failed: make(map[string]string)}
	var got []string
	roots := make(map[*packages.Package]bool)
	for _, p := range pkgs {
		roots[p] = true
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if isStd(p) {
			return // nogo analyzes the packages Bazel builds, not the standard library
		}
		for _, s := range d.analyze(p, nogoList()) {
			if roots[p] {
				got = append(got, s)
			}
		}
	})
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(want)
	want = slices.Compact(want)
	if len(want) == 0 {
		t.Fatal("the standard driver finds nothing: this test checks nothing")
	}
	// Failures: excused when a known gap explains them.
	excused := make(map[string]bool) // analyzer + " " + package that failed
	for key, msg := range d.failed {
		name, pkg, _ := strings.Cut(key, " ")
		i := slices.IndexFunc(knownGaps, func(g struct{ Analyzer, Pkg, Func, Why string }) bool {
			return g.Analyzer == name && g.Pkg == pkg && strings.Contains(msg, g.Func)
		})
		if i < 0 {
			t.Errorf("%s@%s fails under nogo: %s", name, pkg, msg)
			continue
		}
		excused[key] = true
		t.Logf("known gap: %s@%s fails under nogo: %s %s", name, pkg, knownGaps[i].Func, knownGaps[i].Why)
	}
	for _, g := range knownGaps {
		if !excused[g.Analyzer+" "+g.Pkg] {
			t.Errorf("known gap fixed: %s no longer fails on %s in %s; remove it from knownGaps", g.Analyzer, g.Pkg, g.Func)
		}
	}
	failedDirs := make(map[string]bool) // analyzer + " " + directory of a failed package
	for _, p := range pkgs {
		for key := range excused {
			if name, pkg, _ := strings.Cut(key, " "); pkg == p.PkgPath && len(p.GoFiles) > 0 {
				failedDirs[name+" "+filepath.Dir(p.GoFiles[0])] = true
			}
		}
	}
	if !slices.Equal(got, want) {
		for _, s := range want {
			if !slices.Contains(got, s) && !failedDirs[analyzerAndDir(s)] {
				t.Errorf("missing under nogo: %s", s)
			}
		}
		for _, s := range got {
			if !slices.Contains(want, s) {
				t.Errorf("only under nogo: %s", s)
			}
		}
	}
}

// analyzerAndDir returns "analyzer dir" of a "file:line:col: analyzer: message" finding.
func analyzerAndDir(finding string) string {
	posn, rest, _ := strings.Cut(finding, ": ")
	name, _, _ := strings.Cut(rest, ": ")
	file, _, _ := strings.Cut(posn, ":")
	return name + " " + filepath.Dir(file)
}

func isStd(p *packages.Package) bool {
	return p.Module == nil && !strings.Contains(strings.Split(p.PkgPath, "/")[0], ".")
}

// An encodedFact is one fact as the driver hands it on: the object's path
// in its package ("" for a package fact), the fact's type and its gob
// encoding.
type encodedFact struct {
	Object objectpath.Path
	Type   string
	Data   []byte
}

// modularDriver is a minimal separate-analysis driver in the manner of
// nogo: facts cross package boundaries only in encoded form.
type modularDriver struct {
	t      *testing.T
	facts  map[string][]encodedFact // analyzer name + " " + package path
	failed map[string]string        // analyzer name + " " + package path -> error
}

func factType(f analysis.Fact) string { return reflect.TypeOf(f).String() }

// analyze runs the analyzers and their requirements on p and returns the
// roots' diagnostics as "position: analyzer: message".
func (d *modularDriver) analyze(p *packages.Package, roots []*analysis.Analyzer) []string {
	t := d.t
	results := make(map[*analysis.Analyzer]any)
	var out []string
	var run func(a *analysis.Analyzer)
	run = func(a *analysis.Analyzer) {
		if _, done := results[a]; done {
			return
		}
		for _, req := range a.Requires {
			run(req)
		}
		objFacts := make(map[types.Object][]analysis.Fact)
		var pkgFacts []analysis.Fact
		inputs := make(map[*analysis.Analyzer]any)
		for _, req := range a.Requires {
			inputs[req] = results[req]
		}
		isRoot := slices.Contains(roots, a)
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       p.Fset,
			Files:      p.Syntax,
			Pkg:        p.Types,
			TypesInfo:  p.TypesInfo,
			TypesSizes: p.TypesSizes,
			ResultOf:   inputs,
			Report: func(diag analysis.Diagnostic) {
				if isRoot {
					out = append(out, fmt.Sprintf("%s: %s: %s", p.Fset.Position(diag.Pos), a.Name, diag.Message))
				}
			},
			ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
				if obj.Pkg() == p.Types {
					for _, f := range objFacts[obj] {
						if factType(f) == factType(ptr) {
							reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
							return true
						}
					}
					return false
				}
				return d.decode(a, obj.Pkg(), obj, ptr)
			},
			ExportObjectFact: func(obj types.Object, f analysis.Fact) {
				if obj.Pkg() != p.Types {
					t.Errorf("%s@%s exports a fact about %s of another package", a.Name, p.PkgPath, obj)
					return
				}
				objFacts[obj] = append(objFacts[obj], f)
			},
			ImportPackageFact: func(pkg *types.Package, ptr analysis.Fact) bool {
				if pkg == p.Types {
					for _, f := range pkgFacts {
						if factType(f) == factType(ptr) {
							reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
							return true
						}
					}
					return false
				}
				return d.decode(a, pkg, nil, ptr)
			},
			ExportPackageFact: func(f analysis.Fact) { pkgFacts = append(pkgFacts, f) },
			AllObjectFacts:    func() []analysis.ObjectFact { return nil },
			AllPackageFacts:   func() []analysis.PackageFact { return nil },
			// Module and ReadFile stay nil, as under nogo.
		}
		res, err := func() (res any, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			return a.Run(pass)
		}()
		if err != nil {
			d.failed[a.Name+" "+p.PkgPath] = err.Error()
		}
		results[a] = res
		d.encode(a, p.Types, objFacts, pkgFacts)
	}
	for _, a := range roots {
		run(a)
	}
	return out
}

// encode stores the facts p exported for a, as bytes.
func (d *modularDriver) encode(a *analysis.Analyzer, pkg *types.Package, objFacts map[types.Object][]analysis.Fact, pkgFacts []analysis.Fact) {
	var enc []encodedFact
	add := func(path objectpath.Path, f analysis.Fact) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(f); err != nil {
			d.t.Errorf("%s@%s: %T fact: gob: %v", a.Name, pkg.Path(), f, err)
			return
		}
		enc = append(enc, encodedFact{path, factType(f), buf.Bytes()})
	}
	for obj, fs := range objFacts {
		path, err := objectpath.For(obj)
		if err != nil {
			continue // not reachable from the package's API: a driver drops it
		}
		for _, f := range fs {
			add(path, f)
		}
	}
	for _, f := range pkgFacts {
		add("", f)
	}
	slices.SortFunc(enc, func(x, y encodedFact) int {
		return cmp.Or(cmp.Compare(x.Object, y.Object), cmp.Compare(x.Type, y.Type))
	})
	d.facts[a.Name+" "+pkg.Path()] = enc
}

// decode looks ptr's fact about obj (nil: about pkg) up among the facts
// pkg exported.
func (d *modularDriver) decode(a *analysis.Analyzer, pkg *types.Package, obj types.Object, ptr analysis.Fact) bool {
	if pkg == nil {
		return false
	}
	var path objectpath.Path
	if obj != nil {
		var err error
		if path, err = objectpath.For(obj); err != nil {
			return false
		}
	}
	for _, f := range d.facts[a.Name+" "+pkg.Path()] {
		if f.Object == path && f.Type == factType(ptr) {
			if err := gob.NewDecoder(bytes.NewReader(f.Data)).Decode(ptr); err != nil {
				d.t.Errorf("%s: decoding %s fact of %s: %v", a.Name, f.Type, pkg.Path(), err)
				return false
			}
			return true
		}
	}
	return false
}
