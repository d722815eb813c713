#!/usr/bin/env bash
# The run logic of the grpccancelcheck GitHub Action (action.yml), kept in
# a script so that a test can run it outside GitHub
# (integration/ghactions/action_test.go). From the current directory (the
# module to check):
#
#  1. builds grpccancelcheck from the action's own checkout
#     (GITHUB_ACTION_PATH, at the ref the workflow's `uses:` names), stamped
#     with that ref when it is a release tag or a commit; or, when
#     INPUT_VERSION is set, installs that version with go install;
#  2. runs `grpccancelcheck -sarif $INPUT_FLAGS $INPUT_PACKAGES` into
#     $INPUT_SARIF_FILE;
#  3. registers the problem matcher .github/grpccancelcheck-matcher.json and
#     prints every result as "file:line:col: message [analyzer:category]",
#     which the matcher turns into annotations;
#  4. writes the outputs sarif-file and findings to $GITHUB_OUTPUT.
#
# Exit status: 0 when the analysis ran (with findings only if
# INPUT_FAIL_ON_FINDINGS is false); 1 when there are findings and
# INPUT_FAIL_ON_FINDINGS is true (the default); 2 when the tool could not be
# built or the analysis did not run completely (bad flags, packages that do
# not load): the SARIF log, if written, still says why.
#
# Environment: GITHUB_ACTION_PATH (required: the action's checkout),
# ACTION_REF (github.action_ref), RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_WORKSPACE, and the
# inputs INPUT_VERSION, INPUT_PACKAGES (default ./...), INPUT_FLAGS,
# INPUT_SARIF_FILE (default grpccancelcheck.sarif), INPUT_FAIL_ON_FINDINGS
# (default true). INPUT_PACKAGES and INPUT_FLAGS are split on white space.
set -euo pipefail

action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH must name the action checkout}
module=github.com/grpccancelcheck/grpccancelcheck
packages=${INPUT_PACKAGES:-./...}
flags=${INPUT_FLAGS:-}
sarif=${INPUT_SARIF_FILE:-grpccancelcheck.sarif}
fail=${INPUT_FAIL_ON_FINDINGS:-true}
version=${INPUT_VERSION:-}
ref=${ACTION_REF:-${GITHUB_ACTION_REF:-}}
case $fail in true | false) ;; *) echo "grpccancelcheck action: fail-on-findings must be true or false, not \"$fail\"" >&2; exit 2 ;; esac

bin=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/grpccancelcheck-action.XXXXXX")
trap 'rm -rf "$bin"' EXIT

# The builds ignore the checked module's GOFLAGS (-mod=vendor, tags) and
# workspace: they build the action's own module.
build() { (cd "$action" && GOFLAGS= GOWORK=off go build "$@"); }

echo "::group::Install grpccancelcheck"
if ! build -o "$bin/annotate" ./action/annotate; then
	echo "grpccancelcheck action: cannot build action/annotate" >&2; exit 2
fi
if [ -n "$version" ]; then
	if ! GOBIN=$bin GOFLAGS= GOWORK=off go install "$module/cmd/grpccancelcheck@$version"; then
		echo "grpccancelcheck action: cannot install $module/cmd/grpccancelcheck@$version" >&2; exit 2
	fi
else
	pkg=$module/internal/version
	ldflags=
	if [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
		ldflags="-X $pkg.version=$ref"
	elif [[ $ref =~ ^[0-9a-f]{40}$ ]]; then
		ldflags="-X $pkg.commit=$ref"
	fi
	if ! build -trimpath -ldflags "$ldflags" -o "$bin/grpccancelcheck" ./cmd/grpccancelcheck; then
		echo "grpccancelcheck action: cannot build grpccancelcheck from $action" >&2; exit 2
	fi
fi
"$bin/grpccancelcheck" -V=full
echo "::endgroup::"

read -ra pkgs <<<"$packages"
read -ra extra <<<"$flags"
status=0
"$bin/grpccancelcheck" -sarif "${extra[@]}" "${pkgs[@]}" >"$sarif" || status=$?
if [ "$status" -ne 0 ] && [ ! -s "$sarif" ]; then
	echo "grpccancelcheck action: grpccancelcheck -sarif exited with status $status and wrote no log" >&2
	exit 2
fi

annotations=$bin/annotations
"$bin/annotate" "$sarif" >"$annotations"
findings=$(grep -c '' "$annotations" || true)
echo "::add-matcher::$action/.github/grpccancelcheck-matcher.json"
cat "$annotations"
echo "::remove-matcher owner=grpccancelcheck::"

abs=$(cd "$(dirname "$sarif")" && pwd)/$(basename "$sarif")
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	{ echo "sarif-file=$abs"; echo "findings=$findings"; } >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
	echo "grpccancelcheck: $findings finding(s); rules: https://$module/blob/main/docs/rules.md" >>"$GITHUB_STEP_SUMMARY"
fi

if [ "$status" -ne 0 ]; then
	echo "grpccancelcheck action: the analysis did not run completely (exit status $status); see the messages above" >&2
	exit 2
fi
echo "grpccancelcheck: $findings finding(s)"
if [ "$findings" -gt 0 ] && [ "$fail" = true ]; then
	exit 1
fi
