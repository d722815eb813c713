// Package lint holds the analysis plumbing grpccancelcheck's model
// (internal/grpcctx) and analyzers share, apart from what they know about
// gRPC and contexts, as staticcheck keeps its report, directives and facts
// packages apart from its checks:
//
//   - FactTable: one kind of object fact of functions, this package's and
//     the ones it imports, exported in a deterministic order;
//   - Propagate: the fixed point of the facts a package derives from its
//     own functions;
//   - Location: a position as a fact carries it across packages;
//   - Directives: the //grpccancelcheck:ignore comments that suppress
//     findings, and the diagnostic of a malformed one
//     (CategoryIgnoreDirective);
//   - Analyzer and Report: the one way analyzers report, which drops
//     findings in generated files (IsGeneratedFile) and those a directive
//     covers; FuncName and ComparePos, for messages and their order;
//   - call matching: Callee, Args, IsFunc, IsMethodOf, IsNamed (what a call
//     invokes, as the type checker resolved it);
//   - List: what a package-wide walk collects, step by step, never copied;
//   - ImplIndex: the types of a package that may implement an interface,
//     by method name, instead of every (interface, type) pair.
//
// It imports nothing of grpccancelcheck's.
package lint
