package ctxdeadline_test

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdeadline/withdetach"
	"github.com/grpccancelcheck/grpccancelcheck/analyzers/ctxdetach"
	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// The fixture packages the tests of this binary analyze: the binary loads
// only them (with their dependencies), not the whole fixture module.
var _ = fixturetest.Uses("./ctxdeadline/...", "./ctxdetach/...", "./patterns/dltestctx", "./patterns/dlwrapper", "./patterns/pkgtuple")

// shipped returns the analyzers the registry builds for s, as the command
// and the golangci-lint plugin run them, by name.
func shipped(s analyzers.Settings) map[string]*analysis.Analyzer {
	out := make(map[string]*analysis.Analyzer)
	for _, a := range analyzers.New(s) {
		out[a.Name] = a
	}
	return out
}

// deadline is ctxdeadline as it runs beside ctxdetach with default
// settings: the fixtures' expectations leave detached contexts in handlers
// to ctxdetach.
func deadline(cfg ctxdeadline.Config) *analysis.Analyzer {
	return shipped(analyzers.Settings{Ctxdeadline: cfg})["ctxdeadline"]
}

func TestCtxdeadline(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, deadline(ctxdeadline.Config{}), ctxdeadlineFixtures...)
}

// ctxdeadlineFixtures are the packages TestCtxdeadline and TestNogoPackage
// check: everything but the _test.go fixtures (tests are left out by
// default, see TestTests).
var ctxdeadlineFixtures = []string{
	"./ctxdeadline", "./ctxdeadline/rpcs", "./ctxdeadline/mocks/app", "./ctxdeadline/conns",
	"./ctxdeadline/callbacks", "./ctxdeadline/crosspkg/...", "./ctxdeadline/impls/...", "./ctxdeadline/listers", "./patterns/dlwrapper",
	"./patterns/pkgtuple",
}

// TestNogoPackage checks that withdetach.Analyzer, for nogo lists with
// ctxdetach, is what the registry runs beside ctxdetach.
func TestNogoPackage(t *testing.T) {
	t.Parallel()
	fixturetest.Run(t, withdetach.Analyzer, ctxdeadlineFixtures...)
}

// TestStreams checks -ctxdeadline.streams: cancellable streams without a
// deadline are reported, directly and through facts.
func TestStreams(t *testing.T) {
	t.Parallel()
	a := deadline(ctxdeadline.Config{})
	if err := a.Flags.Set("streams", "true"); err != nil {
		t.Fatal(err)
	}
	fixturetest.Run(t, a, "./ctxdeadline/streams")
}

// TestStreamsDefault checks the default stream policy on the same fixture:
// a cancellable stream is fine, so the only complaints are unmet wants.
func TestStreamsDefault(t *testing.T) {
	t.Parallel()
	rec := &recorder{T: t}
	results := fixturetest.RunFunc(t, rec.Errorf, deadline(ctxdeadline.Config{}), "./ctxdeadline/streams")
	for _, d := range diagnostics(results) {
		t.Errorf("unexpected finding without -streams: %s", d)
	}
	if len(rec.unmet) == 0 {
		t.Error("the fixture has no expectations for -streams; this test checks nothing")
	}
}

// exemptList is what TestExempt exempts: a method, a pointer receiver's
// method, and a whole type from another module.
var exemptList = []string{
	"example.com/fixtures/pb/echo.EchoClient.Unary",
	"(*google.golang.org/grpc.ClientConn).Invoke",
	"google.golang.org/grpc/health/grpc_health_v1.HealthClient",
}

// TestExempt checks -ctxdeadline.exempt: two names through Config, as the
// golangci-lint plugin passes them, and one added by the flag.
func TestExempt(t *testing.T) {
	t.Parallel()
	a := deadline(ctxdeadline.Config{Exempt: exemptList[:2]})
	if err := a.Flags.Set("exempt", exemptList[2]); err != nil {
		t.Fatal(err)
	}
	fixturetest.Run(t, a, "./ctxdeadline/exempt")
}

// TestExemptDefault checks that the calls the flag exempts are reported
// without it: every line marked "exempted" has a finding or a fact, and
// nothing else is unexpected.
func TestExemptDefault(t *testing.T) {
	t.Parallel()
	dir := fixturetest.Dir(t)
	rec := &recorder{T: t}
	fixturetest.RunFunc(t, rec.Errorf, deadline(ctxdeadline.Config{}), "./ctxdeadline/exempt")
	file := filepath.Join(dir, "ctxdeadline", "exempt", "exempt.go")
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var marked []int
	for i, line := range strings.Split(string(content), "\n") {
		if strings.Contains(line, "// exempted:") {
			marked = append(marked, i+1)
		}
	}
	var got []int
	for _, msg := range rec.unexpected {
		m := regexp.MustCompile(`exempt\.go:(\d+):\d+: unexpected (diagnostic|fact)`).FindStringSubmatch(msg)
		if m == nil {
			t.Errorf("unexpected complaint: %s", msg)
			continue
		}
		var n int
		fmt.Sscan(m[1], &n)
		got = append(got, n)
	}
	slices.Sort(got)
	if !slices.Equal(got, marked) {
		t.Errorf("without -exempt, findings or facts on lines %v; want exactly the exempted lines %v", got, marked)
	}
}

