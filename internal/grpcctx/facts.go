package grpcctx

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// importFacts imports the model's facts about the other packages'
// functions this package refers to.
func (m *Model) importFacts(pass *analysis.Pass) {
	m.valueReaders = make(map[*types.Func]bool)
	m.concrete = make(map[*types.Func]types.Type)
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		fn = fn.Origin()
		sig := fn.Signature()
		if len(ContextParams(sig)) > 0 && pass.ImportObjectFact(fn, new(readsValues)) {
			m.valueReaders[fn] = true
		}
		if sig.Results().Len() == 1 && types.IsInterface(sig.Results().At(0).Type()) {
			if fact := new(returnsConcrete); pass.ImportObjectFact(fn, fact) {
				if t := fact.resolve(fn.Pkg()); t != nil {
					m.concrete[fn] = t
				}
			}
		}
	}
}
