// Package analyzerdoc extracts an analyzer's documentation from the package
// comment of its doc.go, so that `go doc`, the command's help and the
// Analyzer.Doc field share one text.
package analyzerdoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the text under the "# Analyzer name" heading of the
// package comment of content (a doc.go file), starting with its
// "name: title" line and ending before the next "# " heading.
// It panics when the heading is missing: that is a programming error caught
// by every test of the analyzer.
func Extract(content []byte, name string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil || f.Doc == nil {
		panic(fmt.Sprintf("analyzerdoc: doc.go of %s has no package comment: %v", name, err))
	}
	return extract(f.Doc, name)
}

func extract(doc *ast.CommentGroup, name string) string {
	text := doc.Text()
	heading := "# Analyzer " + name + "\n"
	i := strings.Index(text, heading)
	if i < 0 {
		panic(fmt.Sprintf("analyzerdoc: doc.go lacks %q", strings.TrimSpace(heading)))
	}
	body := strings.TrimLeft(text[i+len(heading):], "\n")
	if !strings.HasPrefix(body, name+": ") {
		panic(fmt.Sprintf("analyzerdoc: doc.go of %s must start with %q", name, name+": title"))
	}
	if j := strings.Index(body, "\n# "); j >= 0 {
		body = body[:j]
	}
	return strings.TrimSpace(body)
}
