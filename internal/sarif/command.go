package sarif

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	toolversion "github.com/grpccancelcheck/grpccancelcheck/internal/version"
)

// Requested reports whether the command line asks for SARIF output: a
// true -sarif (or --sarif) flag before any "--".
func Requested(args []string) bool {
	on := false
	for _, arg := range args {
		if arg == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		if !strings.HasPrefix(arg, "-") || name != "sarif" {
			continue
		}
		on = true
		if hasValue {
			on, _ = strconv.ParseBool(value)
		}
	}
	return on
}

// Command is the -sarif mode of a multichecker-style command: it takes the
// same analyzer flags (-NAME to select analyzers, -NAME.FLAG for their
// settings) and -test, loads the packages named by the arguments, runs the
// analyzers and writes one SARIF log to Stdout.
type Command struct {
	Name           string // the command's name, for messages and the SARIF tool name
	InformationURI string // the tool's home page
	Analyzers      []*analysis.Analyzer
	Stdout, Stderr io.Writer
	Dir            string // where to load packages and what URIs are relative to; the current directory if empty

	// Categories lists, by analyzer name, the categories of finding each
	// rule can report; each rule's help links to their documentation.
	Categories map[string][]string
}

// Run runs the command with args (without the program name) and returns
// the exit code: 0 when the analysis ran, whatever it found (like -json);
// 1 when packages failed to load or an analyzer failed (the log is still
// written, with the errors as notifications); 2 for a bad command line.
func (c *Command) Run(args []string) int {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	fs.Bool("sarif", true, "write results as SARIF 2.1.0 to standard output")
	tests := fs.Bool("test", true, "also analyze test files")
	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range c.Analyzers {
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, fmt.Sprintf("enable %q analysis", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	for _, other := range []string{"json", "fix", "diff"} {
		fs.Var(rejectBool{other}, other, "not with -sarif")
	}
	fs.Usage = func() {
		fmt.Fprintf(c.Stderr, "usage: %s -sarif [-ANALYZER] [-ANALYZER.FLAG=value] [-test=false] packages...\n", c.Name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	analyzers := selected(c.Analyzers, enabled)

	dir, err := filepath.Abs(cmp.Or(c.Dir, "."))
	if err != nil {
		fmt.Fprintf(c.Stderr, "%s: %v\n", c.Name, err)
		return 1
	}
	b := NewBuilder(analyzers, Options{
		BaseDir:        dir,
		ToolName:       c.Name,
		InformationURI: c.InformationURI,
		ToolVersion:    version(),
		Categories:     c.Categories,
	})
	code := 0
	if pkgs, err := load(dir, fs.Args(), *tests); err != nil {
		b.AddError(err.Error())
		code = 1
	} else {
		packages.Visit(pkgs, nil, func(p *packages.Package) {
			for _, e := range p.Errors {
				b.AddError(e.Error())
				code = 1
			}
		})
		graph, err := checker.Analyze(analyzers, pkgs, nil)
		if err != nil {
			b.AddError(err.Error())
			code = 1
		} else {
			b.AddGraph(graph)
			for act := range graph.All() {
				if act.Err != nil {
					code = 1
				}
			}
		}
	}
	log := b.Log()
	for _, n := range log.Runs[0].Invocations[0].ToolExecutionNotifications {
		fmt.Fprintf(c.Stderr, "%s: %s\n", c.Name, n.Message.Text)
	}
	enc := json.NewEncoder(c.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		fmt.Fprintf(c.Stderr, "%s: %v\n", c.Name, err)
		return 1
	}
	return code
}

// load loads the packages with the syntax of all dependencies: the
// analyzers exchange facts across packages.
func load(dir string, patterns []string, tests bool) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Dir:   dir,
		Tests: tests,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err == nil && len(pkgs) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, err
}

// selected applies the -NAME flags as multichecker does: if any is true,
// only those analyzers run; else, if any is false, all but those.
func selected(all []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	var anyTrue, anyFalse bool
	for _, ts := range enabled {
		anyTrue = anyTrue || *ts == setTrue
		anyFalse = anyFalse || *ts == setFalse
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		switch {
		case anyTrue && *enabled[a] == setTrue,
			!anyTrue && *enabled[a] != setFalse:
			out = append(out, a)
		}
	}
	return out
}

// version is the release the command was stamped with, else the module
// version it was built from.
func version() string { return toolversion.Version() }

// triState is an analyzer's -NAME flag: unset, true or false.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }

func (ts *triState) Get() any { return *ts == setTrue }

func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	if b {
		*ts = setTrue
	} else {
		*ts = setFalse
	}
	return nil
}

// rejectBool is a boolean flag that may not be set.
type rejectBool struct{ name string }

func (r rejectBool) IsBoolFlag() bool { return true }
func (r rejectBool) String() string   { return "false" }
func (r rejectBool) Set(string) error {
	return fmt.Errorf("-%s cannot be combined with -sarif", r.name)
}
