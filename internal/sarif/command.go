package sarif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	toolversion "github.com/grpccancelcheck/grpccancelcheck/internal/version"
)

// Requested reports whether the command line asks for SARIF output: a
// true -sarif (or --sarif) flag before any "--".
func Requested(args []string) bool {
	on := false
	for _, arg := range args {
		if arg == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		if !strings.HasPrefix(arg, "-") || name != "sarif" {
			continue
		}
		on = true
		if hasValue {
			on, _ = strconv.ParseBool(value)
		}
	}
	return on
}

// A Checked is what one run of the checker in -json mode produced: the -sarif
// mode runs the command's own -json mode (the same flags, loading and
// analyzer selection as text, -json and -fix) and converts its output.
type Checked struct {
	// JSON is the checker's standard output.
	JSON []byte
	// Stderr is its standard error: with -json, the packages that failed
	// to load or type-check, one error a line.
	Stderr []byte
	// Failed is whether it exited with a non-zero status.
	Failed bool
}

// Write writes the SARIF log of the run to w, with the analyzers as rules,
// and the run's errors as notifications, also printed to stderr after
// name. It returns the exit code of the -sarif mode: 0 when the analysis
// ran, whatever it found (like -json); 1 when packages failed to load or
// an analyzer failed (the log is still written, with the errors).
func Write(w, stderr io.Writer, name string, analyzers []*analysis.Analyzer, opts Options, run Checked) int {
	b := NewBuilder(analyzers, opts)
	code := 0
	if run.Failed {
		code = 1
		sc := bufio.NewScanner(bytes.NewReader(run.Stderr))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				b.AddError(line)
			}
		}
	}
	if n, err := b.AddJSON(run.JSON); err != nil {
		b.AddError(err.Error())
		code = 1
	} else if n > 0 {
		code = 1
	}
	if code == 1 && len(b.notes) == 0 {
		b.AddError("the analysis failed without saying why")
	}
	log := b.Log()
	for _, n := range log.Runs[0].Invocations[0].ToolExecutionNotifications {
		fmt.Fprintf(stderr, "%s: %s\n", name, n.Message.Text)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return code
}

// ModuleVersion is the release the command was stamped with, else the
// module version it was built from ("" for a development build).
func ModuleVersion() string { return toolversion.Version() }
