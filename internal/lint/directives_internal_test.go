package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

func TestParseDirective(t *testing.T) {
	for _, tc := range []struct {
		text   string
		ok     bool
		names  []string
		reason string
	}{
		{"//grpccancelcheck:ignore ctxdetach -- must outlive the RPC", true, []string{"ctxdetach"}, "must outlive the RPC"},
		{"//grpccancelcheck:ignore ctxloop,ctxdetach -- bounded", true, []string{"ctxloop", "ctxdetach"}, "bounded"},
		{"//grpccancelcheck:ignore ctxdetach --see https://example.com/x", true, []string{"ctxdetach"}, "see https://example.com/x"},
		{"//grpccancelcheck:ignore ctxdetach -- why // want `x`", true, []string{"ctxdetach"}, "why"},
		{"//grpccancelcheck:ignore ctxdetach", true, []string{"ctxdetach"}, ""},
		{"//grpccancelcheck:ignore ctxdetach --   ", true, []string{"ctxdetach"}, ""},
		{"//grpccancelcheck:ignore ctxdetach because", true, []string{"ctxdetach"}, ""},
		{"//grpccancelcheck:ignore -- no names", true, nil, "no names"},
		{"//grpccancelcheck:ignore", true, nil, ""},
		{"//grpccancelcheck:ignored ctxdetach -- x", false, nil, ""},
		{"// grpccancelcheck:ignore ctxdetach -- x", false, nil, ""},
		{"//nolint:grpccancelcheck", false, nil, ""},
	} {
		dir, ok := parseDirective(&ast.Comment{Text: tc.text})
		if ok != tc.ok {
			t.Errorf("%q: directive %v, want %v", tc.text, ok, tc.ok)
			continue
		}
		if ok && (!slices.Equal(dir.names, tc.names) || dir.reason != tc.reason) {
			t.Errorf("%q: names %q reason %q, want %q %q", tc.text, dir.names, dir.reason, tc.names, tc.reason)
		}
	}
}

// TestCodeBeforeWithoutText checks that telling a trailing directive from
// one alone on its line from the syntax tree alone (drivers such as nogo
// give no file text) agrees with reading the text.
func TestCodeBeforeWithoutText(t *testing.T) {
	const src = `package p

//grpccancelcheck:ignore a -- alone at top level
var x = f( //grpccancelcheck:ignore a -- after an opening parenthesis
	1, //grpccancelcheck:ignore a -- after an argument
)

func f(int) int {
	//grpccancelcheck:ignore a -- alone in a body
	if x > 0 { //grpccancelcheck:ignore a -- after an if
		return 1 //grpccancelcheck:ignore a -- after a statement
	} else { //grpccancelcheck:ignore a -- after else
	}
	{ //grpccancelcheck:ignore a -- after a lone brace
	}
	return 0
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	tf := fset.File(f.FileStart)
	n := 0
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if !strings.HasPrefix(c.Text, IgnoreDirective) {
				continue
			}
			n++
			withText := codeBefore(tf, []byte(src), f, c)
			withoutText := codeBefore(tf, nil, f, c)
			if want := strings.Contains(c.Text, "alone"); withText == want {
				t.Errorf("%s: code before it: %v (from the text)", c.Text, withText)
			}
			if withoutText != withText {
				t.Errorf("%s: code before it: %v from the syntax, %v from the text", c.Text, withoutText, withText)
			}
		}
	}
	if n != 8 {
		t.Fatalf("found %d directives, want 8", n)
	}
}
