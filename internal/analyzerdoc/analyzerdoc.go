// Package analyzerdoc extracts an analyzer's documentation from the package
// comment of its doc.go, so that `go doc`, the command's help and the
// Analyzer.Doc field share one text, and says where each analyzer's and
// each finding category's rule page is.
package analyzerdoc

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// RulesURL is the page that documents every analyzer and finding category,
// docs/rules.md, with one section per analyzer and per category.
const RulesURL = "https://github.com/grpccancelcheck/grpccancelcheck/blob/main/docs/rules.md"

// URL returns the address of the section of docs/rules.md whose anchor is
// anchor: an analyzer's name or a finding category.
func URL(anchor string) string { return RulesURL + "#" + anchor }

// Extract returns the text under the "# Analyzer name" heading of the
// package comment of content (a doc.go file), starting with its
// "name: title" line and ending before the next "# " heading.
//
// It never panics (it runs while packages initialize, where a panic would
// take down every program that imports the analyzer): a doc.go without the
// heading gives its whole package comment, and one without a package
// comment gives "name: (no documentation)". Each analyzer's test checks
// the shape with Check.
func Extract(content []byte, name string) string {
	doc, err := parse(content)
	if err != nil {
		return name + ": (no documentation)"
	}
	body, ok := extract(doc, name)
	if !ok {
		return name + ": " + strings.TrimSpace(doc.Text())
	}
	return body
}

// Check reports what is wrong with the shape of doc.go content for
// analyzer name, or "" when it has a package comment with a
// "# Analyzer name" heading followed by a "name: title" line.
func Check(content []byte, name string) string {
	doc, err := parse(content)
	if err != nil {
		return "doc.go of " + name + " has no package comment: " + err.Error()
	}
	if _, ok := extract(doc, name); !ok {
		return "doc.go of " + name + ` lacks "# Analyzer ` + name + `" followed by "` + name + `: title"`
	}
	return ""
}

type noComment struct{}

func (noComment) Error() string { return "no package comment" }

func parse(content []byte) (*ast.CommentGroup, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return nil, err
	}
	if f.Doc == nil {
		return nil, noComment{}
	}
	return f.Doc, nil
}

func extract(doc *ast.CommentGroup, name string) (string, bool) {
	text := doc.Text()
	heading := "# Analyzer " + name + "\n"
	i := strings.Index(text, heading)
	if i < 0 {
		return "", false
	}
	body := strings.TrimLeft(text[i+len(heading):], "\n")
	if !strings.HasPrefix(body, name+": ") {
		return "", false
	}
	if j := strings.Index(body, "\n# "); j >= 0 {
		body = body[:j]
	}
	return strings.TrimSpace(body), true
}
