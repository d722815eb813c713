package grpcctx

import (
	"go/token"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Report is the one way analyzers report: it drops diagnostics inside
// generated files, which are analyzed (facts flow through them) but never
// reported on, and diagnostics that a //grpccancelcheck:ignore directive
// with a reason covers (see IgnoreDirective); a directive without one is
// reported instead.
func (m *Model) Report(pass *analysis.Pass, d analysis.Diagnostic) {
	if m.IsGenerated(d.Pos) || m.suppressed(pass, d) {
		return
	}
	pass.Report(d)
}

// A Location is a position that travels inside a fact: facts cross process
// boundaries under go vet, where a token.Pos of another package means
// nothing, so positions are kept as file, line and column.
type Location struct {
	File      string
	Line, Col int
}

// LocationOf returns the Location of pos.
func LocationOf(fset *token.FileSet, pos token.Pos) Location {
	p := fset.Position(pos)
	return Location{File: p.Filename, Line: p.Line, Col: p.Column}
}

// String renders the location as base name and line, the form messages use
// so that they do not depend on where the module sits on disk.
func (l Location) String() string {
	return filepath.Base(l.File) + ":" + strconv.Itoa(l.Line)
}

// Pos maps l back into fset when fset has l's file with enough lines (the
// standalone driver shares one FileSet across packages; go vet's has only
// the object positions of imported packages), else returns fallback.
func (l Location) Pos(fset *token.FileSet, fallback token.Pos) token.Pos {
	pos := token.NoPos
	fset.Iterate(func(f *token.File) bool {
		if f.Name() != l.File {
			return true
		}
		if l.Line >= 1 && l.Line <= f.LineCount() {
			pos = f.LineStart(l.Line)
			// Importers may register a file with one-byte lines; keep the
			// column only when it stays on its line.
			end := f.Size()
			if l.Line < f.LineCount() {
				end = f.Offset(f.LineStart(l.Line + 1))
			}
			if off := f.Offset(pos) + l.Col - 1; l.Col > 1 && off < end {
				pos = f.Pos(off)
			}
		}
		return false
	})
	if pos == token.NoPos {
		return fallback
	}
	return pos
}

// FuncName renders a function or method for messages: "pkg.Func",
// "pkg.Type.Method", or the bare name inside its own package.
func FuncName(fn interface {
	Name() string
	FullName() string
}) string {
	full := fn.FullName()
	if i := strings.LastIndex(full, "/"); i >= 0 {
		full = full[i+1:]
	}
	return strings.NewReplacer("(", "", ")", "", "*", "").Replace(full)
}
