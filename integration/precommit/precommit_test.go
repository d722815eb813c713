// Package precommit tests the pre-commit hook in .pre-commit-hooks.yaml
// with the real pre-commit, the way a Go repository uses it: a throwaway
// git repository whose .pre-commit-config.yaml points at a snapshot of
// this repository, `pre-commit install`, then `git commit`.
//
// Needs: git, pre-commit (Debian's pre-commit package) and go. The hook's
// module downloads come from the Go module cache of the machine (GOMODCACHE
// is passed through), its builds from the Go build cache.
package precommit

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grpccancelcheck/grpccancelcheck/integration/internal/itest"
)

func TestHookBlocksFindingsAndPassesCleanCommits(t *testing.T) {
	itest.Long(t)
	git := itest.Need(t, "git", "apt-get install git")
	precommit := itest.Need(t, "pre-commit", "apt-get install pre-commit")
	itest.Need(t, "go", "install Go")

	modcache := strings.TrimSpace(itest.Run(t, itest.Root(), nil, time.Minute, "go", "env", "GOMODCACHE").Stdout)
	tmp := t.TempDir()
	env := []string{
		"PRE_COMMIT_HOME=" + filepath.Join(tmp, "pre-commit-home"),
		"GOMODCACHE=" + modcache,
		"GIT_CONFIG_GLOBAL=" + filepath.Join(tmp, "gitconfig"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com",
	}
	gitIn := func(dir string, args ...string) itest.Result {
		t.Helper()
		return itest.Run(t, dir, env, time.Minute, git, args...)
	}

	// The hook repository: this repository's files as they are now,
	// committed in a new repository, so that uncommitted work is tested.
	hooks := filepath.Join(tmp, "hooks")
	snapshot(t, hooks)
	gitIn(hooks, "init", "-q")
	gitIn(hooks, "add", "-A")
	gitIn(hooks, "commit", "-q", "-m", "snapshot")
	rev := strings.TrimSpace(gitIn(hooks, "rev-parse", "HEAD").Stdout)

	// The user's repository: the fixture module, committed in two steps.
	repo := itest.FixtureModule(t)
	config := "repos:\n  - repo: " + hooks + "\n    rev: " + rev + "\n    hooks:\n      - id: grpccancelcheck\n"
	if err := os.WriteFile(filepath.Join(repo, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(repo, "init", "-q")
	itest.Run(t, repo, env, time.Minute, precommit, "install")

	// A commit without findings passes, and the hook did run on it. The
	// hook sees the work tree (pre-commit sets unstaged changes aside, not
	// untracked files), so the package with findings waits outside.
	aside := filepath.Join(tmp, "server")
	if err := os.Rename(filepath.Join(repo, "server"), aside); err != nil {
		t.Fatal(err)
	}
	gitIn(repo, "add", ".")
	r := itest.RunCode(t, repo, env, 15*time.Minute, git, "commit", "-m", "clean")
	out := r.Stdout + r.Stderr
	if r.Code != 0 {
		t.Fatalf("the clean commit was blocked (exit %d):\n%s", r.Code, out)
	}
	if !strings.Contains(out, "grpccancelcheck") || !strings.Contains(out, "Passed") {
		t.Errorf("the hook did not run and pass on the clean commit:\n%s", out)
	}
	head := strings.TrimSpace(gitIn(repo, "rev-parse", "HEAD").Stdout)

	// A commit with findings is blocked, with the findings in the output.
	if err := os.Rename(aside, filepath.Join(repo, "server")); err != nil {
		t.Fatal(err)
	}
	gitIn(repo, "add", "server")
	r = itest.RunCode(t, repo, env, 15*time.Minute, git, "commit", "-m", "findings")
	out = r.Stdout + r.Stderr
	if r.Code == 0 {
		t.Fatalf("the commit with findings went through:\n%s", out)
	}
	for _, want := range []string{"Failed", "server/server.go:24:20: call to s.Up.Unary in handler Unary uses context.Background()"} {
		if !strings.Contains(out, want) {
			t.Errorf("pre-commit output lacks %q:\n%s", want, out)
		}
	}
	if now := strings.TrimSpace(gitIn(repo, "rev-parse", "HEAD").Stdout); now != head {
		t.Errorf("HEAD moved from %s to %s: the commit was not blocked", head, now)
	}
}

// snapshot copies this repository's files (tracked and untracked, not
// ignored; testdata left out) to dst.
func snapshot(t *testing.T, dst string) {
	t.Helper()
	root := itest.Root()
	var names []string
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		names = strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	} else {
		// Not a git work tree (an unpacked archive): take every file but
		// hidden directories other than .github.
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			if d.IsDir() && strings.HasPrefix(d.Name(), ".") && rel != "." && d.Name() != ".github" {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() {
				names = append(names, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, name := range names {
		if name == "" || name == "testdata" || strings.HasPrefix(name, "testdata/") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if _, err := os.Stat(filepath.Join(dst, ".pre-commit-hooks.yaml")); err != nil || n == 0 {
		t.Fatalf("snapshot of %s has %d files and no .pre-commit-hooks.yaml", root, n)
	}
}
