package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
)

// A commandLine is what the command line asks for, parsed before the
// analyzers are built, so that they are built for the selection it makes:
// ctxdeadline must know whether ctxdetach runs beside it (see
// internal/division). x/tools' driver parses the same command line again,
// with the same rules, into the analyzers it is given.
type commandLine struct {
	settings               analyzers.Settings
	sarif, json, fix, diff bool
	// args are the arguments after the flags: packages, a go vet .cfg
	// file, or "help".
	args []string
}

// driverFlags are the flags x/tools' multichecker registers besides the
// analyzers' own (-NAME and -NAME.FLAG) and -json, -fix and -diff: name,
// and whether the flag takes a value. TestDriverFlags checks the list
// against what the command's -flags prints.
var driverFlags = map[string]bool{
	"V": false, "all": false, "flags": false, "source": false, "test": false, "v": false,
	"c": true, "cpuprofile": true, "debug": true, "memprofile": true, "tags": true, "trace": true,
}

// parseCommandLine parses args as x/tools' multichecker does: -NAME
// switches select analyzers (if any is true, only those run; otherwise all
// but those set false), -NAME.FLAG configure them, and flags end at the
// first argument that is not one. It fails on a flag the driver does not
// know either; the driver then reports it.
func parseCommandLine(args []string) (commandLine, error) {
	var cl commandLine
	fs := flag.NewFlagSet("grpccancelcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	all := analyzers.All() // scratch instances: the parse sets their flags
	switches := make(map[string]*optBool)
	for _, a := range all {
		switches[a.Name] = new(optBool)
		fs.Var(switches[a.Name], a.Name, "")
		a.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, a.Name+"."+f.Name, "") })
	}
	for name, value := range driverFlags {
		fs.Var(anyValue{value}, name, "")
	}
	fs.BoolVar(&cl.sarif, "sarif", false, "")
	fs.BoolVar(&cl.json, "json", false, "")
	fs.BoolVar(&cl.fix, "fix", false, "")
	fs.BoolVar(&cl.diff, "diff", false, "")
	if err := fs.Parse(args); err != nil {
		return cl, err
	}
	cl.args = fs.Args()

	anyTrue := false
	for _, sw := range switches {
		anyTrue = anyTrue || sw.set && sw.on
	}
	for _, a := range all {
		if sw := switches[a.Name]; anyTrue && !(sw.set && sw.on) || !anyTrue && sw.set && !sw.on {
			cl.settings.Disable = append(cl.settings.Disable, a.Name)
		}
	}
	// The division between ctxdetach and ctxdeadline depends on
	// ctxdetach's scope.
	if f := fs.Lookup("ctxdetach.ctx-funcs"); f != nil {
		cl.settings.Ctxdetach.CtxFuncs = f.Value.String() == "true"
	}
	return cl, nil
}

// optBool is a -NAME switch: unset, true or false.
type optBool struct{ set, on bool }

func (b *optBool) IsBoolFlag() bool { return true }
func (b *optBool) String() string   { return strconv.FormatBool(b.on) }
func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	b.set, b.on = true, v
	return nil
}

// anyValue stands for a driver flag whose value does not matter here.
type anyValue struct{ takesValue bool }

func (v anyValue) IsBoolFlag() bool { return !v.takesValue }
func (v anyValue) String() string   { return "" }
func (v anyValue) Set(string) error { return nil }
