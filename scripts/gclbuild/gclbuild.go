//go:build ignore

// gclbuild builds a custom golangci-lint the way `golangci-lint custom`
// does, minus its git clone: scripts/build-golangci.sh copies the
// golangci-lint module (from the Go module proxy) into a temporary directory,
// drops this file into it and runs it there. It reads a configuration in the
// `golangci-lint custom` format (.custom-gcl.yml; ours is
// .golangci-plugin.yml), then, in the golangci-lint source tree that is its
// working directory:
//
//  1. writes cmd/golangci-lint/plugins.go, which imports every plugin;
//  2. adds a replace directive for each plugin given by path, or `go get`s
//     each plugin given by version;
//  3. runs `go mod tidy`;
//  4. builds ./cmd/golangci-lint with the same -ldflags as `custom`.
//
// It uses golangci-lint's own YAML dependency, so it needs nothing that the
// golangci-lint module does not already require.
//
// Usage (from the golangci-lint source tree):
//
//	go run gclbuild.go -config FILE -version VERSION -o BINARY
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"go/format"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// config mirrors golangci-lint's custom configuration (.custom-gcl.yml).
type config struct {
	Version     string   `yaml:"version"`
	Name        string   `yaml:"name,omitempty"`
	Destination string   `yaml:"destination,omitempty"`
	Plugins     []plugin `yaml:"plugins,omitempty"`
}

type plugin struct {
	Module  string `yaml:"module"`
	Import  string `yaml:"import,omitempty"`
	Version string `yaml:"version,omitempty"`
	Path    string `yaml:"path,omitempty"`
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gclbuild: ")
	configFile := flag.String("config", "", "configuration in the `golangci-lint custom` format")
	version := flag.String("version", "", "the golangci-lint version of this source tree")
	out := flag.String("o", "", "where to write the binary")
	hashedPaths := flag.String("hashed-paths", "", "newline-separated plugin paths the caller keyed its cache on; checked against the configuration")
	flag.Parse()
	if *configFile == "" || *version == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	cfg, err := load(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	if cfg.Version != *version {
		log.Fatalf("%s: version %s, but this source tree is golangci-lint %s", *configFile, cfg.Version, *version)
	}
	if *hashedPaths != "" {
		var paths []string
		for _, p := range cfg.Plugins {
			if p.Path != "" {
				paths = append(paths, p.Path)
			}
		}
		hashed := strings.Fields(*hashedPaths)
		slices.Sort(paths)
		slices.Sort(hashed)
		if !slices.Equal(paths, hashed) {
			log.Fatalf("%s: plugin paths %q, but the build script hashed %q: write each path as `path: DIR` on its own line", *configFile, paths, hashed)
		}
	}
	if err := writePluginsFile(cfg); err != nil {
		log.Fatal(err)
	}
	for _, p := range cfg.Plugins {
		if p.Path != "" {
			run("go", "mod", "edit", "-replace", p.Module+"="+p.Path)
		} else {
			run("go", "get", p.Module+"@"+p.Version)
		}
	}
	run("go", "mod", "tidy")
	v, err := customVersion(cfg)
	if err != nil {
		log.Fatal(err)
	}
	run("go", "build",
		"-ldflags", fmt.Sprintf("-s -w -X 'main.version=%s' -X 'main.date=%s'", v, time.Now().UTC().String()),
		"-o", *out, "./cmd/golangci-lint")
}

// load reads and validates the configuration with the rules of
// `golangci-lint custom`; relative plugin paths are taken from the
// configuration file's directory (custom reads .custom-gcl.yml from the
// current directory, so the two agree).
func load(file string) (*config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var cfg config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if strings.TrimSpace(cfg.Version) == "" {
		return nil, fmt.Errorf("%s: root field 'version' is required", file)
	}
	if strings.TrimSpace(cfg.Name) == "" {
		cfg.Name = "custom-gcl"
	}
	if len(cfg.Plugins) == 0 {
		return nil, fmt.Errorf("%s: no plugins defined", file)
	}
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	for i := range cfg.Plugins {
		p := &cfg.Plugins[i]
		switch {
		case strings.TrimSpace(p.Module) == "":
			return nil, fmt.Errorf("%s: plugin %d: field 'module' is required", file, i+1)
		case p.Path == "" && p.Version == "":
			return nil, fmt.Errorf("%s: plugin %s: 'version' or 'path' should be provided", file, p.Module)
		case p.Path != "" && p.Version != "":
			return nil, fmt.Errorf("%s: plugin %s: 'version' and 'path' should not be provided at the same time", file, p.Module)
		}
		if p.Import == "" {
			p.Import = p.Module
		}
		if p.Path != "" && !filepath.IsAbs(p.Path) {
			p.Path = filepath.Join(dir, p.Path)
		}
	}
	return &cfg, nil
}

// writePluginsFile replaces cmd/golangci-lint/plugins.go with blank imports
// of the plugins, whose init functions register them.
func writePluginsFile(cfg *config) error {
	var b bytes.Buffer
	b.WriteString("package main\n\nimport (\n")
	for _, p := range cfg.Plugins {
		fmt.Fprintf(&b, "\t_ %q\n", p.Import)
	}
	b.WriteString(")\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	dest := filepath.Join("cmd", "golangci-lint", "plugins.go")
	if _, err := os.Stat(dest); err != nil {
		return fmt.Errorf("not a golangci-lint source tree: %w", err)
	}
	return os.WriteFile(dest, src, 0o644)
}

// customVersion is the version string `custom` stamps: the golangci-lint
// version, "-custom-gcl-", and a hash of the plugins.
func customVersion(cfg *config) (string, error) {
	h := sha256.New()
	for _, p := range cfg.Plugins {
		if p.Path == "" {
			h.Write([]byte(p.Module + "@" + p.Version))
			continue
		}
		dh, err := hashTree(p.Path)
		if err != nil {
			return "", err
		}
		h.Write([]byte(dh))
	}
	return sanitize(cfg.Version) + "-custom-gcl-" + sanitize(base64.URLEncoding.EncodeToString(h.Sum(nil))), nil
}

// hashTree hashes the regular files under dir, skipping VCS metadata.
func hashTree(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(h, "%x  %s\n", sha256.Sum256(data), filepath.ToSlash(rel))
		return nil
	})
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), err
}

func sanitize(v string) string {
	return strings.Join(strings.FieldsFunc(v, func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsNumber(c) && c != '.' && c != '/'
	}), "")
}

func run(name string, args ...string) {
	log.Printf("run: %s %s", name, strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
}
