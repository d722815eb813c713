package main

import (
	"slices"
	"testing"
)

// TestParseCommandLine checks that the command line is read as x/tools'
// driver reads it: the analyzer selection (which decides the division
// between ctxdetach and ctxdeadline), ctxdetach's scope, and where the
// flags end.
func TestParseCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		disable  []string
		ctxFuncs bool
		rest     []string
	}{
		{args: []string{"./..."}, rest: []string{"./..."}},
		{args: []string{"-ctxdetach=false", "./..."}, disable: []string{"ctxdetach"}, rest: []string{"./..."}},
		{args: []string{"--ctxdetach=0", "-ctxloop=false", "x.cfg"}, disable: []string{"ctxloop", "ctxdetach"}, rest: []string{"x.cfg"}},
		{args: []string{"-ctxdetach", "./..."}, disable: []string{"ctxloop", "ctxdeadline"}, rest: []string{"./..."}},
		{args: []string{"-ctxdetach", "-ctxloop=false", "./..."}, disable: []string{"ctxloop", "ctxdeadline"}, rest: []string{"./..."}},
		// A flag's value is not a flag; flags end at the first argument.
		{args: []string{"-ctxdeadline.exempt", "example.com/pb.C", "-c", "2", "-ctxdetach=false", "./..."}, disable: []string{"ctxdetach"}, rest: []string{"./..."}},
		{args: []string{"./...", "-ctxdetach=false"}, rest: []string{"./...", "-ctxdetach=false"}},
		{args: []string{"-ctxdetach.ctx-funcs", "-V=full", "-json", "-test=false", "./..."}, ctxFuncs: true, rest: []string{"./..."}},
		{args: []string{"-sarif", "-ctxdeadline=false", "./a", "./b"}, disable: []string{"ctxdeadline"}, rest: []string{"./a", "./b"}},
	} {
		cl, err := parseCommandLine(tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if !slices.Equal(cl.settings.Disable, tc.disable) || cl.settings.Ctxdetach.CtxFuncs != tc.ctxFuncs || !slices.Equal(cl.args, tc.rest) {
			t.Errorf("%q: disable %q, ctx-funcs %v, args %q; want %q, %v, %q", tc.args,
				cl.settings.Disable, cl.settings.Ctxdetach.CtxFuncs, cl.args, tc.disable, tc.ctxFuncs, tc.rest)
		}
	}
	for _, args := range [][]string{{"-nosuchflag", "./..."}, {"-ctxdetach=maybe"}, {"-ctxdeadline.exempt", "EchoClient"}} {
		if _, err := parseCommandLine(args); err == nil {
			t.Errorf("%q parsed", args)
		}
	}
}
