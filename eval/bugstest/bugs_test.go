// Package bugstest runs grpccancelcheck on eval/bugs, the reductions of real
// upstream cancellation bugs (a module of its own, see its README.md), and
// pins what the analyzers catch today.
//
// Every case is a directory eval/bugs/NAME with a buggy/ and a fixed/
// package. Marks in comments of the buggy files say what is expected on
// their line:
//
//	// want ANALYZER "regexp"          reported today, message matching regexp
//	// want-missing ANALYZER "regexp"  the bug is here, not reported today:
//	                                   the capability it needs is in
//	                                   eval/bugs/README.md
//	// out-of-scope: reason            the bug is here, deliberately not ours
//	// negative: reason                nothing is wrong (both versions silent)
//
// A case whose bug is caught only with a setting the team would configure
// (a wrapper interface declared with -ctxdeadline.rpc) says so in any of
// its files, buggy or fixed; both versions then run with it, in process
// and in both drivers:
//
//	// flags: -ANALYZER.FLAG=VALUE ...
//
// The one mark a fixed file may carry is
//
//	// want-fp ANALYZER "regexp"       a false positive today: the fix is
//	                                   there, the analyzer cannot see it
//
// The test fails on any finding no mark expects (so a fixed version without
// a want-fp that reports anything fails), on a want or want-fp without its
// finding (a false positive that is gone loses its mark), and on a
// want-missing whose finding has appeared (the mark becomes a want, and the
// README row says "yes"). A case is caught only when its buggy version is
// reported and its fixed version silent. The test checks the README table
// against the marks and logs the caught ratio.
package bugstest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// bugsDir is the absolute path of eval/bugs.
func bugsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "bugs")
}

// A finding is one diagnostic: analyzer, file (relative to eval/bugs,
// slash-separated), line, column and message.
type finding struct {
	Analyzer string
	File     string
	Line     int
	Col      int
	Message  string
}

func (f finding) String() string {
	return fmt.Sprintf("%s %s:%d:%d %s", f.Analyzer, f.File, f.Line, f.Col, f.Message)
}

var (
	analyzeOnce sync.Once
	analyzed    []finding
	analyzeErr  error
)

// analyze loads eval/bugs once per test binary and runs every analyzer on
// it in process: with the default settings, and each case with flags with
// its own.
func analyze(t *testing.T) []finding {
	t.Helper()
	analyzeOnce.Do(func() {
		fixturetest.FewerCollections() // the load below is as large as the fixture module's
		dir := bugsDir()
		dl := exec.Command("go", "mod", "download")
		dl.Dir = dir
		dl.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := dl.CombinedOutput(); err != nil {
			analyzeErr = fmt.Errorf("go mod download in eval/bugs: %v\n%s", err, out)
			return
		}
		cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir}
		pkgs, err := packages.Load(cfg, "./...")
		if err != nil {
			analyzeErr = err
			return
		}
		var msgs []string
		packages.Visit(pkgs, nil, func(p *packages.Package) {
			for _, e := range p.Errors {
				msgs = append(msgs, e.Error())
			}
		})
		if len(msgs) > 0 {
			analyzeErr = fmt.Errorf("eval/bugs does not load:\n%s", strings.Join(msgs, "\n"))
			return
		}
		flagged := make(map[string]*bugCase) // case directory -> case with flags
		for _, c := range cases(t) {
			if len(c.Flags) > 0 {
				flagged[c.Name] = c
			}
		}
		run := func(as []*analysis.Analyzer, pkgs []*packages.Package, keep func(file string) bool) error {
			g, err := checker.Analyze(as, pkgs, nil)
			if err != nil {
				return err
			}
			for _, act := range g.Roots {
				if act.Err != nil {
					return fmt.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
				}
				for _, d := range act.Diagnostics {
					p := act.Package.Fset.Position(d.Pos)
					if f := relPath(dir, p.Filename); keep(f) {
						analyzed = append(analyzed, finding{act.Analyzer.Name, f, p.Line, p.Column, d.Message})
					}
				}
			}
			return nil
		}
		if analyzeErr = run(analyzers.All(), pkgs, func(f string) bool { return flagged[caseOf(f)] == nil }); analyzeErr != nil {
			return
		}
		for _, name := range slices.Sorted(maps.Keys(flagged)) {
			c := flagged[name]
			as, err := c.configured()
			if err != nil {
				analyzeErr = err
				return
			}
			var mine []*packages.Package
			for _, p := range pkgs {
				if strings.HasPrefix(p.PkgPath, "example.com/bugs/"+name+"/") {
					mine = append(mine, p)
				}
			}
			if analyzeErr = run(as, mine, func(f string) bool { return caseOf(f) == name }); analyzeErr != nil {
				return
			}
		}
		analyzed = sortFindings(analyzed)
	})
	if analyzeErr != nil {
		t.Fatal(analyzeErr)
	}
	return analyzed
}

