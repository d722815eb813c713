package sarif_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"go/format"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis/checker"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif/sariftest"
)

// logs memoizes run: one conversion per set of patterns.
var logs sync.Map // patterns -> *logOnce

type logOnce struct {
	once sync.Once
	raw  []byte
	err  string
	code int
	g    *checker.Graph
}

// run analyzes the fixture packages with every analyzer in process, as
// the command's -json mode does (the checker's JSON printer), converts the
// output as -sarif does, and decodes a fresh copy of the log.
func run(t *testing.T, patterns ...string) (log *sarif.Log, raw []byte, g *checker.Graph) {
	t.Helper()
	dir := fixturetest.Dir(t)
	v, _ := logs.LoadOrStore(strings.Join(patterns, "\x00"), new(logOnce))
	r := v.(*logOnce)
	r.once.Do(func() {
		r.g = fixturetest.Graph(t, analyzers.All(), patterns...)
		var out, errb bytes.Buffer
		if err := r.g.PrintJSON(&out); err != nil {
			t.Fatal(err)
		}
		var sarifOut bytes.Buffer
		r.code = sarif.Write(&sarifOut, &errb, "grpccancelcheck", analyzers.All(), sarif.Options{
			BaseDir:        dir,
			ToolName:       "grpccancelcheck",
			InformationURI: "https://github.com/grpccancelcheck/grpccancelcheck",
		}, sarif.Checked{JSON: out.Bytes()})
		r.raw, r.err = sarifOut.Bytes(), errb.String()
	})
	if r.code != 0 {
		t.Fatalf("conversion failed (%d):\n%s", r.code, r.err)
	}
	log = new(sarif.Log)
	if err := json.Unmarshal(r.raw, log); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.raw)
	}
	return log, r.raw, r.g
}

// fixturePatterns are the fixture packages the SARIF tests read: findings
// with related locations (facts from helpers), fixes, and directives.
var fixturePatterns = []string{"./ctxdetach", "./ctxdetach/helpers", "./suppress"}

var _ = fixturetest.Uses(fixturePatterns...) // this binary loads only them

func TestFixturesValidateAgainstSchema(t *testing.T) {
	t.Parallel()
	log, raw, _ := run(t, fixturePatterns...)
	if err := sariftest.Validate(raw); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v", err)
	}
	if log.Version != "2.1.0" || log.Schema != sariftest.SchemaID || len(log.Runs) != 1 {
		t.Fatalf("version %q, $schema %q, %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	if !run.Invocations[0].ExecutionSuccessful || len(run.Invocations[0].ToolExecutionNotifications) > 0 {
		t.Errorf("invocation: %+v", run.Invocations[0])
	}
	dir := fixturetest.Dir(t)
	if got, want := run.OriginalURIBaseIDs[sarif.SrcRoot].URI, fileURL(dir)+"/"; got != want {
		t.Errorf("%s is %s, want %s", sarif.SrcRoot, got, want)
	}
	for _, r := range run.Results {
		for _, l := range slices.Concat(r.Locations, r.RelatedLocations) {
			if a := l.PhysicalLocation.ArtifactLocation; a.URIBaseID != sarif.SrcRoot || strings.HasPrefix(a.URI, "/") || strings.Contains(a.URI, "..") {
				t.Errorf("result %q: artifact %+v is not relative to %s", r.Message.Text, a, sarif.SrcRoot)
			}
		}
	}
}

