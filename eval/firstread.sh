#!/usr/bin/env bash
# eval/firstread.sh: one run of a frozen grpccancelcheck on the projects of a
# role, for a first read (docs/evaluation.md's validation rounds).
#
#   eval/firstread.sh BIN DIR OUT [ROLE [NAME...]]
#
# BIN is the tool, built from `git archive` of the commit the round freezes;
# DIR holds the checkouts (eval/run.sh fetch DIR); ROLE defaults to
# validation-next; NAMEs pick lines of it. For each line of eval/projects.txt
# of that role it runs BIN -json in the line's module directory, with the
# line's own GOFLAGS, once with default flags (OUT/NAME.json) and once with
# -ctxdeadline.tests (OUT/NAME.tests.json), keeping the error output, the
# exit status and the wall time of each (.err, .status, .time). Then
#
#   go run ./eval/summarize rows OUT DIR
#
# prints the findings as the readers' rows (see eval/summarize). Needs go.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: eval/firstread.sh BIN DIR OUT [ROLE [NAME...]]}
dir=${2:?usage: eval/firstread.sh BIN DIR OUT [ROLE [NAME...]]}
out=${3:?usage: eval/firstread.sh BIN DIR OUT [ROLE [NAME...]]}
role=${4:-validation-next}
shift $(($# < 4 ? $# : 4))
mkdir -p "$out"
grep -v '^#' "$here/projects.txt" | awk -v r="$role" '$2 == r' | while read -r name _ url _ mod pats; do
	if [[ $# -gt 0 ]] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	goflags=""
	if [[ $pats == GOFLAGS=* ]]; then
		goflags=${pats%% *} goflags=${goflags#GOFLAGS=} pats=${pats#* }
	fi
	for run in "" .tests; do
		extra=()
		[[ $run == .tests ]] && extra=(-ctxdeadline.tests)
		start=$(date +%s)
		# shellcheck disable=SC2086 # the patterns are words
		(cd "$dir/$(basename "$url")/$mod" && GOFLAGS=$goflags "$bin" -json "${extra[@]}" $pats >"$out/$name$run.json" 2>"$out/$name$run.err"
			echo $? >"$out/$name$run.status")
		echo $(($(date +%s) - start)) >"$out/$name$run.time"
		echo "$name$run: exit $(cat "$out/$name$run.status"), $(cat "$out/$name$run.time") s" >&2
	done
done
