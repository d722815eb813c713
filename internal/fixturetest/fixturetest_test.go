package fixturetest

import (
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

func TestParseWant(t *testing.T) {
	delta, expects, err := parseWant(" +2 `a\\(b` \"c\" f:\"fact\"")
	if err != nil || delta != 2 || len(expects) != 3 || expects[0].rx.String() != `a\(b` || expects[2].name != "f" {
		t.Errorf("got %d %v %v", delta, expects, err)
	}
	for _, bad := range []string{" f", " +x", " 3", ` "(" `} {
		if _, _, err := parseWant(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestApply(t *testing.T) {
	src := []byte("0123456789")
	got, err := apply(src, []edit{{5, 6, "x"}, {1, 2, "y"}, {5, 6, "x"}})
	if err != nil || string(got) != "0y234x6789" {
		t.Errorf("got %q, %v; want identical edits once", got, err)
	}
	if _, err := apply(src, []edit{{1, 4, "a"}, {2, 3, "b"}}); err == nil {
		t.Error("overlapping edits applied")
	}
}

func TestFormatStrict(t *testing.T) {
	if _, err := formatStrict([]byte("package p\nimport (\n\"fmt\"\n\"os\"\n)\nvar _ = os.Args\n")); err == nil || !strings.Contains(err.Error(), `import "fmt" unused`) {
		t.Errorf("a fix leaving fmt unused: got %v, want an error naming it", err)
	}
	got, err := formatStrict([]byte("package p\nimport \"os\"\nvar _ =   os.Args\n"))
	if err != nil || !strings.Contains(string(got), "var _ = os.Args") {
		t.Errorf("got %s, %v; want the file formatted", got, err)
	}
}

// TestCheckHasTeeth runs analyzers that report nothing, or every call, on a
// fixture with expectations: the checker must complain of unmet wants and
// of unexpected findings.
func TestCheckHasTeeth(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the fixture module")
	}
	silent := &analysis.Analyzer{Name: "silent", Doc: "silent: report nothing", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	loud := &analysis.Analyzer{
		Name: "loud", Doc: "loud: report every call", Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
				pass.Reportf(n.Pos(), "call")
			})
			return nil, nil
		},
	}
	kinds := func(a *analysis.Analyzer) map[ProblemKind]int {
		out := make(map[ProblemKind]int)
		for _, act := range Analyze(t, []*analysis.Analyzer{a}, "./ctxloop") {
			for _, p := range Check(act) {
				out[p.Kind]++
			}
		}
		return out
	}
	if k := kinds(silent); k[Unmet] == 0 || k[Unexpected]+k[Mismatch] != 0 {
		t.Errorf("silent analyzer: %v, want only unmet expectations", k)
	}
	if k := kinds(loud); k[Unexpected] == 0 || k[Mismatch] == 0 {
		t.Errorf("loud analyzer: %v, want unexpected and mismatched findings", k)
	}
}
