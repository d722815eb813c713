package ctxloop

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

const statusPath = "google.golang.org/grpc/status"

// insertCheck offers to insert, at the top of the loop body,
//
//	if err := ctx.Err(); err != nil {
//		return nil, status.FromContextError(err).Err()
//	}
//
// when the loop sits directly in the handler or interceptor, the function's
// results are an error last and nil-able or basic values before it, and
// the status package is imported or can be without a name clash.
func (c *checker) insertCheck(pass *analysis.Pass, m *grpcctx.Model, h *grpcctx.Handler, l loopFinding, ctx string) []analysis.SuggestedFix {
	// Only where a check at the top of the body helps: not while the loop
	// sits blocked in a channel receive (that needs a select).
	if l.fn != h.Func || len(l.scan.chans) > 0 {
		return nil
	}
	if _, ok := l.loop.(*ast.RangeStmt); ok {
		return nil
	}
	sig := grpcctx.Signature(pass.TypesInfo, h.Func)
	if sig == nil {
		return nil
	}
	zeros, ok := zeroResults(sig)
	if !ok {
		return nil
	}
	body := loopBody(l.loop)
	file := lint.FileOf(pass, body.Pos())
	if file == nil || !bodyOnOwnLines(pass, body) || c.holdsLock(pass, h.Func, l.loop) {
		return nil
	}
	status, importEdit, ok := statusName(pass, file, body.Lbrace)
	if !ok {
		return nil
	}
	indent, eol, ok := lineOf(pass, body.Lbrace)
	if !ok {
		return nil
	}
	// Inserted at the end of the brace's line, after any comment there.
	ret := strings.Join(append(zeros, status+".FromContextError(err).Err()"), ", ")
	text := fmt.Sprintf("\n%[1]s\tif err := %[2]s.Err(); err != nil {\n%[1]s\t\treturn %[3]s\n%[1]s\t}", indent, ctx, ret)
	return insertion(fmt.Sprintf("Return when %s is done", ctx), eol, text, importEdit)
}

// insertion is the fix that inserts text at pos, with the import edit that
// makes the status package available, if any.
func insertion(msg string, pos token.Pos, text string, importEdit *analysis.TextEdit) []analysis.SuggestedFix {
	edits := []analysis.TextEdit{{Pos: pos, End: pos, NewText: []byte(text)}}
	if importEdit != nil {
		edits = append([]analysis.TextEdit{*importEdit}, edits...)
	}
	return []analysis.SuggestedFix{{Message: msg, TextEdits: edits}}
}

// zeroResults returns the zero values of all results but the last, which
// must be an error.
func zeroResults(sig *types.Signature) ([]string, bool) {
	res := sig.Results()
	if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return nil, false
	}
	var zeros []string
	for i := 0; i < res.Len()-1; i++ {
		switch u := res.At(i).Type().Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Slice, *types.Map, *types.Chan, *types.Signature:
			zeros = append(zeros, "nil")
		case *types.Basic:
			switch {
			case u.Info()&types.IsBoolean != 0:
				zeros = append(zeros, "false")
			case u.Info()&types.IsString != 0:
				zeros = append(zeros, `""`)
			case u.Info()&types.IsNumeric != 0:
				zeros = append(zeros, "0")
			default:
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return zeros, true
}

func loopBody(loop ast.Stmt) *ast.BlockStmt {
	if f, ok := loop.(*ast.ForStmt); ok {
		return f.Body
	}
	return loop.(*ast.RangeStmt).Body
}

// statusName returns the name under which file can refer to grpc's status
// package at pos, and the edit that imports it when file does not yet.
func statusName(pass *analysis.Pass, file *ast.File, pos token.Pos) (string, *analysis.TextEdit, bool) {
	for _, spec := range file.Imports {
		if path, _ := strconv.Unquote(spec.Path.Value); path == statusPath {
			pkgName, ok := pass.TypesInfo.Defs[spec.Name].(*types.PkgName)
			if spec.Name == nil {
				pkgName, ok = pass.TypesInfo.Implicits[spec].(*types.PkgName)
			}
			if !ok || pkgName.Name() == "_" || pkgName.Name() == "." {
				return "", nil, false
			}
			if _, obj := pass.Pkg.Scope().Innermost(pos).LookupParent(pkgName.Name(), pos); obj != pkgName {
				return "", nil, false // shadowed
			}
			return pkgName.Name(), nil, true
		}
	}
	// Not imported: add it, unless "status" already means something here.
	if scope := pass.Pkg.Scope().Innermost(pos); scope == nil {
		return "", nil, false
	} else if _, obj := scope.LookupParent("status", pos); obj != nil {
		return "", nil, false
	}
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if gd.Lparen.IsValid() {
			// Beside grpc's own imports when there are some, else last.
			at, text := gd.Rparen, "\t\""+statusPath+"\"\n"
			for _, spec := range gd.Specs {
				if path, _ := strconv.Unquote(spec.(*ast.ImportSpec).Path.Value); strings.HasPrefix(path, "google.golang.org/grpc") && path < statusPath {
					at, text = spec.End(), "\n\t\""+statusPath+"\""
				}
			}
			return "status", &analysis.TextEdit{Pos: at, End: at, NewText: []byte(text)}, true
		}
		return "status", &analysis.TextEdit{Pos: gd.End(), End: gd.End(),
			NewText: []byte("\nimport \"" + statusPath + "\"")}, true
	}
	return "", nil, false
}