// caseOf returns the case directory of file, a path relative to eval/bugs.
func caseOf(file string) string {
	name, _, _ := strings.Cut(file, "/")
	return name
}

func relPath(dir, file string) string {
	if r, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return file
}

func sortFindings(fs []finding) []finding {
	slices.SortFunc(fs, func(a, b finding) int { return strings.Compare(a.String(), b.String()) })
	return slices.Compact(fs)
}

// A mark is one expectation in a buggy file.
type mark struct {
	Kind     string // "want", "want-missing", "want-fp", "out-of-scope", "negative"
	Analyzer string // want, want-missing and want-fp
	Re       *regexp.Regexp
	File     string
	Line     int
	matched  bool
}

var (
	wantRe  = regexp.MustCompile(`\b(want-missing|want-fp|want) ([a-z]+) "((?:[^"\\]|\\.)*)"`)
	scopeRe = regexp.MustCompile(`// (out-of-scope|negative): \S`)
)

// A bugCase is one directory of eval/bugs with its marks.
type bugCase struct {
	Name  string
	Marks []*mark
	// Flags are the analyzer flags the case runs with ("-ctxdeadline.rpc=..."), from a "// flags:" comment.
	Flags []string
}

var flagsRe = regexp.MustCompile(`^// flags: (.+)$`)

// configured returns every analyzer with the case's flags set.
func (c *bugCase) configured() ([]*analysis.Analyzer, error) {
	all := analyzers.All()
	for _, f := range c.Flags {
		name, value, _ := strings.Cut(strings.TrimPrefix(f, "-"), "=")
		an, flag, ok := strings.Cut(name, ".")
		i := slices.IndexFunc(all, func(a *analysis.Analyzer) bool { return a.Name == an })
		if !ok || i < 0 {
			return nil, fmt.Errorf("case %s: flag %q names no analyzer's flag", c.Name, f)
		}
		if err := all[i].Flags.Set(flag, value); err != nil {
			return nil, fmt.Errorf("case %s: %s: %v", c.Name, f, err)
		}
	}
	return all, nil
}

// Status is what the README's "caught" column must say for the case.
func (c *bugCase) Status() string {
	kinds := make(map[string]bool)
	for _, m := range c.Marks {
		kinds[m.Kind] = true
	}
	switch {
	case kinds["negative"]:
		return "negative"
	case kinds["out-of-scope"]:
		return "out of scope"
	case kinds["want-missing"], kinds["want-fp"]:
		return "not yet"
	case kinds["want"]:
		return "yes"
	}
	return ""
}

// cases reads every case directory and the marks of its files; it fails on
// a case without buggy/ and fixed/, without marks, with a mark in the wrong
// version, or with a mark naming no analyzer of ours.
func cases(t *testing.T) []*bugCase {
	t.Helper()
	dir := bugsDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []*bugCase
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "pb" || e.Name() == "internal" {
			continue
		}
		c := &bugCase{Name: e.Name()}
		for _, version := range []string{"buggy", "fixed"} {
			files, _ := filepath.Glob(filepath.Join(dir, c.Name, version, "*.go"))
			if len(files) == 0 {
				t.Errorf("case %s has no %s/ package", c.Name, version)
			}
			for _, f := range files {
				for _, fl := range readFlags(t, f) {
					if !slices.Contains(c.Flags, fl) {
						c.Flags = append(c.Flags, fl)
					}
				}
				marks := readMarks(t, dir, f)
				for _, m := range marks {
					if m.Analyzer != "" && !slices.Contains(analyzers.Names(), m.Analyzer) {
						t.Errorf("%s:%d: %s mark names %q, which is not one of %v", m.File, m.Line, m.Kind, m.Analyzer, analyzers.Names())
						continue
					}
					if (version == "fixed") != (m.Kind == "want-fp") {
						t.Errorf("%s:%d: a %s mark in a %s version (want-fp belongs in fixed files, every other mark in buggy ones)", m.File, m.Line, m.Kind, version)
						continue
					}
					c.Marks = append(c.Marks, m)
				}
			}
		}
		if len(c.Marks) == 0 {
			t.Errorf("case %s: its buggy version has no want, want-missing, out-of-scope or negative mark", c.Name)
		}
		out = append(out, c)
	}
	return out
}

