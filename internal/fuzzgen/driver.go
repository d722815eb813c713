package fuzzgen

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
)

// EveryFlag returns every analyzer with every flag on, so that every path
// of theirs can be reached: the configuration the fuzzer and the stress
// benchmarks run.
func EveryFlag() []*analysis.Analyzer {
	return analyzers.New(analyzers.Settings{
		Ctxdetach:   ctxdetach.Config{CtxFuncs: true},
		Ctxdeadline: ctxdeadline.Config{Streams: true},
	})
}

// A Universe is the dependency graph the generated packages are checked
// against, type-checked and analyzed once: the fixture module's generated
// Echo service, grpc, the standard library. Checking one generated
// program then costs the type-checking and analysis of its own small
// packages only, with the dependencies' facts taken from here, as go vet's
// unitchecker takes them from the build cache.
type Universe struct {
	Analyzers []*analysis.Analyzer
	Packages  map[string]*packages.Package // every loaded package by path

	// LoadTime and AnalysisTime are the time Load took to load and
	// type-check the dependencies, and to analyze them.
	LoadTime, AnalysisTime time.Duration

	files []*token.File                       // the dependencies' files, for each program's FileSet
	facts map[string]map[string][]EncodedFact // analyzer name -> package path -> facts
}

// An EncodedFact is one fact as a separate-analysis driver hands it on:
// the object's path in its package ("" for a package fact), the fact's
// type and its gob encoding.
type EncodedFact struct {
	Object objectpath.Path
	Type   string
	Data   []byte
}

// Load loads the packages named by patterns, from the module in dir with
// everything they depend on, and analyzes each one, dependencies first,
// with analyzers, keeping only their facts.
func Load(dir string, analyzers []*analysis.Analyzer, patterns ...string) (*Universe, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Dir: dir, Tests: false}
	start := time.Now()
	roots, err := packages.Load(cfg, patterns...)
	loaded := time.Now()
	if err != nil {
		return nil, err
	}
	if packages.PrintErrors(roots) > 0 {
		return nil, fmt.Errorf("packages %v do not load", patterns)
	}
	u := &Universe{
		Analyzers: analyzers,
		Packages:  make(map[string]*packages.Package),
		facts:     make(map[string]map[string][]EncodedFact),
	}
	var failure error
	packages.Visit(roots, nil, func(p *packages.Package) {
		u.Packages[p.PkgPath] = p
		for _, f := range p.Syntax {
			u.files = append(u.files, p.Fset.File(f.FileStart))
		}
		unit := &Unit{Fset: p.Fset, Files: p.Syntax, Pkg: p.Types, Info: p.TypesInfo, Sizes: p.TypesSizes, Module: p.Module}
		res := u.analyze(unit, nil, nil)
		if res.Err != nil && failure == nil {
			failure = fmt.Errorf("%s: %v", p.PkgPath, res.Err)
		}
	})
	u.LoadTime, u.AnalysisTime = loaded.Sub(start), time.Since(loaded)
	return u, failure
}

// A Unit is one package ready for analysis.
type Unit struct {
	Fset   *token.FileSet
	Files  []*ast.File
	Pkg    *types.Package
	Info   *types.Info
	Sizes  types.Sizes
	Module *packages.Module
	Source map[string][]byte // file name -> content, for Pass.ReadFile
}

// A Diagnostic is a finding with its analyzer and resolved positions.
type Diagnostic struct {
	Analyzer string
	Posn     token.Position
	analysis.Diagnostic
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Posn, d.Analyzer, d.Message)
}

// A Result is what analyzing one Unit gave.
type Result struct {
	Diagnostics []Diagnostic
	Facts       map[string][]EncodedFact // analyzer name -> facts, sorted
	Err         error                    // an analyzer's error or panic, with its stack
}

func factType(f analysis.Fact) string { return reflect.TypeOf(f).String() }