// lineOf returns the white space that starts pos's line and the position of
// the line's end.
func lineOf(pass *analysis.Pass, pos token.Pos) (indent string, eol token.Pos, ok bool) {
	tf := pass.Fset.File(pos)
	if pass.ReadFile == nil { // some drivers (nogo) give no file access
		return "", token.NoPos, false
	}
	content, err := pass.ReadFile(tf.Name())
	if err != nil || tf.Size() != len(content) {
		return "", token.NoPos, false
	}
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	end := start
	for end < len(content) && (content[end] == ' ' || content[end] == '\t') {
		end++
	}
	nl := tf.Offset(pos)
	for nl < len(content) && content[nl] != '\n' {
		nl++
	}
	if nl == len(content) {
		return "", token.NoPos, false
	}
	return string(content[start:end]), tf.Pos(nl), true
}

// bodyOnOwnLines reports whether the body's statements start below its
// opening brace, where the check is inserted: for { x = f(x) } on one line
// would get it after the loop.
func bodyOnOwnLines(pass *analysis.Pass, body *ast.BlockStmt) bool {
	tf := pass.Fset.File(body.Lbrace)
	line := tf.Line(body.Lbrace)
	if tf.Line(body.Rbrace) == line {
		return false
	}
	return len(body.List) == 0 || tf.Line(body.List[0].Pos()) > line
}

// holdsLock reports whether returning from inside loop could leave a lock
// held or abandon a condition wait: the loop waits on a sync.Cond (which a
// context check cannot wake anyway), or fn locks a sync.Mutex or RWMutex
// before the loop without a deferred unlock. What fn locks and waits on is
// gathered once per function (lockSummary), not once per loop.
func (c *checker) holdsLock(pass *analysis.Pass, fn ast.Node, loop ast.Stmt) bool {
	ls := c.locks[fn]
	if ls == nil {
		ls = summarizeLocks(pass, fn)
		if c.locks == nil {
			c.locks = make(map[ast.Node]*lockSummary)
		}
		c.locks[fn] = ls
	}
	for _, w := range ls.waits {
		if w.Pos() >= loop.Pos() && w.End() <= loop.End() {
			return true
		}
	}
	return ls.firstLock.IsValid() && ls.firstLock < loop.Pos() && !ls.deferred
}

// A lockSummary is what a function, outside its function literals, does
// with locks: where it first locks a sync.Mutex or RWMutex, whether it
// defers an unlock, and its sync.Cond waits.
type lockSummary struct {
	firstLock token.Pos
	deferred  bool
	waits     []*ast.CallExpr
}

func summarizeLocks(pass *analysis.Pass, fn ast.Node) *lockSummary {
	ls := new(lockSummary)
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if syncMethod(pass, n.Call, "(*sync.Mutex).Unlock", "(*sync.RWMutex).Unlock", "(*sync.RWMutex).RUnlock") {
				ls.deferred = true
			}
		case *ast.CallExpr:
			if syncMethod(pass, n, "(*sync.Cond).Wait") {
				ls.waits = append(ls.waits, n)
			}
			if !ls.firstLock.IsValid() && syncMethod(pass, n, "(*sync.Mutex).Lock", "(*sync.RWMutex).Lock", "(*sync.RWMutex).RLock") {
				ls.firstLock = n.Pos()
			}
		}
		return true
	})
	return ls
}

// syncMethod reports whether call calls one of the sync methods named by
// their full names.
func syncMethod(pass *analysis.Pass, call *ast.CallExpr, fullNames ...string) bool {
	fn := lint.Callee(pass.TypesInfo, call)
	return fn != nil && slices.Contains(fullNames, fn.FullName())
}

// insertDoneCase offers to add, as the last case of a select that lacks
// one,
//
//	case <-ctx.Done():
//		return nil, status.FromContextError(ctx.Err()).Err()
//
// returning what the function around the select allows: in a handler or
// interceptor, zero values and the context's error as a gRPC status; in a
// function without results (a goroutine), nothing; in one whose results end
// in an error and are nil-able before it, zero values and ctx.Err(). Not
// when the select's closing brace shares its line with code, or returning
// could leave a lock held.
func (c *checker) insertDoneCase(pass *analysis.Pass, m *grpcctx.Model, l loopFinding, sel *ast.SelectStmt, ctx string) []analysis.SuggestedFix {
	cur, ok := m.Cursor(sel)
	if !ok {
		return nil
	}
	fn := lint.EnclosingFuncOf(cur)
	sig := grpcctx.Signature(pass.TypesInfo, fn)
	if sig == nil || c.holdsLock(pass, fn, l.loop) {
		return nil
	}
	file := lint.FileOf(pass, sel.Pos())
	if file == nil {
		return nil
	}
	var ret string
	var importEdit *analysis.TextEdit
	switch {
	case fn == l.h.Func:
		zeros, ok := zeroResults(sig)
		if !ok {
			return nil
		}
		var status string
		status, importEdit, ok = statusName(pass, file, sel.Pos())
		if !ok {
			return nil
		}
		ret = " " + strings.Join(append(zeros, status+".FromContextError("+ctx+".Err()).Err()"), ", ")
	case sig.Results().Len() == 0:
	default:
		zeros, ok := zeroResults(sig)
		if !ok {
			return nil
		}
		ret = " " + strings.Join(append(zeros, ctx+".Err()"), ", ")
	}
	indent, _, ok := lineOf(pass, sel.Body.Rbrace)
	if !ok {
		return nil
	}
	tf := pass.Fset.File(sel.Body.Rbrace)
	start := tf.LineStart(tf.Line(sel.Body.Rbrace))
	if int(sel.Body.Rbrace-start) != len(indent) {
		return nil // code before the brace on its line
	}
	text := fmt.Sprintf("%[1]scase <-%[2]s.Done():\n%[1]s\treturn%[3]s\n", indent, ctx, ret)
	return insertion(fmt.Sprintf("Add a case that returns when %s is done", ctx), start, text, importEdit)
}