func readMarks(t *testing.T, dir, file string) []*mark {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var marks []*mark
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		i := strings.Index(line, "//")
		if i < 0 {
			continue
		}
		comment := line[i:]
		rel := relPath(dir, file)
		for _, m := range wantRe.FindAllStringSubmatch(comment, -1) {
			re, err := regexp.Compile(m[3])
			if err != nil {
				t.Errorf("%s:%d: bad regexp %q: %v", rel, n, m[3], err)
				continue
			}
			marks = append(marks, &mark{Kind: m[1], Analyzer: m[2], Re: re, File: rel, Line: n})
		}
		if m := scopeRe.FindStringSubmatch(comment); m != nil {
			marks = append(marks, &mark{Kind: m[1], File: rel, Line: n})
		}
	}
	return marks
}

// readFlags returns the flags of a "// flags:" comment in file.
func readFlags(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if m := flagsRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			out = append(out, strings.Fields(m[1])...)
		}
	}
	return out
}

// TestBugs checks every case against the in-process analysis.
func TestBugs(t *testing.T) {
	all := cases(t)
	findings := analyze(t)
	check(t, all, findings)

	counts := make(map[string]int)
	var missing []string
	fps := 0
	for _, c := range all {
		counts[c.Status()]++
		if c.Status() == "not yet" {
			missing = append(missing, c.Name)
		}
		for _, m := range c.Marks {
			if m.Kind == "want-fp" {
				fps++
			}
		}
	}
	inScope := counts["yes"] + counts["not yet"]
	if inScope > 0 {
		t.Logf("caught %d of %d in-scope bugs (%.0f%%); %d out of scope, %d negative; %d false positives in fixed versions; not yet: %s",
			counts["yes"], inScope, 100*float64(counts["yes"])/float64(inScope),
			counts["out of scope"], counts["negative"], fps, strings.Join(missing, " "))
	}
	checkReadme(t, all)
}

// check matches findings against the marks of all cases.
func check(t *testing.T, all []*bugCase, findings []finding) {
	t.Helper()
	byLine := make(map[string][]*mark)
	for _, c := range all {
		for _, m := range c.Marks {
			k := fmt.Sprintf("%s:%d", m.File, m.Line)
			byLine[k] = append(byLine[k], m)
		}
	}
	for _, f := range findings {
		if !strings.Contains(f.File, "/buggy/") && !strings.Contains(f.File, "/fixed/") {
			t.Errorf("finding outside the cases (in shared code): %s", f)
			continue
		}
		expected := false
		for _, m := range byLine[fmt.Sprintf("%s:%d", f.File, f.Line)] {
			if m.Analyzer != f.Analyzer || !m.Re.MatchString(f.Message) {
				continue
			}
			switch m.Kind {
			case "want", "want-fp":
				m.matched, expected = true, true
			case "want-missing":
				m.matched = true
				t.Errorf("%s:%d: marked want-missing %s %q, but it is caught now: %s; make the mark a want and update the README row",
					m.File, m.Line, m.Analyzer, m.Re, f.Message)
				expected = true
			}
		}
		switch {
		case expected:
		case strings.Contains(f.File, "/fixed/"):
			t.Errorf("fixed version reports: %s", f)
		default:
			t.Errorf("unexpected finding (no want mark on its line): %s", f)
		}
	}
	for _, c := range all {
		for _, m := range c.Marks {
			switch {
			case m.Kind == "want" && !m.matched:
				t.Errorf("%s:%d: no %s finding matching %q", m.File, m.Line, m.Analyzer, m.Re)
			case m.Kind == "want-fp" && !m.matched:
				t.Errorf("%s:%d: the false positive marked want-fp %s %q is gone; remove the mark and update the README row", m.File, m.Line, m.Analyzer, m.Re)
			}
		}
	}
}

// rowRe matches a row of the README table: | [name](name/) | ... | caught |.
var rowRe = regexp.MustCompile(`^\| \[([a-z0-9-]+)\]\(([a-z0-9-]+)/\) \|.*\| ([a-z ]+?)(?::[^|]*)? \|$`)

