package grpcctx

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Report is the one way analyzers report: it drops diagnostics inside
// generated files, which are analyzed (facts flow through them) but never
// reported on, and diagnostics that a //grpccancelcheck:ignore directive
// with a reason covers (see IgnoreDirective); a directive without one is
// reported instead.
func (m *Model) Report(pass *analysis.Pass, d analysis.Diagnostic) {
	if m.IsGenerated(d.Pos) || m.ignore.Suppressed(pass, d) {
		return
	}
	pass.Report(d)
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

// ComparePos orders positions by file name, then offset: the order in which
// findings are reported. token.Pos alone does not do across files, because
// go/packages parses a package's files concurrently and a file's base in
// the FileSet depends on which parse finished first: output sorted by Pos
// would differ from run to run.
func ComparePos(fset *token.FileSet, a, b token.Pos) int {
	fa, fb := fset.File(a), fset.File(b)
	if fa != fb && fa != nil && fb != nil {
		if c := strings.Compare(fa.Name(), fb.Name()); c != 0 {
			return c
		}
	}
	if a < b {
		return -1
	} else if a > b {
		return 1
	}
	return 0
}
