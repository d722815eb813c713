// Package itest holds what the channel tests in integration/ share: where
// things are, a throwaway copy of the user-code fixture module
// (testdata/integration), the "lint:" markers in it, the grpccancelcheck
// command built once, and running tools with a deadline.
package itest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// Root returns the repository's top directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Long skips the test unless it is built with -tags integration, and
// with -short (fixturetest.Integration): every test here runs real tools.
func Long(t testing.TB) {
	t.Helper()
	fixturetest.Integration(t)
}

// Need returns the path of the program name, or ends the test: on CI
// (CI set), whose script installs what the tests need, a missing program
// is a failure; elsewhere the test is skipped with how to install it.
func Need(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed (%s): CI must install it", name, install)
	}
	t.Skipf("%s is not installed; %s", name, install)
	return ""
}

// FixtureModule copies testdata/integration, a small module of user code
// with findings, to a new temporary directory and returns it. Its replace
// directive for example.com/fixtures (the generated gRPC code) is made
// absolute so that the copy builds where it is.
func FixtureModule(t testing.TB) string {
	t.Helper()
	fixtures := fixturetest.Dir(t) // also downloads the dependencies
	src := filepath.Join(fixtures, "integration")
	dst := filepath.Join(t.TempDir(), "mod")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	Run(t, dst, nil, time.Minute, "go", "mod", "edit", "-replace", "example.com/fixtures="+abs)
	return dst
}

// A Marker is a "lint:" comment of the fixture module.
type Marker struct {
	Analyzer string
	File     string // slash-separated, relative to the module
	Line     int
	// Flag is "ANALYZER.FLAG" for "lint(ANALYZER.FLAG): NAME": the finding
	// needs that boolean flag on.
	Flag string
	// Standalone marks "standalone: NAME": a finding that //nolint hides
	// from golangci-lint but the command reports.
	Standalone bool
}

// Key identifies a finding: analyzer, file and line.
func (m Marker) Key() string { return fmt.Sprintf("%s %s:%d", m.Analyzer, m.File, m.Line) }

var markerRx = regexp.MustCompile(`// (lint|lint\(([\w.-]+)\)|standalone): (\w+)\s*$`)

// Markers returns the markers in the .go files of the module in dir.
func Markers(t testing.TB, dir string) []Marker {
	t.Helper()
	var out []Marker
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			m := markerRx.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			out = append(out, Marker{
				Analyzer:   m[3],
				File:       filepath.ToSlash(rel),
				Line:       line,
				Flag:       m[2],
				Standalone: m[1] == "standalone",
			})
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no markers in %s", dir)
	}
	return out
}

// Keys returns the sorted keys of the markers that keep says to.
func Keys(ms []Marker, keep func(Marker) bool) []string {
	var out []string
	for _, m := range ms {
		if keep(m) {
			out = append(out, m.Key())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// command is the grpccancelcheck command Command built, once per test
// binary, in a directory Main removes.
var command struct {
	main bool // Main runs the tests
	once sync.Once
	dir  string
	path string
	err  error
}

// Main runs the tests of a package that uses Command (from its TestMain)
// and then removes the command's directory.
func Main(m *testing.M) int {
	command.main = true
	code := m.Run()
	if command.dir != "" {
		os.RemoveAll(command.dir)
	}
	return code
}

// Command builds the grpccancelcheck command, once per test binary, and
// returns its path: the tests of a package share it (each build of the
// command is a link step of some seconds even with a warm build cache).
// The package's TestMain must call Main.
func Command(t testing.TB) string {
	t.Helper()
	if !command.main {
		t.Fatal("itest.Command: the package's TestMain must run its tests with itest.Main")
	}
	command.once.Do(func() {
		if command.dir, command.err = os.MkdirTemp("", "itest-grpccancelcheck-"); command.err != nil {
			return
		}
		command.path = filepath.Join(command.dir, "grpccancelcheck")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", command.path, "./cmd/grpccancelcheck")
		cmd.Dir = Root()
		if out, err := cmd.CombinedOutput(); err != nil {
			command.err = fmt.Errorf("go build ./cmd/grpccancelcheck: %v\n%s", err, out)
		}
	})
	if command.err != nil {
		t.Fatal(command.err)
	}
	return command.path
}

// A Result is what a command did.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs name with args in dir, with env added to the environment,
// killing it after timeout. It fails the test if the command cannot run or
// exits with a status other than 0; use RunCode to accept others.
func Run(t testing.TB, dir string, env []string, timeout time.Duration, name string, args ...string) Result {
	t.Helper()
	r := RunCode(t, dir, env, timeout, name, args...)
	if r.Code != 0 {
		t.Fatalf("%s %s (in %s): exit status %d\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), dir, r.Code, r.Stdout, r.Stderr)
	}
	return r
}

// RunCode is Run without the check of the exit status.
func RunCode(t testing.TB, dir string, env []string, timeout time.Duration, name string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %s: killed after %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), timeout, r.Stdout, r.Stderr)
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	t.Logf("%s %s: exit %d in %v", filepath.Base(name), strings.Join(args, " "), r.Code, time.Since(start).Round(time.Millisecond))
	return r
}

// GolangciLint builds a golangci-lint that contains the plugin, from
// .golangci-plugin.yml with scripts/build-golangci.sh (module proxy only;
// cached between runs), into the test's temporary directory, and returns
// its path. Integration tier only.
func GolangciLint(t testing.TB) string {
	t.Helper()
	fixturetest.Integration(t)
	Need(t, "bash", "apt-get install bash")
	Need(t, "flock", "apt-get install util-linux")
	Need(t, "sha256sum", "apt-get install coreutils")
	out := filepath.Join(t.TempDir(), "golangci-lint")
	r := Run(t, Root(), nil, 25*time.Minute, "bash", "scripts/build-golangci.sh", "-o", out)
	if got := strings.TrimSpace(r.Stdout); got != out {
		t.Fatalf("scripts/build-golangci.sh printed %q, want %q", got, out)
	}
	return out
}
