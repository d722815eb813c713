package fuzzgen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// Apply returns prog with edits applied. Every edit must fall inside one
// file of prog and no two may overlap: a fix that breaks either rule
// would not apply cleanly in any driver. Like the x/tools drivers
// (checker -fix, analysistest), it then removes from each edited file the
// imports no longer referenced; name gives the name of the package an
// import path denotes.
func Apply(fset *token.FileSet, prog []Package, edits []analysis.TextEdit, name func(path string) string) ([]Package, error) {
	type edit struct {
		start, end int
		text       []byte
	}
	perFile := make(map[string][]edit)
	for _, e := range edits {
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		p, q := fset.Position(e.Pos), fset.Position(end)
		if !p.IsValid() || p.Filename != q.Filename || q.Offset < p.Offset {
			return nil, fmt.Errorf("edit %v-%v is not a range in one file", p, q)
		}
		perFile[p.Filename] = append(perFile[p.Filename], edit{p.Offset, q.Offset, e.NewText})
	}
	out := slices.Clone(prog)
	applied := 0
	for i, pkg := range out {
		files := slices.Clone(pkg.Files)
		for j, f := range files {
			var es []edit
			for name, list := range perFile {
				if strings.HasSuffix(name, "/"+strings.TrimPrefix(pkg.Path, Module+"/")+"/"+f.Name) {
					es = list
				}
			}
			if es == nil {
				continue
			}
			applied += len(es)
			slices.SortStableFunc(es, func(a, b edit) int { return a.start - b.start })
			var b []byte
			last := 0
			for _, e := range es {
				if e.start < last {
					return nil, fmt.Errorf("%s: edits overlap at offset %d", f.Name, e.start)
				}
				if e.end > len(f.Src) {
					return nil, fmt.Errorf("%s: edit ends at %d, past the file's end", f.Name, e.end)
				}
				b = append(b, f.Src[last:e.start]...)
				b = append(b, e.text...)
				last = e.end
			}
			b = append(b, f.Src[last:]...)
			files[j] = File{Name: f.Name, Src: removeUnusedImports(b, name)}
		}
		out[i] = Package{Path: pkg.Path, Files: files}
	}
	if applied != len(edits) {
		return nil, fmt.Errorf("%d of %d edits fall outside the program's files", len(edits)-applied, len(edits))
	}
	return out, nil
}

// removeUnusedImports deletes the imports of src whose name no selector
// in the file uses, as the drivers' formatting of fixed files does; src is
// returned unchanged when it does not parse.
func removeUnusedImports(src []byte, name func(path string) string) []byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "fixed.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return src
	}
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	changed := false
	for _, imp := range slices.Clone(f.Imports) {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		local := name(path)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == "" || local == "_" || local == "." || used[local] {
			continue
		}
		if imp.Name != nil {
			changed = astutil.DeleteNamedImport(fset, f, imp.Name.Name, path) || changed
		} else {
			changed = astutil.DeleteImport(fset, f, path) || changed
		}
	}
	if !changed {
		return src
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return src
	}
	return buf.Bytes()
}
