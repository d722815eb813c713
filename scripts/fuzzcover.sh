#!/usr/bin/env bash
# scripts/fuzzcover.sh: which lines of the analyzers the fuzzer's generated
# programs reach (issue 16: the grammar must reach the newest code paths).
# Coverage of TestGenerated alone says little: most of it is the analysis of
# grpc and the standard library, which every run loads first. So it runs
# TestGenerated twice with -covermode=count, with no program (the
# dependencies' analysis alone) and with N programs, and keeps the blocks
# whose count grew: what the programs reached. It prints, per file of
# FILES (default: every file of the analyzers and of internal/grpcctx),
# the share of statements reached, and writes the difference profile to
# OUT/programs.out (go tool cover -func or -html reads it).
#   scripts/fuzzcover.sh OUT [N] [FILE-REGEXP]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fuzzcover.sh OUT [N] [FILE-REGEXP]}
n=${2:-300}
files=${3:-.}
mkdir -p "$out"
for run in base:0 programs:"$n"; do
	name=${run%%:*}
	nice -n "${NICE:-10}" go test ./internal/fuzzgen -run '^TestGenerated$' -count=1 -covermode=count \
		-coverpkg=./analyzers/...,./internal/grpcctx -coverprofile "$out/$name.raw" -args -fuzzgen.programs="${run##*:}" >"$out/$name.log" 2>&1 ||
		{ tail -20 "$out/$name.log"; exit 1; }
done
# The difference, block by block (a block may be listed more than once:
# summed).
awk 'FNR == 1 { file++; next }
	{ key = $1; stmts[key] = $2; count[file, key] += $3; if (file == 2 && !(key in seen)) { seen[key] = 1; order[++n] = key } }
	END {
		print "mode: count"
		for (i = 1; i <= n; i++) { k = order[i]; d = count[2, k] - count[1, k]; printf "%s %d %d\n", k, stmts[k], (d > 0 ? d : 0) }
	}' "$out/base.raw" "$out/programs.raw" >"$out/programs.out"
awk -v re="$files" 'NR > 1 {
	split($1, a, ":"); f = a[1]
	if (f !~ re) next
	total[f] += $2; if ($3 > 0) hit[f] += $2
} END {
	for (f in total) printf "%5.1f%%  %5d/%-5d %s\n", 100 * hit[f] / total[f], hit[f], total[f], f
}' "$out/programs.out" | sort -k3