// TestRules checks one rule per analyzer, in order, with the analyzer's
// documentation and URL, and that every result points at its rule.
func TestRules(t *testing.T) {
	t.Parallel()
	log, _, _ := run(t, fixturePatterns...)
	rules := log.Runs[0].Tool.Driver.Rules
	all := analyzers.All()
	if len(rules) != len(all) {
		t.Fatalf("%d rules, want %d (%v)", len(rules), len(all), analyzers.Names())
	}
	for i, a := range all {
		r := rules[i]
		title, _, _ := strings.Cut(a.Doc, "\n")
		switch {
		case r.ID != a.Name:
			t.Errorf("rule %d: id %q, want %q", i, r.ID, a.Name)
		case r.HelpURI != a.URL || a.URL == "":
			t.Errorf("rule %s: helpUri %q, want the analyzer URL %q", r.ID, r.HelpURI, a.URL)
		case a.Name+": "+r.ShortDescription.Text != title:
			t.Errorf("rule %s: shortDescription %q, want the title of %q", r.ID, r.ShortDescription.Text, title)
		case r.FullDescription == nil || len(r.FullDescription.Text) < len(r.ShortDescription.Text):
			t.Errorf("rule %s: fullDescription %+v", r.ID, r.FullDescription)
		case r.Help == nil || r.Help.Text != a.Doc || !strings.Contains(r.Help.Markdown, "\n\tfunc "):
			t.Errorf("rule %s: help is not the analyzer's documentation with its code blocks in Markdown: %+v", r.ID, r.Help)
		}
	}
	for _, res := range log.Runs[0].Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %q: ruleId %s, ruleIndex %d", res.Message.Text, res.RuleID, res.RuleIndex)
		}
	}
}