// liveFacts are the facts of a program's packages kept as objects, the way
// a driver that analyzes every package in one process (the standalone
// command's checker) hands them on, rather than as bytes through object
// paths (go vet's unitchecker): a fact about an object that has no object
// path, or that does not survive gob, reaches the importer in one driver
// and not in the other.
type liveFacts struct {
	pkgs map[*types.Package]bool // the program's packages analyzed so far
	obj  map[*analysis.Analyzer]map[types.Object][]analysis.Fact
	pkg  map[*analysis.Analyzer]map[*types.Package][]analysis.Fact
}

// analyze runs the Universe's analyzers and their requirements on u, with
// the facts of u's dependencies from the Universe and from extra (the
// facts of other generated packages), or from live when it is not nil and
// holds the package, and records u's facts in the Universe only when extra
// is nil (a dependency), in live when it is not nil.
func (u *Universe) analyze(unit *Unit, extra map[string]map[string][]EncodedFact, live *liveFacts) *Result {
	out := &Result{Facts: make(map[string][]EncodedFact)}
	results := make(map[*analysis.Analyzer]any)
	// One Encoder for the whole unit: objectpath.For alone is linear in
	// the size of the object's package, so a fact lookup per call into a
	// large package would make the driver quadratic.
	paths := new(objectpath.Encoder)
	lookup := func(a *analysis.Analyzer, pkg *types.Package) []EncodedFact {
		if f, ok := extra[a.Name][pkg.Path()]; ok {
			return f
		}
		return u.facts[a.Name][pkg.Path()]
	}
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
		isRoot := slices.Contains(u.Analyzers, a)
		local := func(list []analysis.Fact, ptr analysis.Fact) bool {
			for _, f := range list {
				if factType(f) == factType(ptr) {
					reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(f).Elem())
					return true
				}
			}
			return false
		}
		var module *analysis.Module
		if unit.Module != nil {
			module = &analysis.Module{Path: unit.Module.Path, Version: unit.Module.Version, GoVersion: unit.Module.GoVersion}
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       unit.Fset,
			Files:      unit.Files,
			Pkg:        unit.Pkg,
			TypesInfo:  unit.Info,
			TypesSizes: unit.Sizes,
			Module:     module,
			ResultOf:   inputs,
			Report: func(d analysis.Diagnostic) {
				if isRoot && extra != nil {
					out.Diagnostics = append(out.Diagnostics, Diagnostic{a.Name, unit.Fset.Position(d.Pos), d})
				}
			},
			ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
				if obj.Pkg() == unit.Pkg {
					return local(objFacts[obj], ptr)
				}
				if live != nil && live.pkgs[obj.Pkg()] {
					return local(live.obj[a][obj], ptr)
				}
				return decode(paths, lookup(a, obj.Pkg()), obj, ptr)
			},
			ExportObjectFact: func(obj types.Object, f analysis.Fact) {
				if obj.Pkg() != unit.Pkg {
					panic(fmt.Sprintf("%s exports a fact about %s of another package", a.Name, obj))
				}
				objFacts[obj] = append(objFacts[obj], f)
			},
			ImportPackageFact: func(pkg *types.Package, ptr analysis.Fact) bool {
				if pkg == unit.Pkg {
					return local(pkgFacts, ptr)
				}
				if live != nil && live.pkgs[pkg] {
					return local(live.pkg[a][pkg], ptr)
				}
				return decode(paths, lookup(a, pkg), nil, ptr)
			},
			ExportPackageFact: func(f analysis.Fact) { pkgFacts = append(pkgFacts, f) },
			AllObjectFacts: func() []analysis.ObjectFact {
				var all []analysis.ObjectFact
				for obj, fs := range objFacts {
					for _, f := range fs {
						all = append(all, analysis.ObjectFact{Object: obj, Fact: f})
					}
				}
				return all
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var all []analysis.PackageFact
				for _, f := range pkgFacts {
					all = append(all, analysis.PackageFact{Package: unit.Pkg, Fact: f})
				}
				return all
			},
			ReadFile: func(name string) ([]byte, error) {
				if src, ok := unit.Source[name]; ok {
					return src, nil
				}
				return nil, fmt.Errorf("%s: not a file of the package", name)
			},
		}
		res, err := func() (res any, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			return a.Run(pass)
		}()
		if err != nil && out.Err == nil {
			out.Err = fmt.Errorf("%s: %w", a.Name, err)
		}
		results[a] = res
		if live != nil {
			if live.obj[a] == nil {
				live.obj[a] = make(map[types.Object][]analysis.Fact)
				live.pkg[a] = make(map[*types.Package][]analysis.Fact)
			}
			maps.Copy(live.obj[a], objFacts)
			live.pkg[a][unit.Pkg] = pkgFacts
		}
		enc, err := encode(paths, objFacts, pkgFacts)
		if err != nil && out.Err == nil {
			out.Err = fmt.Errorf("%s: %w", a.Name, err)
		}
		if len(a.FactTypes) > 0 {
			out.Facts[a.Name] = enc
			if extra == nil {
				m := u.facts[a.Name]
				if m == nil {
					m = make(map[string][]EncodedFact)
					u.facts[a.Name] = m
				}
				m[unit.Pkg.Path()] = enc
			}
		}
	}
	for _, a := range u.Analyzers {
		run(a)
	}
	sort.SliceStable(out.Diagnostics, func(i, j int) bool {
		x, y := out.Diagnostics[i], out.Diagnostics[j]
		return cmp.Or(cmp.Compare(x.Pos, y.Pos), cmp.Compare(x.Analyzer, y.Analyzer), cmp.Compare(x.Message, y.Message)) < 0
	})
	return out
}

