package ctxdetach

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/grpccancelcheck/grpccancelcheck/internal/grpcctx"
)

// A funcIndex is what the fixes ask about one handler's function, built by
// one walk of it: a fix is computed per finding, and a function of
// thousands of statements has hundreds of findings, so nothing a fix asks
// may cost a walk of the function (or of the package, as a cursor search
// from the root does) per finding.
type funcIndex struct {
	calls map[*ast.CallExpr]inspector.Cursor // the function's calls
	inGo  map[types.Object]bool              // objects used inside a go statement of the function
}

// index returns the funcIndex of fn, a function of the package, made on
// first use.
func (c *checker) index(pass *analysis.Pass, m *grpcctx.Model, fn ast.Node) *funcIndex {
	if x := c.funcs[fn]; x != nil {
		return x
	}
	x := &funcIndex{calls: make(map[*ast.CallExpr]inspector.Cursor), inGo: make(map[types.Object]bool)}
	if root, ok := m.Cursor(fn); ok {
		for cur := range root.Preorder((*ast.CallExpr)(nil)) {
			x.calls[cur.Node().(*ast.CallExpr)] = cur
		}
	}
	var stack []bool // per open node: is it a go statement
	depth := 0       // open go statements
	ast.Inspect(fn, func(n ast.Node) bool {
		if n == nil {
			if stack[len(stack)-1] {
				depth--
			}
			stack = stack[:len(stack)-1]
			return true
		}
		_, isGo := n.(*ast.GoStmt)
		if isGo {
			depth++
		}
		stack = append(stack, isGo)
		if id, ok := n.(*ast.Ident); ok && depth > 0 {
			if obj := pass.TypesInfo.Uses[id]; obj != nil {
				x.inGo[obj] = true
			}
		}
		return true
	})
	if c.funcs == nil {
		c.funcs = make(map[ast.Node]*funcIndex)
	}
	c.funcs[fn] = x
	return x
}

// cursor returns the cursor of call, a call inside fn.
func (c *checker) cursor(pass *analysis.Pass, m *grpcctx.Model, fn ast.Node, call *ast.CallExpr) (inspector.Cursor, bool) {
	if cur, ok := c.index(pass, m, fn).calls[call]; ok {
		return cur, true
	}
	return m.Cursor(call)
}
