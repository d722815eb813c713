package sarif

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
)

// TestRuleHelpLinksCategories: with Options.Categories, each rule's help
// (text and Markdown) links the documentation of each of its categories,
// and its helpUri stays the analyzer's URL.
func TestRuleHelpLinksCategories(t *testing.T) {
	a := &analysis.Analyzer{Name: "ctxloop", Doc: "ctxloop: check loops\n\nMore.", URL: analyzerdoc.URL("ctxloop")}
	b := NewBuilder([]*analysis.Analyzer{a}, Options{Categories: map[string][]string{"ctxloop": {"blind-loop", "blind-helper"}}})
	r := b.Log().Runs[0].Tool.Driver.Rules[0]
	if r.HelpURI != a.URL {
		t.Errorf("helpUri %q, want %q", r.HelpURI, a.URL)
	}
	for _, c := range []string{"blind-loop", "blind-helper"} {
		u := analyzerdoc.URL(c)
		if !strings.Contains(r.Help.Text, c+": "+u) {
			t.Errorf("help text lacks %s: %s:\n%s", c, u, r.Help.Text)
		}
		if !strings.Contains(r.Help.Markdown, "[`"+c+"`]("+u+")") {
			t.Errorf("help markdown lacks a link to %s:\n%s", u, r.Help.Markdown)
		}
	}
	if !strings.HasPrefix(r.Help.Text, a.Doc) {
		t.Errorf("help text does not start with the analyzer's doc:\n%s", r.Help.Text)
	}
	// Without categories the help is the doc alone.
	plain := NewBuilder([]*analysis.Analyzer{a}, Options{}).Log().Runs[0].Tool.Driver.Rules[0]
	if plain.Help.Text != a.Doc {
		t.Errorf("help without categories %q, want the doc", plain.Help.Text)
	}
}
