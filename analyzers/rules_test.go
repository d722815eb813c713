package analyzers_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/internal/analyzerdoc"
)

// TestRulePages checks docs/rules.md against the code: a section for every
// analyzer, at the anchor its URL names, and one for every category the
// analyzer reports; no section for a category that does not exist.
func TestRulePages(t *testing.T) {
	anchors, levels, bodies := headings(t, filepath.Join("..", "docs", "rules.md"))
	cats := analyzers.Categories()
	if got, want := sortedKeys(cats), slices.Sorted(slices.Values(analyzers.Names())); !slices.Equal(got, want) {
		t.Errorf("Categories() has analyzers %v, want %v", got, want)
	}
	documented := map[string]bool{}
	for _, a := range analyzers.All() {
		if want := analyzerdoc.URL(a.Name); a.URL != want {
			t.Errorf("%s: URL %q, want %q", a.Name, a.URL, want)
		}
		if levels[a.Name] != 2 {
			t.Errorf("docs/rules.md has no \"## %s\" section", a.Name)
		}
		for _, c := range cats[a.Name] {
			documented[c] = true
			if !anchors[c] {
				t.Errorf("docs/rules.md has no section for %s's category %q (anchor #%s)", a.Name, c, c)
			} else if !sinceLine.MatchString(bodies[c]) {
				t.Errorf("docs/rules.md: section #%s does not say since which version (a line \"Since: vX.Y.Z.\")", c)
			}
		}
	}
	// Every heading below an analyzer's is a category the code reports.
	for anchor, level := range levels {
		if level == 3 && !documented[anchor] {
			t.Errorf("docs/rules.md documents %q, which no analyzer reports", anchor)
		}
	}
}

// TestCategoriesFromSource derives the categories from the analyzers'
// sources and checks Categories() against them: every diagnostic's
// Category is set from a constant (never a string literal, which would
// escape the list), and every Category constant is in the list.
func TestCategoriesFromSource(t *testing.T) {
	var all []string
	for _, cs := range analyzers.Categories() {
		all = append(all, cs...)
	}
	for _, dir := range moduleDirs(t) {
		fset := token.NewFileSet()
		for _, f := range parseDir(t, fset, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.KeyValueExpr:
					if isCategory(n.Key) {
						checkNotLiteral(t, fset, n.Value)
					}
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						if isCategory(lhs) && i < len(n.Rhs) && len(n.Lhs) == len(n.Rhs) {
							checkNotLiteral(t, fset, n.Rhs[i])
						}
					}
				case *ast.ValueSpec:
					for i, name := range n.Names {
						if !strings.HasPrefix(name.Name, "Category") || i >= len(n.Values) {
							continue
						}
						lit, ok := n.Values[i].(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							t.Errorf("%s: %s is not a string constant", fset.Position(name.Pos()), name.Name)
							continue
						}
						v := constant.StringVal(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
						if !slices.Contains(all, v) {
							t.Errorf("%s: category %q is missing from analyzers.Categories()", fset.Position(name.Pos()), v)
						}
					}
				}
				return true
			})
		}
	}
}

// isCategory reports whether e names a diagnostic's category: the
// Category field, or a variable called category.
func isCategory(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Category" || e.Name == "category"
	case *ast.SelectorExpr:
		return e.Sel.Name == "Category"
	}
	return false
}

func checkNotLiteral(t *testing.T, fset *token.FileSet, e ast.Expr) {
	t.Helper()
	if lit, ok := e.(*ast.BasicLit); ok {
		t.Errorf("%s: category set from the literal %s; declare it in categories.go and list it in Categories()", fset.Position(lit.Pos()), lit.Value)
	}
}

// TestDocShape checks each analyzer's doc.go for the heading that
// analyzerdoc.Extract reads (Extract itself falls back instead of
// panicking).
func TestDocShape(t *testing.T) {
	for _, name := range analyzers.Names() {
		content, err := os.ReadFile(filepath.Join(name, "doc.go"))
		if err != nil {
			t.Fatal(err)
		}
		if msg := analyzerdoc.Check(content, name); msg != "" {
			t.Error(msg)
		}
	}
}

// TestNoInitNoPanic checks golangci-lint's rules for a built-in linter on
// the packages the analyzers are built from: no init functions, no calls
// of panic (bad input must never take the run down).
func TestNoInitNoPanic(t *testing.T) {
	for _, dir := range moduleDirs(t) {
		fset := token.NewFileSet()
		for _, f := range parseDir(t, fset, dir) {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
					t.Errorf("%s: func init", fset.Position(fd.Pos()))
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				// The builtin, as no package here declares its own panic.
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" && id.Obj == nil {
						t.Errorf("%s: call of panic", fset.Position(call.Pos()))
					}
				}
				return true
			})
		}
	}
}

// moduleDirs returns the directories of this module's packages that the
// analyzers registry imports, itself included.
func moduleDirs(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Dir,Module", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var dirs []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Dir string
			Module          *struct{ Path string }
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module != nil && p.Module.Path == "github.com/grpccancelcheck/grpccancelcheck" {
			dirs = append(dirs, p.Dir)
		}
	}
	if len(dirs) < 5 { // registry, three analyzers, grpcctx, ...
		t.Fatalf("go list found only %v", dirs)
	}
	return dirs
}

// parseDir parses the non-test .go files of dir.
func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

var sinceLine = regexp.MustCompile(`(?m)^Since: v\d+\.\d+\.\d+\.$`)

// headings returns the GitHub anchors of the Markdown file's headings
// outside code blocks, the level of each, and the text of its section (up
// to the next heading).
func headings(t *testing.T, path string) (map[string]bool, map[string]int, map[string]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	anchors, levels, bodies := map[string]bool{}, map[string]int{}, map[string]string{}
	inCode, current := false, ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		hashes := len(line) - len(strings.TrimLeft(line, "#"))
		if inCode || hashes == 0 || !strings.HasPrefix(line[hashes:], " ") {
			bodies[current] += line + "\n"
			continue
		}
		a := slug(line[hashes+1:])
		if anchors[a] {
			t.Errorf("%s: anchor #%s twice", path, a)
		}
		anchors[a], levels[a], current = true, hashes, a
	}
	return anchors, levels, bodies
}

var notSlug = regexp.MustCompile(`[^\p{L}\p{N}_ -]`)

// slug is GitHub's anchor of a heading: lowercase, punctuation other than
// '-' and '_' dropped, spaces to '-'.
func slug(heading string) string {
	s := notSlug.ReplaceAllString(strings.ToLower(strings.TrimSpace(heading)), "")
	return strings.ReplaceAll(s, " ", "-")
}

func sortedKeys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