// checkReadme requires one README row per case whose caught column agrees
// with the marks.
func checkReadme(t *testing.T, all []*bugCase) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(bugsDir(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := make(map[string]string)
	for _, line := range strings.Split(string(data), "\n") {
		if m := rowRe.FindStringSubmatch(line); m != nil {
			rows[m[1]] = m[3]
		}
	}
	for _, c := range all {
		got, ok := rows[c.Name]
		switch {
		case !ok:
			t.Errorf("README.md has no row for case %s", c.Name)
		case got != c.Status():
			t.Errorf("README.md says %q for case %s; its marks say %q", got, c.Name, c.Status())
		}
		delete(rows, c.Name)
	}
	for name := range rows {
		t.Errorf("README.md has a row for %s, which is not a case directory", name)
	}
}

// TestDrivers runs the standalone command with -json and go vet -vettool
// on eval/bugs: both must report exactly what the in-process analysis
// does.
func TestDrivers(t *testing.T) {
	fixturetest.Integration(t) // builds the command and runs go vet
	all := analyze(t)
	dir := bugsDir()
	tool := filepath.Join(t.TempDir(), "grpccancelcheck")
	build := exec.Command("go", "build", "-o", tool, "github.com/grpccancelcheck/grpccancelcheck/cmd/grpccancelcheck")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building grpccancelcheck: %v\n%s", err, out)
	}
	// One run per flag setting: the default on every package (the
	// findings of cases with flags left out), then each case with flags on
	// its own packages.
	type setting struct {
		name  string // case, or "" for the default
		flags []string
	}
	settings := []setting{{}}
	for _, c := range cases(t) {
		if len(c.Flags) > 0 {
			settings = append(settings, setting{c.Name, c.Flags})
		}
	}
	for _, st := range settings {
		pattern := "./..."
		keep := func(f finding) bool {
			return !slices.ContainsFunc(settings[1:], func(s setting) bool { return s.name == caseOf(f.File) })
		}
		if st.name != "" {
			pattern = "./" + st.name + "/..."
			keep = func(f finding) bool { return caseOf(f.File) == st.name }
		}
		var want []finding
		for _, f := range all {
			if keep(f) {
				want = append(want, f)
			}
		}
		checkDrivers(t, dir, tool, st.flags, pattern, want)
	}
}

// checkDrivers runs the standalone command and go vet with flags on the
// packages matching pattern and compares their findings with want.
func checkDrivers(t *testing.T, dir, tool string, flags []string, pattern string, want []finding) {
	t.Helper()
	for _, args := range [][]string{
		append(append([]string{tool, "-json"}, flags...), pattern),
		append(append([]string{"go", "vet", "-vettool=" + tool, "-json"}, flags...), pattern),
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%v: %v", args, err)
		}
		if exit != nil {
			t.Errorf("%v exited %d (-json exits 0 with findings):\n%s", args, exit.ExitCode(), stderr.String())
			continue
		}
		// go vet prints its JSON to stderr, one object per package, after
		// a "# package" line.
		got, err := parseJSON(dir, stdout.String()+stripHeaders(stderr.String()))
		if err != nil {
			t.Errorf("%v: %v\nstderr:\n%s", args, err, stderr.String())
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s disagrees with the in-process analysis\ngot:\n%s\nwant:\n%s", strings.Join(args[:2], " "), lines(got), lines(want))
		}
	}
}

func stripHeaders(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "# ") {
			b.WriteString(l)
		}
	}
	return b.String()
}

// parseJSON decodes the x/tools checker JSON ({"pkg": {"analyzer":
// [diagnostic...]}}), one or more objects, into findings.
func parseJSON(dir, out string) ([]finding, error) {
	var fs []finding
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("not checker JSON: %v\n%s", err, out)
		}
		for _, byAnalyzer := range tree {
			for a, raw := range byAnalyzer {
				var diags []struct {
					Posn    string `json:"posn"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(raw, &diags); err != nil {
					return nil, fmt.Errorf("%s: not a diagnostic list (an analysis error?): %s", a, raw)
				}
				for _, d := range diags {
					f := finding{Analyzer: a, Message: d.Message}
					file, line, col, ok := splitPosn(d.Posn)
					if !ok {
						return nil, fmt.Errorf("bad position %q", d.Posn)
					}
					f.File, f.Line, f.Col = relPath(dir, file), line, col
					fs = append(fs, f)
				}
			}
		}
	}
	return sortFindings(fs), nil
}

var posnRe = regexp.MustCompile(`^(.*):(\d+):(\d+)$`)

func splitPosn(p string) (file string, line, col int, ok bool) {
	m := posnRe.FindStringSubmatch(p)
	if m == nil {
		return "", 0, 0, false
	}
	fmt.Sscan(m[2], &line)
	fmt.Sscan(m[3], &col)
	return m[1], line, col, true
}

func lines(fs []finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}
