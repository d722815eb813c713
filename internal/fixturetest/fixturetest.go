// Package fixturetest locates the fixture module (testdata/, a Go module of
// its own) for the analyzers' tests and makes sure its dependencies are in
// the module cache: analysistest loads it with GOPROXY=off.
package fixturetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	once    sync.Once
	dir     string
	prepErr error
)

// Dir returns the absolute path of the fixture module, downloading its
// dependencies through the configured module proxy on first use.
func Dir(t testing.TB) string {
	t.Helper()
	FewerCollections()
	once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "testdata")
		cmd := exec.Command("go", "mod", "download")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			prepErr = &downloadError{err: err, out: string(out)}
		}
	})
	if prepErr != nil {
		t.Fatal(prepErr)
	}
	return dir
}

type downloadError struct {
	err error
	out string
}

func (e *downloadError) Error() string {
	return "go mod download in testdata: " + e.err.Error() + "\n" + e.out
}
