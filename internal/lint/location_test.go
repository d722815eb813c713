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

// TestLocationPosIndex checks that Pos sees the files added to a FileSet
// after its last lookup there, and keeps FileSets apart.
func TestLocationPosIndex(t *testing.T) {
	const name = "/src/late.go"
	fset, other := token.NewFileSet(), token.NewFileSet()
	other.AddFile(name, -1, 5000).SetLines([]int{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2100})
	early := Location{File: name, Line: 3, Col: 1}
	if got := fset.Position(early.Pos(fset, token.NoPos)); got.Filename != name || got.Line != 3 {
		t.Fatalf("%+v maps to %s", early, got) // a placeholder of three lines
	}
	// The whole file arrives later: a line beyond the placeholder's is found in it.
	f := fset.AddFile(name, -1, 5000)
	f.SetLines([]int{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2100})
	late := Location{File: name, Line: 20, Col: 50}
	pos := late.Pos(fset, token.NoPos)
	if fset.File(pos) != f || fset.Position(pos).Line != 20 || fset.Position(pos).Column != 50 {
		t.Errorf("%+v maps to %s in %p, want the file added late (%p)", late, fset.Position(pos), fset.File(pos), f)
	}
	// Another FileSet's file of the same name is not this one's.
	if p := late.Pos(other, token.NoPos); other.File(p) == nil || other.Position(p).Line != 20 {
		t.Errorf("in the other FileSet %+v maps to %s", late, other.Position(p))
	}
	if p := late.Pos(fset, token.NoPos); p != pos {
		t.Errorf("back in the first FileSet %+v maps to %s, first %s", late, fset.Position(p), fset.Position(pos))
	}
}
