package ghactions

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/analyzers"
	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif"
	"github.com/grpccancelcheck/grpccancelcheck/internal/sarif/sariftest"
)

// TestAction runs action/run.sh, the script action.yml's run step calls,
// the way the runner does (GITHUB_ACTION_PATH at this checkout, the
// inputs as INPUT_* variables, GITHUB_OUTPUT a file) on a copy of the
// fixture module, with fail-on-findings true and false, and checks what a
// job gets: the exit status, a valid SARIF log with the fixture's findings
// and the release the tool was stamped with, annotations through the
// problem matcher it registers, and the step's outputs.
func TestAction(t *testing.T) {
	itest.Long(t)
	itest.Need(t, "bash", "apt-get install bash")
	rx, groups := matcher(t)
	mod := itest.FixtureModule(t)
	markers := itest.Markers(t, mod)

	for _, tc := range []struct {
		name, fail, ref, flags string
		wantCode               int
		wantVersion            string // SARIF tool.driver.version
		wantLine               string // in -V=full's line
		analyzers              []string
	}{
		{
			name: "fail", fail: "true", ref: "v9.8.7",
			wantCode: 1, wantVersion: "v9.8.7", wantLine: " version v9.8.7 ",
			analyzers: analyzers.Names(),
		},
		{
			name: "report-only", fail: "false", ref: strings.Repeat("ab", 20), flags: "-ctxloop=false",
			wantCode: 0, wantVersion: "", wantLine: " version devel commit=" + strings.Repeat("ab", 20) + " ",
			analyzers: []string{"ctxdetach", "ctxdeadline"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			output := filepath.Join(tmp, "github_output")
			sarifFile := "results-" + tc.name + ".sarif"
			r := itest.RunCode(t, mod, []string{
				"GITHUB_ACTION_PATH=" + itest.Root(),
				"ACTION_REF=" + tc.ref,
				"RUNNER_TEMP=" + tmp,
				"GITHUB_OUTPUT=" + output,
				"GITHUB_WORKSPACE=" + mod,
				"INPUT_VERSION=",
				"INPUT_PACKAGES=./...",
				"INPUT_FLAGS=" + tc.flags,
				"INPUT_SARIF_FILE=" + sarifFile,
				"INPUT_FAIL_ON_FINDINGS=" + tc.fail,
			}, 10*time.Minute, "bash", filepath.Join(itest.Root(), "action", "run.sh"))
			if r.Code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, tc.wantCode, r.Stdout, r.Stderr)
			}
			if !strings.Contains(r.Stdout, tc.wantLine) {
				t.Errorf("-V=full line lacks %q:\n%s", tc.wantLine, r.Stdout)
			}

			want := itest.Keys(markers, func(m itest.Marker) bool {
				return slices.Contains(tc.analyzers, m.Analyzer) && m.Flag == ""
			})
			if len(want) == 0 {
				t.Fatal("no expected findings: this test checks nothing")
			}

			// The SARIF log.
			data, err := os.ReadFile(filepath.Join(mod, sarifFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := sariftest.Validate(data); err != nil {
				t.Fatalf("not valid SARIF 2.1.0: %v", err)
			}
			var log sarif.Log
			if err := json.Unmarshal(data, &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			if v := run.Tool.Driver.Version; v != tc.wantVersion {
				t.Errorf("tool.driver.version %q, want %q", v, tc.wantVersion)
			}
			cats := analyzers.Categories()
			var got []string
			for _, res := range run.Results {
				loc := res.Locations[0].PhysicalLocation
				got = append(got, fmt.Sprintf("%s %s:%d", res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine))
				// Every category a real run emits is one the rule pages document.
				if res.Properties == nil || !slices.Contains(cats[res.RuleID], res.Properties.Category) {
					t.Errorf("result %q: category %+v is not one of %s's %v", res.Message.Text, res.Properties, res.RuleID, cats[res.RuleID])
				}
			}
			if got := compact(got); !slices.Equal(got, want) {
				t.Errorf("SARIF results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			// The annotations: the matcher is registered by path, the
			// lines it reads are between its registration and removal.
			add := "::add-matcher::" + filepath.Join(itest.Root(), ".github", "grpccancelcheck-matcher.json")
			before, rest, ok := strings.Cut(r.Stdout, add+"\n")
			between, _, ok2 := strings.Cut(rest, "::remove-matcher owner=grpccancelcheck::")
			if !ok || !ok2 {
				t.Fatalf("no %q ... remove-matcher in the output:\n%s", add, r.Stdout)
			}
			if n := len(annotations(t, rx, groups, mod, before)); n != 0 {
				t.Errorf("%d lines the matcher would read before it is registered", n)
			}
			var gotAnn []string
			tag := regexp.MustCompile(`\[(\w+):([\w-]+)\]$`)
			for _, a := range annotations(t, rx, groups, mod, between) {
				file, line, _ := strings.Cut(strings.TrimPrefix(a, mod+string(filepath.Separator)), ":")
				line, _, _ = strings.Cut(line, ":")
				m := tag.FindStringSubmatch(a)
				if m == nil {
					t.Errorf("annotation without [analyzer:category]: %s", a)
					continue
				}
				gotAnn = append(gotAnn, fmt.Sprintf("%s %s:%s", m[1], filepath.ToSlash(file), line))
			}
			if gotAnn := compact(gotAnn); !slices.Equal(gotAnn, want) {
				t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(gotAnn, "\n"), strings.Join(want, "\n"))
			}

			// The step's outputs.
			out, err := os.ReadFile(output)
			if err != nil {
				t.Fatal(err)
			}
			wantOut := fmt.Sprintf("sarif-file=%s\nfindings=%d\n", filepath.Join(mod, sarifFile), len(run.Results))
			if string(out) != wantOut {
				t.Errorf("GITHUB_OUTPUT:\n%s\nwant:\n%s", out, wantOut)
			}
		})
	}
}

func compact(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
