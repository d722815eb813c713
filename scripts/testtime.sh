#!/usr/bin/env bash
# Measure the test suite and print the figures:
#   1. `go test ./...` cold: empty build cache, module cache and golangci-lint
#      cache, in temporary directories (the Go module proxy must be
#      reachable);
#   2. `go test -short ./...` warm: the same caches, test results not cached.
# Both are the first tier; the integration tier (-tags integration, see
# internal/fixturetest/tier.go) is what .ci/run adds, timed by CI's run.
# Tests whose program is missing (pre-commit) skip, as README says, unless
# CI is set in the environment.
# The per-package times of each run are printed too. Targets (issue 11, on
# the 2-core development machine): cold <= 4 min, short warm <= 60 s.
#
# Usage: scripts/testtime.sh [extra go test flags]   (e.g. -p 2)
# Environment: KEEP=1 keeps the temporary caches (their path is printed);
# SHORT_ONLY=1 measures only the warm -short run, on the usual caches;
# HELPER_CACHE=1 lets the cold run use the golangci-lint binary cached for
# these plugin sources (the build and module caches are still empty).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/testtime.XXXXXX")
cleanup() { if [[ -z ${KEEP:-} ]]; then chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"; else echo "caches kept in $tmp"; fi; }
trap cleanup EXIT
export GOCACHE=$tmp/gocache GOMODCACHE=$tmp/gomodcache
# HELPER_CACHE=1 keeps the user's cache of built golangci-lint binaries
# (keyed by their sources, scripts/build-golangci.sh) for the cold run.
[[ -n ${HELPER_CACHE:-} ]] || export GRPCCANCELCHECK_CACHE=$tmp/grpccancelcheck
export GOFLAGS=${GOFLAGS:--mod=mod}

# timed LABEL go test ARGS...: runs go test, keeps its output in
# $tmp/LABEL.out, prints the wall time, the CPU time of go test and all it
# ran (user + system: on a shared machine the figure that does not depend
# on what else runs), the load average before and after, and the
# per-package lines, each with the CPU time of its test binary and what
# that ran (go test -exec runs each binary under /usr/bin/time).
timed() {
	local label=$1; shift
	local start end status=0 load0 cpu="" exec=()
	load0=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s.%N)
	if [[ -x /usr/bin/time ]]; then
		cat >"$tmp/cputime" <<-'WRAP'
		#!/bin/sh
		# cputime FILE CMD...: runs CMD (a test binary, in its package's
		# directory) and appends "DIRECTORY USER SYSTEM" to FILE.
		file=$1; shift
		/usr/bin/time -o "$file.$$" -f '%U %S' "$@"
		status=$?
		echo "$PWD $(tail -n1 "$file.$$")" >>"$file"
		rm -f "$file.$$"
		exit $status
		WRAP
		chmod +x "$tmp/cputime"
		: >"$tmp/$label.pkgcpu"
		exec=(-exec "$tmp/cputime $tmp/$label.pkgcpu")
		/usr/bin/time -o "$tmp/$label.cpu" -f '%U %S' "$1" "${@:2:1}" "${exec[@]}" "${@:3}" >"$tmp/$label.out" 2>&1 || status=$?
		cpu=$(awk 'END { printf "%.1f", $1 + $2 }' "$tmp/$label.cpu")
	else
		"$@" >"$tmp/$label.out" 2>&1 || status=$?
	fi
	end=$(date +%s.%N)
	printf '%-28s %7.1f s wall  %7s s cpu  load %s -> %s  (exit %d)  %s\n' "$label" "$(echo "$end - $start" | bc)" \
		"${cpu:-?}" "$load0" "$(cut -d' ' -f1 /proc/loadavg)" "$status" "$*"
	# The per-package lines, with the CPU time of each test binary.
	awk -v root="$PWD" -v module="$(go list -m)" '
		FILENAME == ARGV[1] { d = $1; sub("^" root, "", d); cpu[module d] = sprintf("%.1f", $2 + $3); next }
		/^(ok|FAIL|---|panic)/ {
			if (($1 == "ok" || $1 == "FAIL") && ($2 in cpu)) {
				p = $2; sub("^" module "/?", "", p)
				printf "    %-4s %-34s %9s wall %7s s cpu\n", $1, (p == "" ? "." : p), $3, cpu[$2]
			} else { print "    " $0 }
		}' "$tmp/$label.pkgcpu" "$tmp/$label.out" 2>/dev/null || grep -E '^(ok|FAIL|---|panic)' "$tmp/$label.out" | sed 's/^/    /' || true
	return 0
}

echo "go: $(go version)   cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n ${SHORT_ONLY:-} ]]; then
	# The warm figure alone, on this user's own caches: one untimed run
	# to warm them, then the timed one.
	unset GOCACHE GOMODCACHE GRPCCANCELCHECK_CACHE
	go test -short "$@" ./... >/dev/null 2>&1 || true
	timed warm-go-test-short go test -count=1 -short "$@" ./...
	exit 0
fi
timed cold-go-test go test -count=1 -timeout 30m "$@" ./...
timed warm-go-test-short go test -count=1 -short "$@" ./...
