package lint

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// IgnoreDirective is the comment that suppresses findings for the
// standalone command, go vet and every other driver (golangci-lint users may
// also write //nolint:grpccancelcheck):
//
//	//grpccancelcheck:ignore ctxdetach -- the audit write must outlive the RPC
//	//grpccancelcheck:ignore ctxloop,ctxdetach -- bounded by the batch size
//
// It names the analyzers it silences (comma-separated, no spaces) and,
// after " -- ", why the code is fine; " //" ends it, so that another
// comment may follow on the line. It covers the line it ends, or, alone
// on its line (in the comment just above the code), the first line after
// that comment; in both cases also the rest of any statement or
// declaration that starts on that line. A directive with no reason, or
// that names no analyzer, suppresses nothing and is itself reported.
const IgnoreDirective = "//grpccancelcheck:ignore"

// A directive is one parsed //grpccancelcheck:ignore comment.
type directive struct {
	comment  *ast.Comment
	names    []string // analyzers it is for
	reason   string
	from, to int // lines it covers
}

// Directives are the //grpccancelcheck:ignore directives of one package,
// kept between reports: those of each file, parsed on first use, and the
// malformed directives already reported, per analyzer. Analyzers that run
// concurrently on the package may share them.
type Directives struct {
	fset     *token.FileSet
	mu       sync.Mutex
	files    map[*token.File][]*directive
	reported map[reportedKey]bool
}

// NewDirectives returns the directives of the package whose files fset
// holds, none parsed yet.
func NewDirectives(fset *token.FileSet) *Directives {
	return &Directives{
		fset:     fset,
		files:    make(map[*token.File][]*directive),
		reported: make(map[reportedKey]bool),
	}
}

type reportedKey struct {
	analyzer string
	pos      token.Pos
}

// Suppressed reports whether a //grpccancelcheck:ignore directive with a
// reason covers d for pass's analyzer. Directives that would cover d but
// are malformed are reported, once per analyzer, and do not suppress.
// Nil Directives suppress nothing.
func (st *Directives) Suppressed(pass *analysis.Pass, d analysis.Diagnostic) bool {
	if st == nil {
		return false
	}
	tf := st.fset.File(d.Pos)
	if tf == nil {
		return false
	}
	line := tf.Line(d.Pos)
	st.mu.Lock()
	defer st.mu.Unlock()
	dirs, ok := st.files[tf]
	if !ok {
		dirs = st.parse(pass, tf)
		st.files[tf] = dirs
	}
	name := pass.Analyzer.Name
	var bad []*directive
	for _, dir := range dirs {
		if line < dir.from || line > dir.to {
			continue
		}
		switch {
		case len(dir.names) == 0:
			bad = append(bad, dir)
		case !slices.Contains(dir.names, name):
			// another analyzer's
		case dir.reason == "":
			bad = append(bad, dir)
		default:
			return true
		}
	}
	for _, dir := range bad {
		k := reportedKey{name, dir.comment.Pos()}
		if st.reported[k] {
			continue
		}
		st.reported[k] = true
		pass.Report(malformed(dir, name))
	}
	return false
}

// malformed is the diagnostic of a directive that cannot suppress.
func malformed(dir *directive, analyzer string) analysis.Diagnostic {
	var msg string
	if len(dir.names) == 0 {
		msg = fmt.Sprintf("%s directive names no analyzer, so it suppresses nothing; name the analyzers and give a reason, e.g. %s %s -- why this is fine",
			IgnoreDirective[2:], IgnoreDirective, analyzer)
	} else {
		msg = fmt.Sprintf("%s directive for %s gives no reason, so it suppresses nothing; say why the code is fine after \" -- \", e.g. %s %s -- why this is fine",
			IgnoreDirective[2:], strings.Join(dir.names, ","), IgnoreDirective, strings.Join(dir.names, ","))
	}
	return analysis.Diagnostic{
		Pos:      dir.comment.Pos(),
		End:      dir.comment.End(),
		Category: CategoryIgnoreDirective,
		Message:  msg,
	}
}

// parse returns the directives of the file tf and the lines each covers.
func (st *Directives) parse(pass *analysis.Pass, tf *token.File) []*directive {
	defer Aside()() // the file's, not the reporting function's work
	var file *ast.File
	for _, f := range pass.Files {
		if st.fset.File(f.FileStart) == tf {
			file = f
			break
		}
	}
	if file == nil {
		return nil
	}
	var content []byte // read only when the file has a directive
	var dirs []*directive
	for _, cg := range file.Comments {
		for _, c := range cg.List {
			dir, ok := parseDirective(c)
			if !ok {
				continue
			}
			if content == nil && pass.ReadFile != nil { // nil under nogo
				content, _ = pass.ReadFile(tf.Name())
			}
			target := tf.Line(c.Pos())
			if !codeBefore(tf, content, file, c) {
				target = tf.Line(cg.End()) + 1
			}
			dir.from, dir.to = target, lastLineOfNodesAt(tf, file, target)
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// parseDirective parses "//grpccancelcheck:ignore NAMES -- REASON".
func parseDirective(c *ast.Comment) (*directive, bool) {
	rest, ok := strings.CutPrefix(c.Text, IgnoreDirective)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false
	}
	dir := &directive{comment: c}
	if i := strings.Index(rest, " //"); i >= 0 {
		rest = rest[:i] // another comment follows on the line
	}
	rest = strings.TrimSpace(rest)
	if rest != "" && !strings.HasPrefix(rest, "--") {
		list, after, _ := strings.Cut(rest, " ")
		for n := range strings.SplitSeq(list, ",") {
			if n != "" {
				dir.names = append(dir.names, n)
			}
		}
		rest = strings.TrimSpace(after)
	}
	if reason, ok := strings.CutPrefix(rest, "--"); ok {
		dir.reason = strings.TrimSpace(reason)
	}
	return dir, true
}

// codeBefore reports whether code precedes comment c on its line.
func codeBefore(tf *token.File, content []byte, file *ast.File, c *ast.Comment) bool {
	start := tf.LineStart(tf.Line(c.Pos()))
	if off, end := tf.Offset(start), tf.Offset(c.Pos()); len(content) == tf.Size() && end <= len(content) {
		return strings.TrimSpace(string(content[off:end])) != ""
	}
	// Without the file's text, look for a syntax node that starts or ends
	// on the line before c.
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.CommentGroup, *ast.Comment:
			return false
		}
		if start <= n.Pos() && n.Pos() < c.Pos() || start < n.End() && n.End() <= c.Pos() {
			found = true
		}
		return !found
	})
	return found
}

// lastLineOfNodesAt returns the last line of the statements, declarations
// and other nodes that start on line, or line itself.
func lastLineOfNodesAt(tf *token.File, file *ast.File, line int) int {
	last := line
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		switch n.(type) {
		case *ast.File, *ast.CommentGroup, *ast.Comment:
			return true
		}
		if !n.Pos().IsValid() || !n.End().IsValid() {
			return true
		}
		from, to := tf.Line(n.Pos()), tf.Line(n.End())
		if to < line {
			return false // ends before: skip its subtree
		}
		if from == line {
			last = max(last, to)
			return false // its children end no later
		}
		return from < line // descend only into nodes that span the line
	})
	return last
}
