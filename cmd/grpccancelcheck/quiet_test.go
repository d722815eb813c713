package main

import (
	"strings"
	"testing"
)

// TestQuietFilter feeds quietFilter what the x/tools driver prints for
// testdata/broken (two broken packages here, importers of one of them
// and of an importer, a package whose cgo code does not compile and an
// importer of it, a pattern that matches no package, and a model
// failure that is not a type error, with an importer) and checks that
// each package gets one line, the pattern only the driver's, and
// everything else passes. TestTypeErrors checks the real driver's output.
func TestQuietFilter(t *testing.T) {
	in := strings.Join([]string{
		"/m/bad/bad.go:7:9: undefined: undefinedCall",
		"/m/worse/worse.go:3:1: syntax error",
		"lintreport: analysis skipped due to errors in package",
		"ctxloop: failed prerequisites: grpcctx@example.com/broken/bad, lintreport@example.com/broken/bad",
		"ctxdetach: failed prerequisites: grpcctx@example.com/broken/bad, lintreport@example.com/broken/bad",
		"grpcctx: analysis skipped due to errors in package",
		"lintreport: analysis skipped due to errors in package",
		"ctxdeadline: failed prerequisites: grpcctx@example.com/broken/bad, lintreport@example.com/broken/bad",
		"ctxloop: failed prerequisites: grpcctx@example.com/broken/worse, lintreport@example.com/broken/worse",
		"grpcctx: analysis skipped due to errors in package",
		"ctxdetach: failed prerequisites: grpcctx@example.com/broken/worse, lintreport@example.com/broken/worse",
		"ctxdeadline: failed prerequisites: grpcctx@example.com/broken/worse, lintreport@example.com/broken/worse",
		"-: pattern ./nothere/...: lstat ./nothere/: no such file or directory",
		"lintreport: analysis skipped due to errors in package",
		"ctxloop: failed prerequisites: grpcctx@./nothere/..., lintreport@./nothere/...",
		"grpcctx: analysis skipped due to errors in package",
		"/m/good/good.go:12:36: call to http.NewRequestWithContext in function Fetch ...",
		"grpcctx: panic: boom",
		"ctxloop: failed prerequisites: grpcctx@example.com/broken/panics",
		// An importer of bad, its test variant and its test main: not
		// analyzed either, one line for all three.
		"ctxloop: failed prerequisites: ctxloop@example.com/broken/bad, grpcctx@example.com/broken/uses, lintreport@example.com/broken/uses",
		"grpcctx: failed prerequisites: grpcctx@example.com/broken/bad",
		"lintreport: analysis skipped due to errors in package",
		"ctxdetach: failed prerequisites: ctxdetach@example.com/broken/bad, grpcctx@example.com/broken/uses [example.com/broken/uses.test], lintreport@example.com/broken/uses [example.com/broken/uses.test]",
		"grpcctx: failed prerequisites: grpcctx@example.com/broken/bad",
		"lintreport: analysis skipped due to errors in package",
		"ctxdetach: failed prerequisites: ctxdetach@example.com/broken/uses [example.com/broken/uses.test], grpcctx@example.com/broken/uses.test, lintreport@example.com/broken/uses.test",
		"grpcctx: failed prerequisites: grpcctx@example.com/broken/uses [example.com/broken/uses.test]",
		"lintreport: analysis skipped due to errors in package",
		// An importer of an importer.
		"ctxdeadline: failed prerequisites: ctxdeadline@example.com/broken/uses, grpcctx@example.com/broken/top, lintreport@example.com/broken/top",
		"grpcctx: failed prerequisites: grpcctx@example.com/broken/uses",
		"lintreport: analysis skipped due to errors in package",
		// An importer of the package whose model panicked: not a type
		// error's, so it passes, and so does its skipped line.
		"ctxloop: failed prerequisites: ctxloop@example.com/broken/panics, grpcctx@example.com/broken/above, lintreport@example.com/broken/above",
		"lintreport: analysis skipped due to errors in package",
		// A package whose cgo code does not compile, as go1.26 prints it
		// for the package and its test variant, and as an older go
		// command named the variant; and an importer of it.
		"-: # example.com/broken/cgo",
		"cgo/cgo.go:6:11: fatal error: nothere.h: No such file or directory",
		"    6 | // #include <nothere.h>",
		"      |           ^~~~~~~~~~~",
		"compilation terminated.",
		"/m/cgo/cgo.go:7:8: could not import C (no metadata for C)",
		"-: # example.com/broken/cgo",
		"# [example.com/broken/cgo]",
		"cgo/cgo.go:6:11: fatal error: nothere.h: No such file or directory",
		"compilation terminated.",
		"/m/cgo/cgo.go:7:8: could not import C (no metadata for C)",
		"-: # example.com/broken/cgo [example.com/broken/cgo.test]",
		"cgo/cgo.go:6:11: fatal error: nothere.h: No such file or directory",
		"/m/cgo/cgo.go:7:8: could not import C (no metadata for C)",
		"ctxloop: failed prerequisites: grpcctx@example.com/broken/cgo, lintreport@example.com/broken/cgo",
		"grpcctx: analysis skipped due to errors in package",
		"lintreport: analysis skipped due to errors in package",
		"ctxloop: failed prerequisites: grpcctx@example.com/broken/cgo [example.com/broken/cgo.test], lintreport@example.com/broken/cgo [example.com/broken/cgo.test]",
		"grpcctx: analysis skipped due to errors in package",
		"lintreport: analysis skipped due to errors in package",
		"ctxloop: failed prerequisites: ctxloop@example.com/broken/cgo, grpcctx@example.com/broken/cgouser, lintreport@example.com/broken/cgouser",
		"grpcctx: failed prerequisites: grpcctx@example.com/broken/cgo",
		"lintreport: analysis skipped due to errors in package",
		// A "-: # " block that is not a failed import "C" passes as it came.
		"-: # example.com/broken/other",
		"some other go list error",
		"",
	}, "\n")
	var out strings.Builder
	quietFilter(strings.NewReader(in), &out)
	want := strings.Join([]string{
		"/m/bad/bad.go:7:9: undefined: undefinedCall",
		"/m/worse/worse.go:3:1: syntax error",
		"grpccancelcheck: example.com/broken/bad not analyzed: it does not type-check",
		"grpccancelcheck: example.com/broken/worse not analyzed: it does not type-check",
		"-: pattern ./nothere/...: lstat ./nothere/: no such file or directory",
		"/m/good/good.go:12:36: call to http.NewRequestWithContext in function Fetch ...",
		"grpcctx: panic: boom",
		"ctxloop: failed prerequisites: grpcctx@example.com/broken/panics",
		"grpccancelcheck: example.com/broken/cgo not analyzed: its cgo code does not compile: cgo/cgo.go:6:11: fatal error: nothere.h: No such file or directory",
		"-: # example.com/broken/other",
		"some other go list error",
		"ctxloop: failed prerequisites: ctxloop@example.com/broken/panics, grpcctx@example.com/broken/above, lintreport@example.com/broken/above",
		"grpccancelcheck: example.com/broken/cgouser not analyzed: it imports example.com/broken/cgo, which does not compile (cgo)",
		"grpccancelcheck: example.com/broken/top not analyzed: it imports example.com/broken/uses, which was not analyzed",
		"grpccancelcheck: example.com/broken/uses not analyzed: it imports example.com/broken/bad, which does not type-check",
		"lintreport: analysis skipped due to errors in package",
		"",
	}, "\n")
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
