#!/usr/bin/env bash
# Build a golangci-lint that contains grpccancelcheck's module plugin, from
# .golangci-plugin.yml (the `golangci-lint custom` configuration format),
# using only the Go module proxy.
#
# `golangci-lint custom` clones golangci-lint with git. This script does the
# same steps from the golangci-lint module instead: `go mod download` it,
# copy it to a temporary directory, write the plugin imports into
# cmd/golangci-lint/plugins.go, add a replace directive for each plugin given
# by path (or `go get` each plugin given by version), `go mod tidy`, and
# `go build ./cmd/golangci-lint` (scripts/gclbuild/gclbuild.go does these
# steps inside the copy).
#
# The binary is cached, keyed by the golangci-lint version, the Go version
# and platform, the configuration, these build scripts and a hash of the
# plugins' Go sources (non-test .go files, go.mod, go.sum; nested modules such
# as runtime/ left out, they are not part of the build): a second run with
# nothing changed only copies it. The three newest builds are kept.
#
# Usage: scripts/build-golangci.sh [-c CONFIG] [-o BINARY] [-f]
#   -c CONFIG  build configuration (default: .golangci-plugin.yml at the top)
#   -o BINARY  install the binary here instead of the configuration's
#              destination/name
#   -f         rebuild even when the cache has the binary
# Prints the installed binary's path on standard output; progress goes to
# standard error.
#
# Environment: GRPCCANCELCHECK_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/grpccancelcheck)
# holds the cached binaries; the usual Go variables (GOPROXY, GOFLAGS,
# GOMODCACHE, ...) apply.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=$root/.golangci-plugin.yml
out=
force=
while getopts c:o:fh opt; do
	case $opt in
	c) config=$OPTARG ;;
	o) out=$OPTARG ;;
	f) force=1 ;;
	*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "build-golangci.sh: unexpected arguments: $*" >&2; exit 2; }

log() { echo "build-golangci.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ -f $config ]] || die "no configuration at $config"
config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
configdir=$(dirname "$config")

# The two keys needed before the full parse: the golangci-lint version, and
# the local plugin paths (for the cache key). gclbuild.go parses the whole
# file and checks that it finds the same paths.
unquote() { sed -e 's/[[:space:]]#.*$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"; }
version=$(sed -n 's/^version:\(.*\)$/\1/p' "$config" | unquote | head -n1)
[[ $version == v* ]] || die "$config: no top-level 'version: vX.Y.Z' line"
name=$(sed -n 's/^name:\(.*\)$/\1/p' "$config" | unquote | head -n1)
destination=$(sed -n 's/^destination:\(.*\)$/\1/p' "$config" | unquote | head -n1)
paths=()
while IFS= read -r p; do
	[[ -n $p ]] || continue
	[[ $p == /* ]] || p=$configdir/$p
	[[ -d $p ]] || die "$config: plugin path $p is not a directory"
	paths+=("$(cd "$p" && pwd)")
done < <(sed -n 's/^[[:space:]-]*path:\(.*\)$/\1/p' "$config" | unquote)

# hash_sources DIR: a hash of what goes into the build from a plugin tree.
hash_sources() {
	(
		cd "$1"
		find . \( -name .git -o -name testdata -o -name node_modules -o -name '.?*' -o -name bin \) -prune -o \
			\( -type d ! -name . -exec test -e '{}/go.mod' \; \) -prune -o \
			-type f \( \( -name '*.go' ! -name '*_test.go' \) -o -name go.mod -o -name go.sum -o -name '*.s' \) -print |
			LC_ALL=C sort | xargs -r sha256sum
	) | sha256sum | cut -d' ' -f1
}

goversion=$(go env GOVERSION GOOS GOARCH | tr '\n' ' ')
key=$(
	{
		echo "golangci-lint $version"
		echo "go $goversion"
		sha256sum "$config" | cut -d' ' -f1
		cat "$root/scripts/build-golangci.sh" "$root/scripts/gclbuild/gclbuild.go" | sha256sum | cut -d' ' -f1
		for p in "${paths[@]}"; do echo "$p $(hash_sources "$p")"; done
	} | sha256sum | cut -c1-20
)
cache=${GRPCCANCELCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/grpccancelcheck}/golangci-lint
cached=$cache/$version-$key/${name:-custom-gcl}
mkdir -p "$cache"

tmp=
# The copy comes from the read-only module cache: make it writable to remove it.
trap '[[ -z $tmp ]] || { chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"; }' EXIT

build() {
	local src
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/build-golangci.XXXXXX")
	log "downloading github.com/golangci/golangci-lint/v2@$version from the module proxy"
	src=$(cd "$tmp" && go mod download -json "github.com/golangci/golangci-lint/v2@$version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -n $src && -d $src ]] || die "go mod download github.com/golangci/golangci-lint/v2@$version failed"
	cp -R "$src" "$tmp/golangci-lint"
	chmod -R u+w "$tmp/golangci-lint"
	cp "$root/scripts/gclbuild/gclbuild.go" "$tmp/golangci-lint/gclbuild.go"
	log "building (this takes a few minutes the first time)"
	(
		cd "$tmp/golangci-lint"
		GOWORK=off go run gclbuild.go -config "$config" -version "$version" -o "$tmp/binary" \
			-hashed-paths "$(printf '%s\n' "${paths[@]}")"
	)
	mkdir -p "$(dirname "$cached")"
	mv "$tmp/binary" "$cached.tmp$$"
	mv "$cached.tmp$$" "$cached"
	# Keep the three newest builds: each is some 50 MB.
	ls -1dt "$cache"/v*-*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
}

# One build at a time per cache (tests may run in parallel with a shell);
# without flock (util-linux), builds are not serialized.
exec 9>"$cache/.lock"
if command -v flock >/dev/null; then flock 9; fi
if [[ -n $force || ! -x $cached ]]; then
	build
else
	log "using cached $cached"
fi
exec 9>&-

if [[ -z $out ]]; then
	if [[ -n $destination ]]; then
		[[ $destination == /* ]] || destination=$configdir/$destination
		out=$destination/${name:-custom-gcl}
	else
		out=$configdir/${name:-custom-gcl}
	fi
fi
mkdir -p "$(dirname "$out")"
cp "$cached" "$out.tmp$$"
mv "$out.tmp$$" "$out"
echo "$out"