// encode gob-encodes the facts a package exported, each one twice: a
// fact whose two encodings differ is an error (facts must encode
// deterministically, or build caches miss).
func encode(paths *objectpath.Encoder, objFacts map[types.Object][]analysis.Fact, pkgFacts []analysis.Fact) ([]EncodedFact, error) {
	var enc []EncodedFact
	var failure error
	add := func(path objectpath.Path, f analysis.Fact) {
		var b1, b2 bytes.Buffer
		if err := gob.NewEncoder(&b1).Encode(f); err != nil {
			failure = cmp.Or(failure, fmt.Errorf("%T fact: gob: %v", f, err))
			return
		}
		_ = gob.NewEncoder(&b2).Encode(f)
		if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			failure = cmp.Or(failure, fmt.Errorf("%T fact about %q encodes differently twice", f, path))
		}
		enc = append(enc, EncodedFact{path, factType(f), b1.Bytes()})
	}
	for obj, fs := range objFacts {
		path, err := paths.For(obj)
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
	slices.SortStableFunc(enc, func(x, y EncodedFact) int {
		return cmp.Or(cmp.Compare(x.Object, y.Object), cmp.Compare(x.Type, y.Type))
	})
	return enc, failure
}

func decode(paths *objectpath.Encoder, facts []EncodedFact, obj types.Object, ptr analysis.Fact) bool {
	if len(facts) == 0 {
		return false
	}
	var path objectpath.Path
	if obj != nil {
		var err error
		if path, err = paths.For(obj); err != nil {
			return false
		}
	}
	for _, f := range facts {
		if f.Object == path && f.Type == factType(ptr) {
			if err := gob.NewDecoder(bytes.NewReader(f.Data)).Decode(ptr); err != nil {
				panic(fmt.Sprintf("decoding %s fact: %v", f.Type, err))
			}
			return true
		}
	}
	return false
}

// A File is one source file of a generated package.
type File struct {
	Name string // base name
	Src  []byte
}

// A Package is a generated package: its import path (inside the fixture
// module) and files.
type Package struct {
	Path  string
	Files []File
}

