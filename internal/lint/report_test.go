package lint

import (
	"go/token"
	"testing"
)

// TestComparePos checks that findings are ordered by file name, then
// offset, whatever order the files were added to the FileSet in (go/packages
// parses concurrently, so that order varies from run to run).
func TestComparePos(t *testing.T) {
	fset := token.NewFileSet()
	b := fset.AddFile("/p/b.go", -1, 100) // parsed first: the lower base
	a := fset.AddFile("/p/a.go", -1, 100)
	for _, tc := range []struct {
		x, y token.Pos
		want int
	}{
		{a.Pos(50), b.Pos(10), -1},
		{b.Pos(10), a.Pos(50), 1},
		{a.Pos(10), a.Pos(50), -1},
		{b.Pos(50), b.Pos(10), 1},
		{a.Pos(7), a.Pos(7), 0},
	} {
		if got := ComparePos(fset, tc.x, tc.y); got != tc.want {
			t.Errorf("ComparePos(%s, %s) = %d, want %d", fset.Position(tc.x), fset.Position(tc.y), got, tc.want)
		}
	}
}
