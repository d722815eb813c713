package fixturetest

import "testing"

// The test suite has two tiers. `go test ./...` runs the first: the
// analyzers, the model and every in-process check (a few minutes on a cold
// 2-core machine). The integration tier adds what drives real programs or
// the command in subprocesses — go vet -vettool, a golangci-lint built with
// the plugin, pre-commit, the nogo-like driver, the editors' and GitHub's
// problem matchers, the driver-agreement tests, -fix — and runs with
// `go test -tags integration ./...` (README, .ci/run). -short skips both
// the integration tier and the in-process tests that load packages from
// source.

// Integration skips t unless the tests are built with -tags integration,
// and always with -short: t drives real programs or the command in a
// subprocess.
func Integration(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("an integration test: not with -short")
	}
	if !integration {
		t.Skip("an integration test: run go test -tags integration")
	}
}
