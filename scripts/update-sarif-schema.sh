#!/usr/bin/env bash
# Refresh internal/sarif/sariftest/sarif-schema-2.1.0.json, the official
# OASIS SARIF 2.1.0 JSON schema (errata01) that the SARIF tests validate
# against, from a package rather than by hand: the Go module
# github.com/owenrumney/go-sarif/v3 embeds it as the constant
# `schema` in pkg/report/v210/sarif/schema.go. The module comes from the Go
# module proxy; the source (module, version, file, sha256) is recorded in
# internal/sarif/sariftest/sarif-schema-2.1.0.json.source.
#
# Usage: scripts/update-sarif-schema.sh [VERSION]   (default: the recorded one)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=$root/internal/sarif/sariftest/sarif-schema-2.1.0.json
source_file=$dest.source
module=github.com/owenrumney/go-sarif/v3
file=pkg/report/v210/sarif/schema.go
version=${1:-$(sed -n 's/^version: //p' "$source_file" 2>/dev/null || true)}
version=${version:-v3.3.1}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$(cd "$tmp" && go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -n $dir && -f $dir/$file ]] || { echo "update-sarif-schema.sh: $module@$version has no $file" >&2; exit 1; }

# The constant is a raw string: everything between "const schema = `" and
# the closing backquote.
awk '
	/^const schema = `/ { on = 1; sub(/^const schema = `/, ""); if ($0 != "") print; next }
	on && /^`/ { exit }
	on { print }
' "$dir/$file" >"$tmp/schema.json"

grep -q '"id": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"' "$tmp/schema.json" ||
	{ echo "update-sarif-schema.sh: $module@$version: $file is not the OASIS 2.1.0 errata01 schema" >&2; exit 1; }

mv "$tmp/schema.json" "$dest"
cat >"$source_file" <<EOT
The official OASIS SARIF 2.1.0 JSON schema (errata01, "id":
https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
extracted by scripts/update-sarif-schema.sh from the Go module below, which
embeds it as a constant. Do not edit sarif-schema-2.1.0.json by hand.

module: $module
version: $version
file: $file (const schema)
sha256: $(sha256sum "$dest" | cut -d' ' -f1)
EOT
echo "$dest ($module@$version)"
