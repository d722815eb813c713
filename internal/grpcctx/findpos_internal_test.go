package grpcctx

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/ast/inspector"
)

// TestFindByPos checks findByPos against inspector's FindByPos for the span
// of every node, and the empty span at its start, of the repository's Go
// files (the fixtures' generated code included), with children searched
// one by one (as in a node with a few) and by binary search (as in one
// with many). With -short, of the first 100 files instead of 400 (a second
// of CPU instead of three).
func TestFindByPos(t *testing.T) {
	limit := 400
	if testing.Short() {
		limit = 100
	}
	fset := token.NewFileSet()
	var files []*ast.File
	_ = filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || len(files) >= limit {
			return nil
		}
		if f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution); err == nil {
			files = append(files, f)
		}
		return nil
	})
	if len(files) < 50 {
		t.Fatalf("only %d files parsed", len(files))
	}
	in := inspector.New(files)
	for _, least := range []int{1 << 30, 2} {
		kids := make(map[int32][]kid)
		kidsOf := func(c inspector.Cursor) []kid {
			k, ok := kids[cursorKey(c)]
			if !ok {
				k = listKids(c, least)
				kids[cursorKey(c)] = k
			}
			return k
		}
		checked := 0
		for c := range in.Root().Preorder() {
			n := c.Node()
			for _, r := range [][2]token.Pos{{n.Pos(), n.End()}, {n.Pos(), n.Pos()}} {
				want, wok := in.Root().FindByPos(r[0], r[1])
				got, gok := findByPos(in.Root(), r[0], r[1], kidsOf)
				if wok != gok || want != got {
					t.Fatalf("least %d: %T at %s, span %v: FindByPos gives %v (%v), findByPos %v (%v)",
						least, n, fset.Position(n.Pos()), r, want, wok, got, gok)
				}
				checked++
			}
		}
		t.Logf("least %d: %d spans agree", least, checked)
	}
}
