package sarif

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestUTF16Columns checks that columns count UTF-16 code units, as SARIF
// does by default, where Go positions count bytes: "é" is 2 bytes and 1
// unit, "𝄞" 4 bytes and 2 units.
func TestUTF16Columns(t *testing.T) {
	const src = "package x\n\nvar s = \"é𝄞\" + y // y\n"
	y := strings.LastIndex(src, "y //")
	// What the checker's -json prints: byte columns, byte offsets.
	out := fmt.Sprintf(`{"x": {"r": [{"posn": "/src/x.go:3:%d", "end": "/src/x.go:3:%d", "message": "m",
		"suggested_fixes": [{"message": "Insert z", "edits": [{"filename": "/src/x.go", "start": %d, "end": %d, "new": "z"}]}]}]}}`,
		y-strings.LastIndex(src[:y], "\n"), y-strings.LastIndex(src[:y], "\n")+1, y, y)

	b := NewBuilder([]*analysis.Analyzer{{Name: "r", Doc: "r: test"}}, Options{
		BaseDir:  "/src",
		ReadFile: func(string) ([]byte, error) { return []byte(src), nil },
	})
	if _, err := b.AddJSON([]byte(out)); err != nil {
		t.Fatal(err)
	}
	log := b.Log()
	r := log.Runs[0].Results[0]
	// "var s = " is 8 units, the literal "é𝄞" with its quotes 5, " + " 3:
	// y is the 17th unit, so column 17 (byte column 21).
	if got := *r.Locations[0].PhysicalLocation.Region; got != (Region{StartLine: 3, StartColumn: 17, EndLine: 3, EndColumn: 18}) {
		t.Errorf("region %+v, want line 3 columns 17-18", got)
	}
	if got := r.Fixes[0].ArtifactChanges[0].Replacements[0].DeletedRegion; got != (Region{StartLine: 3, StartColumn: 17, EndLine: 3, EndColumn: 17}) {
		t.Errorf("insertion region %+v, want the empty region at line 3 column 17", got)
	}
	if a := r.Locations[0].PhysicalLocation.ArtifactLocation; a != (ArtifactLocation{URI: "x.go", URIBaseID: SrcRoot}) {
		t.Errorf("artifact %+v, want x.go under %s", a, SrcRoot)
	}
}

// TestArtifactOutsideBase checks that a file outside the base directory,
// such as a dependency in the module cache, gets an absolute file: URI.
func TestArtifactOutsideBase(t *testing.T) {
	b := NewBuilder(nil, Options{BaseDir: "/work/repo"})
	for name, want := range map[string]ArtifactLocation{
		"/work/repo/a/b.go":          {URI: "a/b.go", URIBaseID: SrcRoot},
		"/work/repo/a b/c.go":        {URI: "a%20b/c.go", URIBaseID: SrcRoot},
		"/work/repository/x.go":      {URI: "file:///work/repository/x.go"},
		"/root/go/pkg/mod/m@v1/y.go": {URI: "file:///root/go/pkg/mod/m@v1/y.go"},
	} {
		if got := b.artifact(name); got != want {
			t.Errorf("artifact(%q) = %+v, want %+v", name, got, want)
		}
	}
}
