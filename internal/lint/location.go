package lint

import (
	"go/token"
	"path/filepath"
	"strconv"
)

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

// Pos maps l into fset, so that every driver prints the same file, line
// and column for it. It uses l's file when fset has it with l's line and
// column (the standalone driver shares one FileSet across packages, with
// every file whole). Otherwise (go vet's FileSet knows an imported
// package's files only through the objects the importer registered, with
// one-byte lines up to the last of them, or not at all) it adds to fset a
// placeholder file of the same name whose lines are one byte long up to
// l's, where l's line and column exist. It returns fallback when l is no
// position.
func (l Location) Pos(fset *token.FileSet, fallback token.Pos) token.Pos {
	if l.File == "" || l.Line < 1 {
		return fallback
	}
	col := max(l.Col, 1)
	pos := token.NoPos
	fset.Iterate(func(f *token.File) bool {
		if f.Name() != l.File || l.Line > f.LineCount() {
			return true
		}
		// The column must stay on its line.
		end := f.Size()
		if l.Line < f.LineCount() {
			end = f.Offset(f.LineStart(l.Line + 1))
		}
		if off := f.Offset(f.LineStart(l.Line)) + col - 1; off < end {
			pos = f.Pos(off)
			return false
		}
		return true
	})
	if pos != token.NoPos {
		return pos
	}
	f := fset.AddFile(l.File, -1, l.Line+col)
	lines := make([]int, l.Line)
	for i := range lines {
		lines[i] = i
	}
	f.SetLines(lines)
	return f.Pos(l.Line - 1 + col - 1)
}
