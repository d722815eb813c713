#!/usr/bin/env bash
# eval/scale.sh: grpccancelcheck at scale (issue 16), not part of per-push CI.
#
#   eval/scale.sh OUT [TARGET...]
#
# Runs the tool, with every analyzer flag on (-ctxdetach.ctx-funcs
# -ctxdeadline.streams), tests included, on each TARGET and, for
# comparison, the fact-bearing floor (eval/floor -floorfacts: the same
# driver type-checking the same packages with an analyzer that does
# nothing but carries a fact type). A TARGET is "std" or a directory
# whose module is analyzed with the pattern "all" (its whole build list);
# default: std and, when present, /work/evalsrc/etcd and /work/evalsrc/thanos
# (EVALSRC). It prints, per target:
#   - panics (must be 0);
#   - analysis errors not caused by type errors (must be 0): JSON "error"
#     entries other than "analysis skipped due to errors in package" and
#     "failed prerequisites" (a failure is counted where it happens, not
#     again in every action that depends on it);
#   - peak RSS and CPU (user+sys) of the tool and the floor, and the ratios;
#   - the ten slowest analysis actions (analyzer@package, from the driver's
#     -debug=tp timing, sequential; the driver times actions, not
#     functions) with the package's size in lines of Go and statements,
#     the time per thousand statements and the package's largest function
#     with its statements, so that a super-linear path shows up as an
#     outlier (per function, internal/stress's benchmarks measure growth);
#   - the ten slowest functions, with their statements, nodes and CPU time
#     per statement, and the outliers: functions more than ten times the
#     median time per statement and per node (of functions of 50 or more
#     statements) that take at least 1 ms (eval/functimes, from a run of its own with
#     GRPCCANCELCHECK_FUNCTIMES, the analyzers' per-function timing: the
#     thread CPU time of each step of the analyzers' walks, by the
#     top-level declaration the step is about, see internal/lint/functimes.go);
#     the outliers' packages are then analyzed again, alone, with the
#     collector off (GOGC=off, GOMEMLIMIT=RECHECK_MEMLIMIT, default 12GiB),
#     and the outliers that remain there are listed: a function's share of
#     the collector's assists, or of a package-wide cost its step triggers,
#     is not its own, a super-linear path stays in every run.
# Results: OUT/NAME.{json,err,floor.err,time,floor.time,timing,functimes,recheck}
# and OUT/scale.md.
#
# Environment: NICE (default 10), TIMING (default 1: the sequential timing
# run; 0 skips it), FUNCTIMES (default 1: the per-function run; 0 skips
# it), REUSE (1: summarize a target's earlier measurements in
# OUT instead of measuring again), EVALSRC. Needs go and GNU time
# (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:?usage: eval/scale.sh OUT [TARGET...]}
shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
evalsrc=${EVALSRC:-/work/evalsrc}
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
	targets=(std)
	for p in etcd thanos; do [[ -d $evalsrc/$p ]] && targets+=("$evalsrc/$p"); done
fi
nice=${NICE:-10}
(cd "$root" && go build -o "$out/grpccancelcheck" ./cmd/grpccancelcheck && go build -o "$out/floor" ./eval/floor
 go build -o "$out/scalesize" ./eval/scalesize && go build -o "$out/functimes" ./eval/functimes)
flags=(-ctxdetach.ctx-funcs -ctxdeadline.streams)

# measure NAME.SUFFIX DIR CMD...: GNU time's figures go to OUT/NAME.SUFFIX.time
measure() {
	local tag=$1 dir=$2
	shift 2
	(cd "$dir" && GOFLAGS=$goflags /usr/bin/time -f '%e %U %S %M' -o "$out/$tag.time" nice -n "$nice" "$@") || true
}

summary=$out/scale.md
{
	echo "| target | packages (with tests) | panics | our errors | CPU s (floor) | CPU ratio | peak RSS MB (floor) | RSS ratio |"
	echo "|---|---|---|---|---|---|---|---|"
} >"$summary"
slowest=$out/slowest.md
: >"$slowest"

