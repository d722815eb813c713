package grpcctx

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
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
	// The files once in the order of their positions, once out of it, as
	// go/packages may list them (the package's files are then sorted for
	// binary search).
	reversed := slices.Clone(files)
	slices.Reverse(reversed)
	for _, order := range [][]*ast.File{files, reversed} {
		checkFindByPos(t, fset, inspector.New(order))
	}
}

// memoKids returns a kidsOf for findByPos: listKids(c, least), once per
// node, as Model.kidsOf.
func memoKids(least int) func(inspector.Cursor) []kid {
	kids := make(map[int32][]kid)
	return func(c inspector.Cursor) []kid {
		k, ok := kids[cursorKey(c)]
		if !ok {
			k = listKids(c, least)
			kids[cursorKey(c)] = k
		}
		return k
	}
}

func checkFindByPos(t *testing.T, fset *token.FileSet, in *inspector.Inspector) {
	for _, least := range []int{1 << 30, 2} {
		kidsOf := memoKids(least)
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

// BenchmarkFindByPos looks up every call of a package of n files, which
// the file set holds in reverse order, as go/packages' concurrent parsing
// may leave them: per lookup, flat in n when the package's files are
// searched by binary search (before they were sorted, a lookup cost the
// files listed before its own).
func BenchmarkFindByPos(b *testing.B) {
	for _, n := range []int{250, 500, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			fset := token.NewFileSet()
			files := make([]*ast.File, n)
			for i := n - 1; i >= 0; i-- {
				src := fmt.Sprintf("package p\n\nfunc f%d(g func(int) int) int {\n\treturn g(%d) + g(g(%d))\n}\n", i, i, i)
				f, err := parser.ParseFile(fset, fmt.Sprintf("f%04d.go", i), src, parser.SkipObjectResolution)
				if err != nil {
					b.Fatal(err)
				}
				files[i] = f
			}
			in := inspector.New(files)
			var calls []ast.Node
			for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
				calls = append(calls, c.Node())
			}
			kidsOf := memoKids(manyKids)
			for b.Loop() {
				for _, call := range calls {
					if _, ok := findByPos(in.Root(), call.Pos(), call.End(), kidsOf); !ok {
						b.Fatal("not found")
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(calls)), "ns/lookup")
		})
	}
}
