// Package version says which grpccancelcheck a binary is: the release it
// was stamped with at build time, else the module version the go command
// recorded (go install ...@v0.1.0), else a development build.
//
// Release builds (.goreleaser.yaml) stamp it with
//
//	-ldflags "-X github.com/grpccancelcheck/grpccancelcheck/internal/version.version=v0.1.0
//	          -X github.com/grpccancelcheck/grpccancelcheck/internal/version.commit=SHA
//	          -X github.com/grpccancelcheck/grpccancelcheck/internal/version.date=RFC3339"
package version

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Set at link time by release builds; empty otherwise.
var version, commit, date string

// Info describes a build.
type Info struct {
	Version string // "v0.1.0", or "" for a development build
	Commit  string // the VCS revision, when known
	Date    string // the commit's or the build's time, when known
}

// Get returns the build's Info: the stamped values, completed from the
// build information the go command embeds.
func Get() Info {
	info := Info{Version: version, Commit: commit, Date: date}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && info.Commit == "":
			info.Commit = s.Value
		case s.Key == "vcs.time" && info.Date == "":
			info.Date = s.Value
		}
	}
	return info
}

// Version returns the release or module version, or "" for a development
// build.
func Version() string { return Get().Version }

// Full returns the line that -V=full prints, in the form go vet's
// -vettool protocol reads ("NAME version VERSION ... buildID=ID"): go vet
// keys its cache on the whole line of a release and on the build ID of a
// development build ("devel"), so both end in a hash of the executable.
func Full(name string) (string, error) {
	info := Get()
	var b strings.Builder
	fmt.Fprintf(&b, "%s version %s", name, cmp.Or(info.Version, "devel"))
	if info.Commit != "" {
		fmt.Fprintf(&b, " commit=%s", info.Commit)
	}
	if info.Date != "" {
		fmt.Fprintf(&b, " date=%s", info.Date)
	}
	id, err := executableHash()
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, " buildID=%s", id)
	return b.String(), nil
}

func executableHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