for t in "${targets[@]}"; do
	if [[ $t == std ]]; then
		name=std dir=$root pat=std
	else
		name=$(basename "$t") dir=$t pat=all
	fi
	echo "== $name ($pat in $dir)" >&2
	goflags=-mod=mod # a workspace (etcd's go.work) takes no -mod=mod
	if [[ -n $(cd "$dir" && go env GOWORK) && $(cd "$dir" && go env GOWORK) != off ]]; then goflags=; fi
	if [[ ${REUSE:-0} == 1 && -s $out/$name.time && -s $out/$name.floor.time ]]; then
		echo "reusing the measurements in $out" >&2
	else
		measure "$name" "$dir" "$out/grpccancelcheck" -json "${flags[@]}" "$pat" >"$out/$name.json" 2>"$out/$name.err"
		measure "$name.floor" "$dir" "$out/floor" -floorfacts "$pat" >/dev/null 2>"$out/$name.floor.err"
	fi
	panics=$(cat "$out/$name.json" "$out/$name.err" | { grep -c 'panic' || true; })
	read -r _ errs < <("$out/scalesize" -errors "$out/$name.json")
	pkgs=$(cd "$dir" && GOFLAGS=$goflags go list -e -test "$pat" | wc -l)
	# The figures are GNU time's last line: before it, it writes "Command
	# exited with non-zero status N" when the tool reports findings.
	read -r _ u s m < <(tail -n1 "$out/$name.time")
	read -r _ fu fs fm < <(tail -n1 "$out/$name.floor.time")
	awk -v n="$name" -v p="$pkgs" -v pa="$panics" -v e="$errs" -v u="$u" -v s="$s" -v m="$m" -v fu="$fu" -v fs="$fs" -v fm="$fm" 'BEGIN {
		c = u + s; fc = fu + fs
		printf "| %s | %d | %d | %d | %.0f (%.0f) | %.2f | %.0f (%.0f) | %.2f |\n", n, p, pa, e, c, fc, (fc > 0 ? c / fc : 0), m / 1024, fm / 1024, (fm > 0 ? m / fm : 0)
	}' >>"$summary"
	if [[ ${TIMING:-1} == 1 ]]; then
		(cd "$dir" && GOFLAGS=$goflags nice -n "$nice" "$out/grpccancelcheck" -json -debug=tp "${flags[@]}" "$pat" >/dev/null 2>"$out/$name.timing") || true
		{
			echo "### $name: ten slowest analysis actions"
			echo
			(cd "$dir" && GOFLAGS=$goflags "$out/scalesize" -slowest 10 "$out/$name.timing")
			echo
		} >>"$slowest"
	fi
	if [[ ${FUNCTIMES:-1} == 1 ]]; then
		if [[ ${REUSE:-0} != 1 || ! -s $out/$name.functimes ]]; then
			rm -f "$out/$name.functimes"
			(cd "$dir" && GOFLAGS=$goflags GRPCCANCELCHECK_FUNCTIMES=$out/$name.functimes nice -n "$nice" "$out/grpccancelcheck" -json "${flags[@]}" "$pat" >/dev/null 2>"$out/$name.functimes.err") || true
		fi
		"$out/functimes" -pkgs "$out/$name.outlier-pkgs" "$out/$name.functimes" >/dev/null
		recheck=()
		if [[ -s $out/$name.outlier-pkgs ]]; then
			# The outliers' packages again, alone and with the collector
			# off: an outlier of the collector's assists or of a
			# package-wide cost its step triggered goes away, a
			# super-linear path stays (eval/functimes -recheck).
			rm -f "$out/$name.recheck"
			mapfile -t rpkgs <"$out/$name.outlier-pkgs"
			(cd "$dir" && GOFLAGS=$goflags GOGC=off GOMEMLIMIT=${RECHECK_MEMLIMIT:-12GiB} GRPCCANCELCHECK_FUNCTIMES=$out/$name.recheck nice -n "$nice" "$out/grpccancelcheck" -json "${flags[@]}" "${rpkgs[@]}" >/dev/null 2>"$out/$name.recheck.err") || true
			recheck=(-recheck "$out/$name.recheck")
		fi
		{
			echo "### $name: ten slowest functions"
			echo
			"$out/functimes" "${recheck[@]}" "$out/$name.functimes"
			echo
		} >>"$slowest"
	fi
done
cat "$summary" "$slowest"
