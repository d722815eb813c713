package version

import (
	"regexp"
	"strings"
	"testing"
)

// TestFull checks the -V=full line in the two forms go vet's -vettool
// protocol reads: a development build ("devel", ending in buildID=) and a
// stamped release (the whole line).
func TestFull(t *testing.T) {
	line, err := Full("grpccancelcheck")
	if err != nil {
		t.Fatal(err)
	}
	// A test binary is a development build with no stamped version.
	if !regexp.MustCompile(`^grpccancelcheck version devel( commit=\S+)?( date=\S+)? buildID=[0-9a-f]{64}$`).MatchString(line) {
		t.Errorf("development build: %q", line)
	}

	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "v1.2.3", "abc123", "2026-01-02T03:04:05Z"
	line, err = Full("grpccancelcheck")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(line)
	if len(f) != 6 || f[0] != "grpccancelcheck" || f[1] != "version" || f[2] != "v1.2.3" ||
		f[3] != "commit=abc123" || f[4] != "date=2026-01-02T03:04:05Z" || !strings.HasPrefix(f[5], "buildID=") {
		t.Errorf("release build: %q", line)
	}
	if got := Version(); got != "v1.2.3" {
		t.Errorf("Version() = %q, want v1.2.3", got)
	}
}
