package fuzzgen

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Apply returns prog with edits applied. Every edit must fall inside one
// file of prog and no two may overlap: a fix that breaks either rule
// would not apply cleanly in any driver. The edits are applied as they
// are, as gopls and golangci-lint apply them: nothing removes an import a
// fix leaves unused (the x/tools checker's -fix does), so such a fix
// fails to type-check.
func Apply(fset *token.FileSet, prog []Package, edits []analysis.TextEdit) ([]Package, error) {
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
			files[j] = File{Name: f.Name, Src: b}
		}
		out[i] = Package{Path: pkg.Path, Files: files}
	}
	if applied != len(edits) {
		return nil, fmt.Errorf("%d of %d edits fall outside the program's files", len(edits)-applied, len(edits))
	}
	return out, nil
}
