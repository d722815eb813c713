package stress_test

import (
	"go/build"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fuzzgen"
)

// TestFixtures checks the adversarial fixtures of testdata/adversarial
// (facts through mutually recursive helpers across packages, range-over-func
// iterators, type parameters constrained to context.Context, both variants
// of a file with build tags) against their "// want" comments, each
// package with the facts of the ones before it. Only diagnostics are
// compared, not facts. The cgo and type-error cases are
// testdata/patterns/cgo and testdata/broken, under the command's tests.
func TestFixtures(t *testing.T) {
	if testing.Short() {
		t.Skip("loads grpc")
	}
	u, dir := universe(t)
	for _, tc := range []struct {
		name string
		tags []string
		pkgs []string // dependencies first
	}{
		{"recursion", nil, []string{"adversarial/recursion/b", "adversarial/recursion/a"}},
		{"rangefunc", nil, []string{"adversarial/rangefunc"}},
		{"generic", nil, []string{"adversarial/generic"}},
		{"pkglit", nil, []string{"adversarial/pkglit"}},
		{"buildtags", nil, []string{"adversarial/buildtags"}},
		{"buildtags-variant", []string{"variant"}, []string{"adversarial/buildtags"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := build.Default
			ctx.BuildTags = tc.tags
			var prog []fuzzgen.Package
			for _, p := range tc.pkgs {
				prog = append(prog, readPackage(t, &ctx, dir, p))
			}
			c := u.Check(dir, prog)
			if c.TypeErr != nil {
				t.Fatal(c.TypeErr)
			}
			for _, r := range c.Results {
				if r.Err != nil {
					t.Fatal(r.Err)
				}
			}
			wants := collectWants(prog)
			for _, d := range c.Diagnostics() {
				key := filepath.Base(d.Posn.Filename) + ":" + itoa(d.Posn.Line)
				i := indexMatch(wants[key], d.Message)
				if i < 0 {
					t.Errorf("unexpected finding %s", d)
					continue
				}
				wants[key] = append(wants[key][:i], wants[key][i+1:]...)
			}
			for key, res := range wants {
				for _, re := range res {
					t.Errorf("%s: no finding matches %q", key, re)
				}
			}
		})
	}
}

func readPackage(t *testing.T, ctx *build.Context, dir, rel string) fuzzgen.Package {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	pkg := fuzzgen.Package{Path: fuzzgen.Module + "/" + rel}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		if ok, err := ctx.MatchFile(filepath.Join(dir, rel), e.Name()); err != nil || !ok {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, rel, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		pkg.Files = append(pkg.Files, fuzzgen.File{Name: e.Name(), Src: src})
	}
	return pkg
}

var wantRE = regexp.MustCompile("// want ((?:`[^`]*`\\s*)+)$")

// collectWants returns the expected messages' patterns by "file:line".
func collectWants(prog []fuzzgen.Package) map[string][]*regexp.Regexp {
	wants := make(map[string][]*regexp.Regexp)
	for _, p := range prog {
		for _, f := range p.Files {
			for i, line := range strings.Split(string(f.Src), "\n") {
				m := wantRE.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				for _, q := range regexp.MustCompile("`[^`]*`").FindAllString(m[1], -1) {
					wants[f.Name+":"+itoa(i+1)] = append(wants[f.Name+":"+itoa(i+1)], regexp.MustCompile(strings.Trim(q, "`")))
				}
			}
		}
	}
	return wants
}

func indexMatch(res []*regexp.Regexp, msg string) int {
	for i, re := range res {
		if re.MatchString(msg) {
			return i
		}
	}
	return -1
}

func itoa(n int) string { return strconv.Itoa(n) }
