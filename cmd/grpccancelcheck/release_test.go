package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/grpccancelcheck/grpccancelcheck/internal/fixturetest"
)

// goreleaserConfig is the part of .goreleaser.yaml checked here. CI also
// runs `goreleaser check` and a snapshot build when goreleaser is
// installed (.ci/run); this test holds where it is not.
type goreleaserConfig struct {
	Version int
	Builds  []struct {
		ID, Main, Binary string
		Env, Flags       []string
		Ldflags          []string
		Goos, Goarch     []string
	}
	Archives []struct {
		Formats         []string
		FormatOverrides []struct {
			Goos    string
			Formats []string
		} `yaml:"format_overrides"`
		Files []string
	}
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string
	}
	SBOMs []struct {
		Artifacts, Cmd string
		Args, Env      []string
	} `yaml:"sboms"`
}

const versionPkg = "github.com/grpccancelcheck/grpccancelcheck/internal/version"

// TestReleaseConfig checks .goreleaser.yaml's build, archives and
// checksums, then builds the command as the release does (CGO_ENABLED=0,
// -trimpath, the configuration's -ldflags with its templates filled in)
// and checks that -V=full and the SARIF log show the stamped release and
// that go vet accepts the binary as its -vettool.
func TestReleaseConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 {
		t.Fatalf(".goreleaser.yaml: want version 2 and one build, got %d and %d", cfg.Version, len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if b.Main != "./cmd/grpccancelcheck" || b.Binary != "grpccancelcheck" {
		t.Errorf("build main %q binary %q", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("build env %v flags %v: want CGO_ENABLED=0 and -trimpath", b.Env, b.Flags)
	}
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("goos %v lacks %s", b.Goos, os)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("goarch %v lacks %s", b.Goarch, arch)
		}
	}
	if len(cfg.Archives) != 1 || !slices.Equal(cfg.Archives[0].Formats, []string{"tar.gz"}) ||
		len(cfg.Archives[0].FormatOverrides) != 1 || cfg.Archives[0].FormatOverrides[0].Goos != "windows" ||
		!slices.Equal(cfg.Archives[0].FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives %+v: want tar.gz, zip on windows", cfg.Archives)
	}
	for _, a := range cfg.Archives {
		for _, f := range a.Files {
			if _, err := os.Stat(filepath.Join("..", "..", f)); err != nil {
				t.Errorf("archive file %s: %v", f, err)
			}
		}
	}
	if cfg.Checksum.NameTemplate == "" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v: want a name and sha256", cfg.Checksum)
	}
	// The SBOM is made offline, per binary, for its own GOOS and GOARCH.
	if len(cfg.SBOMs) != 1 || cfg.SBOMs[0].Cmd != "cyclonedx-gomod" || cfg.SBOMs[0].Artifacts != "binary" ||
		!slices.Contains(cfg.SBOMs[0].Env, "GOOS={{ .Os }}") || !slices.Contains(cfg.SBOMs[0].Env, "GOARCH={{ .Arch }}") ||
		!slices.Contains(cfg.SBOMs[0].Args, "$document") {
		t.Errorf("sboms %+v: want one cyclonedx-gomod SBOM per binary, with its GOOS and GOARCH", cfg.SBOMs)
	}

	// The ldflags, with goreleaser's templates filled in as a release
	// v1.2.3 would fill them.
	commit := strings.Repeat("0123456789", 4)
	values := map[string]string{"Version": "1.2.3", "FullCommit": commit, "CommitDate": "2026-01-02T03:04:05Z"}
	tmpl := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	var ldflags []string
	for _, f := range b.Ldflags {
		ldflags = append(ldflags, tmpl.ReplaceAllStringFunc(f, func(m string) string {
			name := tmpl.FindStringSubmatch(m)[1]
			v, ok := values[name]
			if !ok {
				t.Errorf("ldflags template %s: not filled in by this test", m)
			}
			return v
		}))
	}
	joined := strings.Join(ldflags, " ")
	for _, v := range []string{"version=v1.2.3", "commit=" + commit, "date=2026-01-02T03:04:05Z"} {
		if !strings.Contains(joined, "-X "+versionPkg+"."+v) {
			t.Errorf("ldflags %q do not stamp %s.%s", joined, versionPkg, v)
		}
	}
	fixturetest.Integration(t) // builds the command

	dir := t.TempDir()
	bin := filepath.Join(dir, "grpccancelcheck")
	runOK(t, ".", []string{"CGO_ENABLED=0"}, "go", "build", "-trimpath", "-ldflags", joined, "-o", bin, ".")

	out := runOK(t, dir, nil, bin, "-V=full")
	want := regexp.MustCompile(`^grpccancelcheck version v1\.2\.3 commit=` + commit + ` date=2026-01-02T03:04:05Z buildID=[0-9a-f]{64}\n$`)
	if !want.MatchString(out) {
		t.Errorf("-V=full printed %q, want it to match %s", out, want)
	}

	// A module with nothing to report, for the SARIF log and go vet.
	mod := filepath.Join(dir, "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.24\n",
		"m.go":   "package m\n\nfunc F() int { return 1 }\n",
	} {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Version, SemanticVersion string }
			}
		}
	}
	if err := json.Unmarshal([]byte(runOK(t, mod, nil, bin, "-sarif", "./...")), &log); err != nil {
		t.Fatal(err)
	}
	if d := log.Runs[0].Tool.Driver; d.Version != "v1.2.3" || d.SemanticVersion != "1.2.3" {
		t.Errorf("SARIF tool.driver version %q semanticVersion %q, want v1.2.3 and 1.2.3", d.Version, d.SemanticVersion)
	}
	runOK(t, mod, nil, "go", "vet", "-vettool="+bin, "./...")
}

// runOK runs a command in dir and returns its standard output; it fails the
// test unless the command exits 0.
func runOK(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	// The -trimpath CGO_ENABLED=0 build recompiles the standard library
	// and every dependency: on a cold cache and a busy 2-core machine that
	// took longer than 5 minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}
