package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFilePath(t *testing.T) {
	for _, tc := range []struct {
		uri      string
		relative bool
		prefix   string
		want     string
		ok       bool
	}{
		{"server/server.go", true, "", "server/server.go", true},
		{"server/server.go", true, "svc", "svc/server/server.go", true},
		{"dir%20with%20space/a.go", true, "", "dir with space/a.go", true},
		{"file:///src/a.go", false, "svc", "/src/a.go", true},
		{"server/server.go", false, "", "", false}, // relative without a base: unplaceable
		{"https://example.com/a.go", false, "", "", false},
	} {
		got, ok := filePath(tc.uri, tc.relative, tc.prefix)
		if ok != tc.ok || got != filepath.FromSlash(tc.want) {
			t.Errorf("filePath(%q, %v, %q) = %q, %v; want %q, %v", tc.uri, tc.relative, tc.prefix, got, ok, tc.want, tc.ok)
		}
	}
}

func TestWorkspacePrefix(t *testing.T) {
	ws := t.TempDir()
	sub := filepath.Join(ws, "svc", "api")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ workspace, wd, want string }{
		{ws, sub, "svc/api"},
		{ws, ws, ""},
		{sub, ws, ""}, // outside the workspace
		{"", sub, ""},
	} {
		t.Setenv("GITHUB_WORKSPACE", tc.workspace)
		t.Chdir(tc.wd)
		if got := workspacePrefix(); got != tc.want {
			t.Errorf("workspace %q, wd %q: prefix %q, want %q", tc.workspace, tc.wd, got, tc.want)
		}
	}
}
