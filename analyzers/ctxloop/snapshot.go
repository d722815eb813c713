package ctxloop

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/grpccancelcheck/grpccancelcheck/internal/lint"
)

// snapshotChan is the fact of a function that returns a channel it makes
// with a buffer sized by the data it is to hold (make(chan T, total), total
// summed from len or cap) and closes, itself or in a goroutine it starts:
// a snapshot iterator (concurrent-map's IterBuffered). Whoever fills it
// never blocks, and a range over it ends when the data does.
type snapshotChan struct{}

func (*snapshotChan) AFact() {}

func (*snapshotChan) String() string { return "snapshotChan" }

// findSnapshots exports the snapshotChan facts of pkg's functions. It runs
// on every package, dependencies without contexts included (the iterator
// is a dependency's), and looks only at functions whose one result is a
// channel: a walk of their bodies, nothing else.
func findSnapshots(pass *analysis.Pass) *lint.FactTable[snapshotChan, *snapshotChan] {
	t := lint.NewFactTable[snapshotChan](pass)
	decls := make(map[*types.Func]*ast.FuncDecl)
	var cands []*ast.FuncDecl
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			decls[fn] = fd
			if res := fn.Signature().Results(); res.Len() == 1 && isChan(res.At(0).Type()) {
				cands = append(cands, fd)
			}
		}
	}
	for _, fd := range cands {
		if snapshotBody(pass.TypesInfo, fd, decls) {
			t.Set(pass.TypesInfo.Defs[fd.Name].(*types.Func), new(snapshotChan))
		}
	}
	t.Export()
	return t
}

// snapshotBody reports whether every return of fd returns one local
// channel variable, made once with a capacity sized by data and closed.
func snapshotBody(info *types.Info, fd *ast.FuncDecl, decls map[*types.Func]*ast.FuncDecl) bool {
	var ch *types.Var
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		r, isRet := n.(*ast.ReturnStmt)
		if !isRet {
			return ok
		}
		v := identVar(info, r.Results)
		if v == nil || ch != nil && v != ch {
			ok = false
		}
		ch = v
		return ok
	})
	if !ok || ch == nil {
		return false
	}
	made, closed := 0, false
	var capacity ast.Expr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, isID := l.(*ast.Ident); isID && info.ObjectOf(id) == ch {
					made++
					if len(n.Rhs) == len(n.Lhs) {
						if call, isCall := ast.Unparen(n.Rhs[i]).(*ast.CallExpr); isCall && isBuiltin(info, call, "make") && len(call.Args) == 2 {
							capacity = call.Args[1]
						}
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && mentionsVar(info, n.X, ch) {
				made++ // its address escapes: not followed
			}
		case *ast.CallExpr:
			if isBuiltin(info, n, "close") && len(n.Args) == 1 && mentionsVar(info, n.Args[0], ch) {
				closed = true
			}
		case *ast.GoStmt:
			closed = closed || closesArg(info, n.Call, ch, decls)
		}
		return true
	})
	return made == 1 && capacity != nil && closed && sizedByData(info, fd, capacity)
}

// closesArg reports whether go f(..., ch, ...) runs a function of this
// package that closes the parameter ch is passed for.
func closesArg(info *types.Info, call *ast.CallExpr, ch *types.Var, decls map[*types.Func]*ast.FuncDecl) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return false
	}
	fd := decls[fn.Origin()]
	if fd == nil {
		return false
	}
	params := fn.Origin().Signature().Params()
	for i, a := range call.Args {
		if i >= params.Len() || !mentionsVar(info, a, ch) {
			continue
		}
		p := params.At(i)
		found := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && isBuiltin(info, c, "close") && len(c.Args) == 1 && mentionsVar(info, c.Args[0], p) {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// sizedByData reports whether e, a channel's capacity, is computed from
// the length of data: it calls len or cap, or is a local variable every
// assignment of which is a constant or calls len or cap (total += cap(c)).
func sizedByData(info *types.Info, fd *ast.FuncDecl, e ast.Expr) bool {
	if callsLen(info, e) {
		return true
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pos() < fd.Pos() || v.Pos() >= fd.End() {
		return false
	}
	sized, ok := false, true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		as, isAs := n.(*ast.AssignStmt)
		if !isAs {
			return ok
		}
		for i, l := range as.Lhs {
			if lid, isID := l.(*ast.Ident); !isID || info.ObjectOf(lid) != v {
				continue
			}
			if len(as.Rhs) != len(as.Lhs) {
				ok = false
				continue
			}
			rhs := as.Rhs[i]
			switch tv := info.Types[rhs]; {
			case tv.Value != nil:
			case callsLen(info, rhs):
				sized = true
			default:
				ok = false
			}
		}
		return ok
	})
	return ok && sized
}

func callsLen(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && (isBuiltin(info, c, "len") || isBuiltin(info, c, "cap")) {
			found = true
		}
		return !found
	})
	return found
}

func isBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

func identVar(info *types.Info, results []ast.Expr) *types.Var {
	if len(results) != 1 {
		return nil
	}
	id, ok := ast.Unparen(results[0]).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}

func mentionsVar(info *types.Info, e ast.Expr, v *types.Var) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[id] == v
}