// A Check is the outcome of type-checking and analyzing a program.
type Check struct {
	Fset     *token.FileSet
	Units    []*Unit
	Results  []*Result
	TypeErr  error  // the first type error, if the program does not type-check
	Nodes    int    // AST nodes in the program's files
	Analysis uint64 // heap allocations during analysis: the work measure

	// CPU time of the process while type-checking and analyzing (garbage
	// collection included), for benchmarks.
	TypeCheckTime, AnalysisTime time.Duration
}

// Diagnostics returns every finding of the program.
func (c *Check) Diagnostics() []Diagnostic {
	var all []Diagnostic
	for _, r := range c.Results {
		all = append(all, r.Diagnostics...)
	}
	return all
}

// Check type-checks pkgs, in order (a package may import the ones before
// it), against the Universe, under dir (the fixture module's directory,
// for file names), and analyzes each one with the facts of the ones
// before it, handed on as bytes (go vet's unitchecker). It stops at the
// first package that does not type-check.
func (u *Universe) Check(dir string, pkgs []Package) *Check { return u.check(dir, pkgs, nil) }

// CheckLive is Check with the facts of pkgs handed on as objects, as the
// standalone command's driver does (see liveFacts); the dependencies'
// facts come from the Universe in both.
func (u *Universe) CheckLive(dir string, pkgs []Package) *Check {
	return u.check(dir, pkgs, &liveFacts{
		pkgs: make(map[*types.Package]bool),
		obj:  make(map[*analysis.Analyzer]map[types.Object][]analysis.Fact),
		pkg:  make(map[*analysis.Analyzer]map[*types.Package][]analysis.Fact),
	})
}

func (u *Universe) check(dir string, pkgs []Package, live *liveFacts) *Check {
	fset := token.NewFileSet()
	fset.AddExistingFiles(u.files...)
	c := &Check{Fset: fset}
	local := make(map[string]*types.Package)
	facts := make(map[string]map[string][]EncodedFact)
	imp := importerFunc(func(path string) (*types.Package, error) {
		if p, ok := local[path]; ok {
			return p, nil
		}
		if p, ok := u.Packages[path]; ok {
			return p.Types, nil
		}
		return nil, fmt.Errorf("package %s is not in the universe", path)
	})
	for _, p := range pkgs {
		unit := &Unit{Fset: fset, Source: make(map[string][]byte), Sizes: types.SizesFor("gc", runtime.GOARCH),
			Module: &packages.Module{Path: "example.com/fixtures", Main: true, GoVersion: "1.26.0"}}
		for _, f := range p.Files {
			name := dir + "/" + strings.TrimPrefix(p.Path, "example.com/fixtures/") + "/" + f.Name
			file, err := parser.ParseFile(fset, name, f.Src, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				c.TypeErr = err
				return c
			}
			unit.Files = append(unit.Files, file)
			unit.Source[name] = f.Src
			ast.Inspect(file, func(n ast.Node) bool { c.Nodes++; return true })
		}
		unit.Info = &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Instances:    make(map[*ast.Ident]types.Instance),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			Scopes:       make(map[ast.Node]*types.Scope),
			FileVersions: make(map[*ast.File]string),
		}
		conf := types.Config{Importer: imp, GoVersion: "go1.26", Sizes: unit.Sizes}
		start := cpuTime()
		pkg, err := conf.Check(p.Path, fset, unit.Files, unit.Info)
		c.TypeCheckTime += cpuTime() - start
		if err != nil {
			c.TypeErr = err
			return c
		}
		unit.Pkg = pkg
		local[p.Path] = pkg
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start = cpuTime()
		res := u.analyze(unit, facts, live)
		if live != nil {
			live.pkgs[pkg] = true
		}
		c.AnalysisTime += cpuTime() - start
		runtime.ReadMemStats(&after)
		c.Analysis += after.Mallocs - before.Mallocs
		for name, f := range res.Facts {
			if facts[name] == nil {
				facts[name] = make(map[string][]EncodedFact)
			}
			facts[name][p.Path] = f
		}
		c.Units = append(c.Units, unit)
		c.Results = append(c.Results, res)
	}
	return c
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