// TestResultsMatchAnalysis runs the analyzers with the checker directly and
// checks that the SARIF results are exactly its diagnostics, each once.
func TestResultsMatchAnalysis(t *testing.T) {
	t.Parallel()
	dir := fixturetest.Dir(t)
	log, _, g := run(t, fixturePatterns...)
	var got []string
	for _, r := range log.Runs[0].Results {
		reg := r.Locations[0].PhysicalLocation.Region
		got = append(got, fmt.Sprintf("%s %s:%d:%d %s", r.RuleID, r.Locations[0].PhysicalLocation.ArtifactLocation.URI, reg.StartLine, reg.StartColumn, r.Message.Text))
	}

	seen := make(map[string]bool)
	var want []string
	for _, act := range g.Roots {
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			rel, _ := filepath.Rel(dir, p.Filename)
			// The fixtures are ASCII: byte columns are UTF-16 columns.
			s := fmt.Sprintf("%s %s:%d:%d %s", act.Analyzer.Name, filepath.ToSlash(rel), p.Line, p.Column, d.Message)
			if !seen[s] {
				seen[s] = true
				want = append(want, s)
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("results differ from the analysis:\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(want) == 0 {
		t.Error("the analysis found nothing: this test checks nothing")
	}
}

// TestRelatedLocationsAndCategories checks a finding through a helper in
// another package: its related location is the outbound call inside the
// helper, and the category travels in the property bag.
func TestRelatedLocationsAndCategories(t *testing.T) {
	t.Parallel()
	log, _, _ := run(t, fixturePatterns...)
	categories := make(map[string]int)
	related := 0
	for _, r := range log.Runs[0].Results {
		if r.Properties == nil || r.Properties.Category == "" {
			t.Errorf("result %q has no category", r.Message.Text)
			continue
		}
		categories[r.Properties.Category]++
		for i, l := range r.RelatedLocations {
			if l.ID == nil || *l.ID != i+1 || l.Message == nil || l.Message.Text == "" || l.PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("result %q: related location %d is incomplete: %+v", r.Message.Text, i, l)
			}
			if r.Properties.Category == "detached-helper" && strings.HasSuffix(l.PhysicalLocation.ArtifactLocation.URI, "ctxdetach/helpers/helpers.go") {
				related++
			}
		}
	}
	if related == 0 {
		t.Errorf("no detached-helper result has a related location in ctxdetach/helpers/helpers.go")
	}
	for _, c := range []string{"detached-call", "detached-helper", "ignore-directive"} {
		if categories[c] == 0 {
			t.Errorf("no result of category %s (have %v)", c, categories)
		}
	}
}

// TestFixesReproduceGoldenFiles applies every fix of the SARIF results to
// the fixture files, through SARIF's line/column regions, and compares with
// the .golden files that ctxdetach's own tests check the fixes against.
func TestFixesReproduceGoldenFiles(t *testing.T) {
	t.Parallel()
	dir := fixturetest.Dir(t)
	log, _, _ := run(t, fixturePatterns...)
	edits := make(map[string][]edit) // by URI
	fixes := 0
	for _, r := range log.Runs[0].Results {
		if len(r.Fixes) == 0 {
			continue
		}
		fixes++
		f := r.Fixes[0]
		if f.Description == nil || f.Description.Text == "" {
			t.Errorf("result %q: fix without description", r.Message.Text)
		}
		for _, ch := range f.ArtifactChanges {
			for _, rep := range ch.Replacements {
				e := edit{region: rep.DeletedRegion}
				if rep.InsertedContent != nil {
					e.text = rep.InsertedContent.Text
				}
				edits[ch.ArtifactLocation.URI] = append(edits[ch.ArtifactLocation.URI], e)
			}
		}
	}
	if fixes == 0 {
		t.Fatal("no result has a fix")
	}
	for _, name := range []string{"ctxdetach/ctxdetach.go", "ctxdetach/styles.go"} {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(filepath.Join(dir, name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := apply(src, edits[name])
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if g, w := gofmt(t, got), gofmt(t, golden); !bytes.Equal(g, w) {
			t.Errorf("%s: SARIF fixes applied differ from %s.golden:\n%s", name, name, g)
		}
	}
}

type edit struct {
	region sarif.Region
	text   string
}

// apply applies edits whose regions count UTF-16 columns.
func apply(src []byte, edits []edit) ([]byte, error) {
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		start, err := offset(src, e.region.StartLine, e.region.StartColumn)
		if err != nil {
			return nil, err
		}
		end, err := offset(src, e.region.EndLine, e.region.EndColumn)
		if err != nil {
			return nil, err
		}
		spans = append(spans, span{start, end, e.text})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var out []byte
	last := 0
	for _, s := range spans {
		if s.start < last || s.end < s.start {
			return nil, fmt.Errorf("overlapping or inverted edits at offset %d", s.start)
		}
		out = append(append(out, src[last:s.start]...), s.text...)
		last = s.end
	}
	return append(out, src[last:]...), nil
}

// offset converts a 1-based line and UTF-16 column into a byte offset.
func offset(src []byte, line, col int) (int, error) {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return 0, fmt.Errorf("line %d past the end", line)
		}
		off += i + 1
	}
	for units := 1; units < col; {
		if off >= len(src) || src[off] == '\n' {
			return 0, fmt.Errorf("column %d past the end of line %d", col, line)
		}
		r, size := utf8.DecodeRune(src[off:])
		off += size
		units += len(utf16.Encode([]rune{r}))
	}
	return off, nil
}

func gofmt(t *testing.T, src []byte) []byte {
	t.Helper()
	out, err := format.Source(src)
	if err != nil {
		t.Fatalf("format: %v\n%s", err, src)
	}
	return out
}

func TestRequested(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-sarif", "./..."}, true},
		{[]string{"--sarif", "./..."}, true},
		{[]string{"-ctxdetach=false", "-sarif=true", "./..."}, true},
		{[]string{"-sarif=false", "./..."}, false},
		{[]string{"./...", "-sarif"}, true},
		{[]string{"-json", "./..."}, false},
		{[]string{"--", "-sarif"}, false},
		{[]string{"-sarifx"}, false},
		{[]string{"sarif"}, false},
	} {
		if got := sarif.Requested(tc.args); got != tc.want {
			t.Errorf("Requested(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// TestSchemaHasTeeth checks that the validator rejects logs that break the
// schema, so that the tests above could fail.
func TestSchemaHasTeeth(t *testing.T) {
	t.Parallel()
	_, raw, _ := run(t, fixturePatterns...)
	for name, mutate := range map[string]func(m map[string]any){
		"no version":       func(m map[string]any) { delete(m, "version") },
		"result message":   func(m map[string]any) { delete(result(m), "message") },
		"line 0":           func(m map[string]any) { region(m)["startLine"] = 0 },
		"unknown property": func(m map[string]any) { result(m)["rule"] = "ctxdetach" },
		"bad level":        func(m map[string]any) { result(m)["level"] = "severe" },
	} {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		bad, _ := json.Marshal(m)
		if err := sariftest.Validate(bad); err == nil {
			t.Errorf("%s: schema accepts the broken log", name)
		}
	}
}

func result(m map[string]any) map[string]any {
	return m["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
}

func region(m map[string]any) map[string]any {
	loc := result(m)["locations"].([]any)[0].(map[string]any)
	return loc["physicalLocation"].(map[string]any)["region"].(map[string]any)
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