func TestExemptFlagErrors(t *testing.T) {
	a := ctxdeadline.New(ctxdeadline.Config{})
	if err := a.Flags.Set("exempt", "EchoClient"); err == nil {
		t.Error("an unqualified name was accepted")
	}
	if err := a.Flags.Set("exempt", " example.com/pb.EchoClient , "); err != nil {
		t.Errorf("a qualified name with spaces and an empty entry was rejected: %v", err)
	}
	if got := a.Flags.Lookup("exempt").Value.String(); got != "example.com/pb.EchoClient" {
		t.Errorf("exempt = %q after one Set", got)
	}
	if got := ctxdeadline.Analyzer.Flags.Lookup("exempt").Value.String(); got != "" {
		t.Errorf("setting one instance's flag changed the default Analyzer's: %q", got)
	}
}

// TestOneFinding runs ctxdetach and ctxdeadline with their default settings
// on both analyzers' fixtures and checks that no line gets a finding from
// both: a detached context in handler scope is ctxdetach's alone.
func TestOneFinding(t *testing.T) {
	t.Parallel()
	a := shipped(analyzers.Settings{})
	if both := findBoth(t, fixtureDirs, a["ctxdetach"], a["ctxdeadline"]); len(both) > 0 {
		t.Errorf("reported by both analyzers:\n%s", strings.Join(both, "\n"))
	}
}

// TestOneFindingCtxFuncs does the same with -ctxdetach.ctx-funcs, as the
// registry builds the pair; without telling ctxdeadline about it, the
// widened ctxdetach and ctxdeadline would both report wide.worker's call.
func TestOneFindingCtxFuncs(t *testing.T) {
	t.Parallel()
	a := shipped(analyzers.Settings{Ctxdetach: ctxdetach.Config{CtxFuncs: true}})
	if both := findBoth(t, fixtureDirs, a["ctxdetach"], a["ctxdeadline"]); len(both) > 0 {
		t.Errorf("reported by both analyzers:\n%s", strings.Join(both, "\n"))
	}
	both := findBoth(t, []string{"./ctxdetach/wide"}, a["ctxdetach"], deadline(ctxdeadline.Config{}))
	if !slices.ContainsFunc(both, func(s string) bool { return strings.Contains(s, "wide.go") }) {
		t.Errorf("with ctxdeadline told of the default scope only, want wide.go reported by both; this test checks nothing:\n%s", strings.Join(both, "\n"))
	}
}

// TestDeferredCleanup checks the division in defer statements: a cleanup
// call on a detached context is deliberate, so ctxdetach is silent there and
// ctxdeadline, beside it, reports the cleanup RPC that has no deadline.
func TestDeferredCleanup(t *testing.T) {
	t.Parallel()
	a := shipped(analyzers.Settings{})
	var got []string
	for _, act := range fixturetest.Analyze(t, []*analysis.Analyzer{a["ctxdeadline"]}, "./ctxdetach/deferred") {
		if act.Analyzer != a["ctxdeadline"] {
			continue
		}
		for _, d := range act.Diagnostics {
			got = append(got, act.Package.Fset.Position(d.Pos).String())
		}
	}
	if len(got) != 1 || !strings.HasSuffix(got[0], "deferred.go:24:22") {
		t.Errorf("ctxdeadline beside ctxdetach: got %v, want the deferred cleanup RPC at deferred.go:24:22 only", got)
	}
}

// TestDetachOff checks that with ctxdetach switched off, ctxdeadline reports
// the deadline-less detached calls in handler scope it otherwise leaves to
// ctxdetach: switching one analyzer off must not lose the other's findings;
// nor must running ctxdeadline's exported Analyzer alone (a nogo list, a
// multichecker of one's own).
func TestDetachOff(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]*analysis.Analyzer{
		"ctxdetach disabled":   shipped(analyzers.Settings{Disable: []string{"ctxdetach"}})["ctxdeadline"],
		"ctxdeadline.Analyzer": ctxdeadline.Analyzer,
	} {
		var got []string
		for _, act := range fixturetest.RunFunc(t, (&recorder{T: t}).Errorf, a, "./ctxdetach") {
			for _, d := range act.Diagnostics {
				got = append(got, act.Package.Fset.Position(d.Pos).String())
			}
		}
		if !slices.ContainsFunc(got, func(p string) bool { return strings.HasSuffix(p, "ctxdetach.go:31:20") }) {
			t.Errorf("%s: ctxdeadline does not report the handler's context.Background() call at ctxdetach.go:31:20; got:\n%s", name, strings.Join(got, "\n"))
		}
	}
}

