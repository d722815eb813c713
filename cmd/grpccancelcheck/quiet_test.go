package main

import (
	"strings"
	"testing"
)

// TestQuietFilter feeds quietFilter what the x/tools driver prints for
// testdata/broken (two broken packages here, a pattern that matches no
// package, and a model failure that is not a type error) and checks that
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
		"",
	}, "\n")
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
