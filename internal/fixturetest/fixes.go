package fixturetest

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis/checker"
)

// An edit is a text edit by byte offsets in one file.
type edit struct {
	start, end int
	text       string
}

// CheckFixes applies all suggested fixes of the action's diagnostics and
// compares each file they edit with the file's .golden twin, after gofmt
// (analysistest's RunWithSuggestedFixes, single-file golden form). Unlike
// analysistest, it does not remove the imports the fixes left unused: gopls
// and golangci-lint apply the edits as they are, so a fix that leaves an
// import unused must delete it itself, and one that does not is an error. A file edited by a fix
// must have a golden file: a fixture without one asserts that no fix is
// offered there. Fixes that edit generated files are skipped; identical
// edits (the same file analyzed in a package and its test variant) count
// once; overlapping different edits are an error.
func CheckFixes(act *checker.Action) []error {
	fset := act.Package.Fset
	generated := make(map[*token.File]bool)
	for _, f := range act.Package.Syntax {
		generated[fset.File(f.Pos())] = ast.IsGenerated(f)
	}
	edits := make(map[string][]edit) // by file name
	for _, d := range act.Diagnostics {
	fixes:
		for _, fix := range d.SuggestedFixes {
			for _, e := range fix.TextEdits {
				if generated[fset.File(e.Pos)] {
					continue fixes
				}
			}
			for _, e := range fix.TextEdits {
				file := fset.File(e.Pos)
				end := e.End
				if !end.IsValid() {
					end = e.Pos
				}
				edits[file.Name()] = append(edits[file.Name()], edit{file.Offset(e.Pos), file.Offset(end), string(e.NewText)})
			}
		}
	}
	var errs []error
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range edits {
			if !yield(name) {
				return
			}
		}
	}) {
		if err := checkGolden(name, edits[name]); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func checkGolden(name string, edits []edit) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	golden, err := os.ReadFile(name + ".golden")
	if err != nil {
		return fmt.Errorf("%s has suggested fixes: error reading %s.golden: %v", name, name, err)
	}
	if bytes.HasPrefix(golden, []byte("-- ")) {
		return fmt.Errorf("%s.golden: txtar golden files (one section per fix) are not supported", name)
	}
	fixed, err := apply(src, edits)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	got, err := formatStrict(fixed)
	if err != nil {
		return fmt.Errorf("%s: with all fixes applied: %v\n%s", name, err, fixed)
	}
	want, err := format.Source(golden)
	if err != nil {
		return fmt.Errorf("%s.golden: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s with all fixes applied differs from %s.golden:\n-- fixed --\n%s\n-- want --\n%s", name, name, got, want)
	}
	return nil
}

// apply applies edits, which must not overlap unless identical.
func apply(src []byte, edits []edit) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b edit) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	edits = slices.Compact(edits)
	var out []byte
	last := 0
	for i, e := range edits {
		if e.start < last || e.end < e.start || e.end > len(src) {
			return nil, fmt.Errorf("conflicting fixes: edit %d (offsets %d-%d) overlaps the previous one", i, e.start, e.end)
		}
		out = append(append(out, src[last:e.start]...), e.text...)
		last = e.end
	}
	return append(out, src[last:]...), nil
}

// defaultImportName is the name a package is imported by without one
// given, as goimports guesses it: the last element of its path, or the one
// before a major-version suffix (math/rand/v2 is rand).
func defaultImportName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	return name
}

// usesName reports whether f refers to an import by name: a selector
// name.X anywhere in the file (astutil.UsesImport guesses v2 for
// math/rand/v2).
func usesName(f *ast.File, name string) bool {
	used := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name && id.Obj == nil {
				used = true
			}
		}
		return !used
	})
	return used
}

// formatStrict formats a fixed file, which must not import a package it no
// longer uses.
func formatStrict(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "fixed.go", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("the fixed file does not parse: %v", err)
	}
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		}
		if name == "" {
			name = defaultImportName(path)
		}
		if name != "_" && name != "." && path != "C" && !usesName(f, name) {
			return nil, fmt.Errorf("the fixes leave import %s unused (drivers that apply edits as they are, gopls and golangci-lint, get a file that does not compile)", spec.Path.Value)
		}
	}
	return format.Source(src)
}
