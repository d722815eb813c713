package lint

import (
	"go/token"
	"path/filepath"
	"strconv"
	"sync"
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
	for _, f := range filesNamed(fset, l.File) {
		if l.Line > f.LineCount() || fset.File(token.Pos(f.Base())) != f { // a file removed since the index was made
			continue
		}
		// The column must stay on its line.
		end := f.Size()
		if l.Line < f.LineCount() {
			end = f.Offset(f.LineStart(l.Line + 1))
		}
		if off := f.Offset(f.LineStart(l.Line)) + col - 1; off < end {
			return f.Pos(off)
		}
	}
	f := fset.AddFile(l.File, -1, l.Line+col)
	lines := make([]int, l.Line)
	for i := range lines {
		lines[i] = i
	}
	f.SetLines(lines)
	return f.Pos(l.Line - 1 + col - 1)
}

// fileNames indexes the files of the FileSet Pos was last given by name,
// so that a finding's related position does not cost a walk of every
// file of the build (the standalone driver's FileSet holds every file of
// every package it loaded: tens of thousands in a large build list). The
// index is rebuilt when files have been added since (the FileSet's base
// has moved: a placeholder of Pos's, a package loaded later); one FileSet
// at a time is kept, since a driver uses one.
var fileNames struct {
	mu     sync.Mutex
	fset   *token.FileSet
	base   int
	byName map[string][]*token.File // in the FileSet's order
}

// filesNamed returns fset's files of that name, in fset's order.
func filesNamed(fset *token.FileSet, name string) []*token.File {
	fileNames.mu.Lock()
	defer fileNames.mu.Unlock()
	if fileNames.fset != fset || fileNames.base != fset.Base() {
		defer Aside()() // the build's index, not the reporting function's work
		byName := make(map[string][]*token.File)
		fset.Iterate(func(f *token.File) bool {
			byName[f.Name()] = append(byName[f.Name()], f)
			return true
		})
		fileNames.fset, fileNames.base, fileNames.byName = fset, fset.Base(), byName
	}
	return fileNames.byName[name]
}