// fixtureDirs are both analyzers' fixtures.
var fixtureDirs = []string{"./ctxdetach/...", "./ctxdeadline/..."}

// findBoth runs each analyzer on the packages and returns the lines that
// more than one reports on, and the lines one reports on that are a
// related position of another's finding: the detached RPC in a helper,
// which ctxdetach points at from the handler's call, in the same package
// or another.
func findBoth(t *testing.T, patterns []string, analyzers ...*analysis.Analyzer) []string {
	byLine := make(map[string][]string)  // file:line -> "analyzer: message"
	related := make(map[string][]string) // file:line -> "analyzer: message" of findings of its package related to it
	for _, a := range analyzers {
		// The other analyzer's wants do not match: only the findings count.
		results := fixturetest.RunFunc(t, (&recorder{T: t, quiet: true}).Errorf, a, patterns...)
		var n int
		for _, r := range results {
			for _, d := range r.Diagnostics {
				p := r.Package.Fset.Position(d.Pos)
				key := fmt.Sprintf("%s:%d", p.Filename, p.Line)
				if msg := a.Name + ": " + d.Message; !slices.Contains(byLine[key], msg) {
					byLine[key] = append(byLine[key], msg) // once: a test variant repeats its package's findings
				}
				for _, rel := range d.Related {
					// Only within a package: across packages a helper's
					// finding and a handler's call of it are both
					// reported (ctxdeadline's doc.go, Handlers).
					rp := r.Package.Fset.Position(rel.Pos)
					if filepath.Dir(rp.Filename) != filepath.Dir(p.Filename) {
						continue
					}
					rkey := fmt.Sprintf("%s:%d", rp.Filename, rp.Line)
					related[rkey] = append(related[rkey], a.Name+": "+d.Message)
				}
				n++
			}
		}
		if n == 0 {
			t.Fatalf("%s found nothing on %v", a.Name, patterns)
		}
	}
	var both []string
	for line, msgs := range byLine {
		if len(msgs) > 1 {
			both = append(both, line+"\n\t"+strings.Join(msgs, "\n\t"))
		}
		for _, rel := range related[line] {
			for _, msg := range msgs {
				if a, _, _ := strings.Cut(msg, ":"); !strings.HasPrefix(rel, a+":") {
					both = append(both, line+" (and a finding that points at it)\n\t"+msg+"\n\t"+rel)
				}
			}
		}
	}
	slices.Sort(both)
	return both
}

// TestFacts checks that facts are small and deterministic: two runs export
// the same bytes, and none is larger than a few hundred bytes per
// parameter.
func TestFacts(t *testing.T) {
	t.Parallel()
	// One parameter entry: the RPC's method name and file path.
	kinds := fixturetest.CheckFactsStable(t, func() []*checker.Action {
		return fixturetest.Run(t, deadline(ctxdeadline.Config{}), "./ctxdeadline/rpcs", "./ctxdeadline/crosspkg/...", "./ctxdeadline/impls/...")
	}, 600)
	if n := sum(kinds); n < 5 {
		t.Fatalf("only %d facts on the fixtures", n)
	}
}

func sum(kinds map[string]int) int {
	n := 0
	for _, k := range kinds {
		n += k
	}
	return n
}

func posString(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

func diagnostics(results []*checker.Action) []string {
	var out []string
	for _, r := range results {
		for _, d := range r.Diagnostics {
			out = append(out, fmt.Sprintf("%s: %s", r.Package.Fset.Position(d.Pos), d.Message))
		}
	}
	return out
}

// recorder collects the want checker's complaints about unmet "want"
// expectations and unexpected findings or facts instead of failing, for the
// caller to judge; any other complaint fails the test unless quiet is set.
type recorder struct {
	*testing.T
	quiet      bool
	unmet      []string
	unexpected []string
}

func (r *recorder) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	switch {
	case strings.Contains(msg, "no diagnostic was reported matching"), strings.Contains(msg, "no fact was reported matching"):
		r.unmet = append(r.unmet, msg)
	case strings.Contains(msg, ": unexpected diagnostic: "), strings.Contains(msg, ": unexpected fact: "),
		strings.Contains(msg, "does not match pattern"):
		r.unexpected = append(r.unexpected, msg)
	case r.quiet:
	default:
		r.T.Errorf("%s", msg)
	}
}
