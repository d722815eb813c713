package lint

import (
	"go/token"
	"testing"
)

// TestLocationPos checks that a Location maps to its own file, line and
// column whatever the FileSet knows of its file: all of it (the standalone
// driver), a few one-byte lines of it (go vet's importer), or nothing.
func TestLocationPos(t *testing.T) {
	const name = "/src/rpcs/rpcs.go"
	whole := func(fset *token.FileSet) {
		f := fset.AddFile(name, -1, 1000)
		var lines []int
		for off := 0; off < 1000; off += 40 { // 40-byte lines
			lines = append(lines, off)
		}
		f.SetLines(lines)
	}
	imported := func(fset *token.FileSet) {
		f := fset.AddFile(name, -1, 10)
		f.SetLines([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) // ten one-byte lines
	}
	for _, tc := range []struct {
		desc  string
		setup func(*token.FileSet)
		loc   Location
	}{
		{"whole file", whole, Location{File: name, Line: 12, Col: 7}},
		{"importer file, line known, column not", imported, Location{File: name, Line: 5, Col: 3}},
		{"importer file, line known, column 1", imported, Location{File: name, Line: 5, Col: 1}},
		{"importer file, line beyond", imported, Location{File: name, Line: 104, Col: 12}},
		{"file unknown", func(*token.FileSet) {}, Location{File: name, Line: 19, Col: 2}},
	} {
		fset := token.NewFileSet()
		fset.AddFile("/src/other.go", -1, 100) // another file first
		tc.setup(fset)
		pos := tc.loc.Pos(fset, token.NoPos)
		got := fset.Position(pos)
		if got.Filename != tc.loc.File || got.Line != tc.loc.Line || got.Column != tc.loc.Col {
			t.Errorf("%s: %+v maps to %s", tc.desc, tc.loc, got)
		}
		// A second lookup reuses the file it found or added.
		if again := tc.loc.Pos(fset, token.NoPos); again != pos {
			t.Errorf("%s: second lookup gives %s, first %s", tc.desc, fset.Position(again), got)
		}
	}
	fset := token.NewFileSet()
	fallback := fset.AddFile("/src/x.go", -1, 10).Pos(3)
	if got := (Location{}).Pos(fset, fallback); got != fallback {
		t.Errorf("the zero Location maps to %s, want the fallback", fset.Position(got))
	}
}
