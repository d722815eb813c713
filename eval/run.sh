#!/usr/bin/env bash
# eval/run.sh: grpccancelcheck's real-world evaluation (docs/evaluation.md).
#
#   eval/run.sh fetch    DIR   clone the pinned projects (eval/projects.txt)
#                              into DIR (or reuse a checkout already there),
#                              check out the pinned commit and download the
#                              modules their packages need
#   eval/run.sh load     DIR   load every project without any analyzer:
#                              packages, files and lines of Go, go list
#                              errors, and the time and peak RSS of the
#                              driver with a no-op fact-bearing analyzer
#                              (the same loading as grpccancelcheck, no
#                              findings printed); safe on validation projects
#   eval/run.sh findings DIR   run grpccancelcheck on every project twice,
#                              standalone, and summarize: findings per
#                              analyzer, load failures, crashes, whether the
#                              two runs print the same (and export the
#                              same facts: OUT/facts.txt)
#   eval/run.sh vet      DIR   the same under go vet -vettool, twice, on
#                              VET_PROJECT (default kratos), with two builds
#                              of the tool so that vet's cache is not reused
#   eval/run.sh bench    DIR   measure grpccancelcheck against the floors
#                              (eval/floor) and kkHAIKE/contextcheck, plus the
#                              go vet -vettool warm-cache re-run
#   eval/run.sh all      DIR   fetch (if needed), findings, vet, bench
#
# DIR holds one checkout per repository, named after its last path element
# (DIR/grpc-go, DIR/etcd, ...); "fetch" makes them with git, from MIRROR
# when it holds the repository, else from the network; or put them there any
# other way at the pinned commits. Results go to
# OUT (default DIR/results): OUT/findings/NAME.{1,2}.json and .err, the summary
# OUT/findings.md, OUT/bench/NAME.tsv and the summary OUT/bench.md.
#
# Roles (eval/projects.txt, second column): "tuned" and "tuning" projects
# are those whose findings may be read and fixed; "validation" projects are
# held out, their findings read once, before any change is made for them.
# "validation-next" projects are held out for the round after, and
# "validation-later" ones for the round after that. fetch and
# load take every role; findings, vet and bench take tuned and tuning only,
# unless ROLES names the others.
#
# Environment:
#   PROJECTS     names to run (default: all of eval/projects.txt)
#   ROLES        roles to run (default: all for fetch and load, "tuned
#                tuning" for the others)
#   FLAGS        grpccancelcheck flags for findings (-ctxdeadline.tests
#                checks the triage's findings in test files)
#   GOFLAGS      for every project; a projects.txt line may add its own
#                (GOFLAGS=-tags=tests before the patterns)
#   MIRROR       a directory of bare repositories to clone from instead of
#                the network: MIRROR/OWNER+NAME/repo (the layout of the
#                fetch tool's /work/.mirror), MIRROR/OWNER/NAME.git or
#                MIRROR/NAME.git
#   TRIAGE       triage files for the summary (default: eval/triage.tsv
#                and eval/triage-*.tsv)
#   REPS         measured rounds per tool and project (default 3)
#   GOMAXPROCS   for every measured process (default 1: CPU time is what
#                is compared, and one core keeps the figures steady on a
#                shared machine)
#   CONTEXTCHECK contextcheck binary (default: go install
#                github.com/kkHAIKE/contextcheck/cmd/contextcheck@v1.1.6)
#
# Needs go, git (for fetch), GNU time (/usr/bin/time) and the module proxy.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cmd=${1:-}
dir=${2:-}
if [[ -z $cmd || -z $dir ]]; then
	sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
out=${OUT:-$dir/results}
reps=${REPS:-3}
bin=$out/bin
mkdir -p "$out" "$bin"

# projects prints the selected lines of projects.txt, without the role.
projects() {
	local roles=${ROLES:-tuned tuning}
	grep -v '^#' "$here/projects.txt" | grep -v '^[[:space:]]*$' | while read -r name role repo commit mod pats; do
		if [[ -n ${PROJECTS:-} && " $PROJECTS " != *" $name "* ]]; then
			continue
		fi
		if [[ " $roles " != *" $role "* ]]; then
			[[ -z ${PROJECTS:-} ]] || echo "$name: skipped, role $role (ROLES=$roles)" >&2
			continue
		fi
		echo "$name $repo $commit $mod $pats"
	done
}

checkout() { echo "$dir/$(basename "$1")"; }

# projenv splits the package patterns of a projects.txt line: leading
# NAME=value words (e.g. GOFLAGS=-tags=tests) are exported for that project
# only, the rest is left in pats. Call it first thing in each project's
# iteration.
base_goflags=${GOFLAGS:-$(go env GOFLAGS)}
projenv() {
	local w rest=()
	for v in ${project_env:-}; do unset "$v"; done
	export GOFLAGS=$base_goflags
	project_env=
	for w in $pats; do
		if [[ ${#rest[@]} -eq 0 && $w =~ ^[A-Z_][A-Z0-9_]*= ]]; then
			if [[ ${w%%=*} == GOFLAGS ]]; then
				export GOFLAGS="${base_goflags:+$base_goflags }${w#*=}"
			else
				export "${w?}"
				project_env+=" ${w%%=*}"
			fi
		else
			rest+=("$w")
		fi
	done
	pats=${rest[*]}
}

build() {
	(cd "$root" && go build -o "$bin/grpccancelcheck" ./cmd/grpccancelcheck && go build -o "$bin/floor" ./eval/floor)
}

# list_errors is the go list template of a package's load errors: its own,
# its dependencies', and its module's (the driver fails on those too).
list_errors='{{with .Error}}{{$.ImportPath}}: {{.}}{{"\n"}}{{end}}{{range .DepsErrors}}{{$.ImportPath}}: {{.}}{{"\n"}}{{end}}{{with .Module}}{{with .Error}}{{$.ImportPath}}: module {{.Err}}{{"\n"}}{{end}}{{end}}'

# mirror prints the local bare repository of the URL $1 in MIRROR, if any.
mirror() {
	[[ -n ${MIRROR:-} ]] || return 0
	local path=${1#*://*/} # OWNER/NAME
	path=${path%.git}
	local owner=${path%%/*} name=${path##*/} m
	for m in "$MIRROR/$owner+$name/repo" "$MIRROR/$owner/$name.git" "$MIRROR/$name.git"; do
		if [[ -d $m ]]; then
			echo "$m"
			return
		fi
	done
}

fetch() {
	ROLES=${ROLES:-tuned tuning validation validation-next validation-later} projects | while read -r name repo commit mod pats; do
		projenv
		co=$(checkout "$repo")
		if [[ ! -d $co ]]; then
			src=$(mirror "$repo")
			if [[ -n $src ]]; then
				git clone --quiet --shared --no-checkout "$src" "$co"
			else
				git clone --quiet --filter=blob:none --no-checkout "$repo" "$co"
			fi
		fi
		if [[ -d $co/.git ]]; then
			# A mirror may lack its largest blobs (test data, binaries):
			# git then checks out everything else and fails; what counts
			# is that HEAD is the pinned commit and no .go file is missing.
			git -C "$co" -c advice.detachedHead=false checkout --quiet "$commit" 2>"$co.checkout.err" || true
			if [[ $(git -C "$co" rev-parse HEAD) != "$commit" ]]; then
				cat "$co.checkout.err" >&2
				echo "$name: $co is not at $commit" >&2
				exit 1
			fi
			if git -C "$co" ls-files --deleted | grep -q '\.go$'; then
				echo "$name: $co lacks .go files of $commit" >&2
				exit 1
			fi
			missing=$(git -C "$co" ls-files --deleted | wc -l)
			if [[ $missing -gt 0 ]]; then
				# An empty file in their place, so that a //go:embed of
				# test data still resolves (the analyzers never read it).
				echo "$name: $missing files of $commit missing (no .go file among them), left empty" >&2
				(cd "$co" && git ls-files --deleted -z | xargs -0 -r touch)
			fi
			rm -f "$co.checkout.err"
		fi
		echo "$name: $co/$mod at $commit" >&2
		# The modules the patterns' packages and tests need (go mod download
		# would fetch the whole graph, where the proxy may lack a module no
		# build uses); a module whose .info the proxy lacks loads in go list
		# but not in the analysis driver, so its error counts too.
		# go list's "go: downloading" progress lines on stderr are not
		# errors (a cold module cache prints one per module).
		errs=$(cd "$co/$mod" && go list -e -deps -test -f "$list_errors" $pats 2>&1 | grep -v -e '^[[:space:]]*$' -e '^go: downloading ' || true)
		if [[ -n $errs ]]; then
			head -5 <<<"$errs" >&2 # not echo | head: with pipefail, echo's SIGPIPE would end the run
			echo "$name: packages fail to load (eval/run.sh load lists the errors)" >&2
			touch "$out/fetch.failed"
		fi
	done
	if [[ -e $out/fetch.failed ]]; then
		rm -f "$out/fetch.failed"
		exit 1
	fi
}

# lines prints the lines of Go in the packages of the patterns $@ (their
# test files and cgo files included, for the current build tags): total,
# generated (a "Code generated ... DO NOT EDIT." line), and hand-written, of
# them in _test.go files.
lines() {
	go list -e -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .CgoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .TestGoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .XTestGoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}' "$@" 2>/dev/null |
		sort -u | tr '\n' '\0' | xargs -0 -r awk '
		function flush() { if (f != "") print n, gen, (f ~ /_test\.go$/) }
		FNR == 1 { flush(); f = FILENAME; n = 0; gen = 0 }
		{ n++; if (!gen && /^\/\/ Code generated .* DO NOT EDIT\.$/) gen = 1 }
		END { flush() }' |
		awk '{ tot += $1; if ($2) g += $1; else { h += $1; if ($3) t += $1 } }
			END { printf "%d %d %d %d\n", tot, g, h, t }'
}

load() {
	(cd "$root" && go build -o "$bin/floor" ./eval/floor)
	mkdir -p "$out/load"
	{
		echo "| project | role | packages | .go files (tests) | lines of Go: total, generated, hand-written (tests) | go list errors | load s | CPU s | peak RSS MiB | exit |"
		echo "|---|---|---:|---:|---|---:|---:|---:|---:|---:|"
	} >"$out/load.md"
	ROLES=${ROLES:-tuned tuning validation validation-next validation-later} projects | while read -r name repo commit mod pats; do
		projenv
		co=$(checkout "$repo")
		cd "$co/$mod"
		echo "load: $name" >&2
		role=$(awk -v n="$name" '$1 == n { print $2 }' "$here/projects.txt")
		size=$(go list -e -f '{{len .GoFiles}} {{len .TestGoFiles}} {{len .XTestGoFiles}}' $pats 2>/dev/null |
			awk '{p++; g+=$1; t+=$2+$3} END {print p, g, t}')
		# Errors in the patterns' packages, their tests and their
		# dependencies, as the driver will load them.
		go list -e -deps -test -f "$list_errors" $pats 2>&1 |
			grep -v '^[[:space:]]*$' | sort -u >"$out/load/$name.errors" || true
		loc=$(lines $pats)
		local t
		t=$(mktemp)
		set +e
		GOMAXPROCS=${GOMAXPROCS:-1} /usr/bin/time -f '%e %U %S %M %x' -o "$t" "$bin/floor" -floorfacts -json $pats \
			>/dev/null 2>"$out/load/$name.err"
		set -e
		read -r p g tf <<<"$size"
		read -r tot gen hand tests <<<"$loc"
		read -r wall user sys rss status <<<"$(tail -1 "$t")"
		rm -f "$t"
		printf '| %s | %s | %s | %s (%s) | %s, %s, %s (%s) | %s | %s | %.1f | %.0f | %s |\n' "$name" "$role" "$p" "$g" "$tf" \
			"$tot" "$gen" "$hand" "$tests" "$(wc -l <"$out/load/$name.errors")" "$wall" \
			"$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)" "$status" >>"$out/load.md"
	done
	echo "wrote $out/load.md" >&2
}

findings() {
	build
	mkdir -p "$out/findings"
	: >"$out/facts.txt"
	projects | while read -r name repo commit mod pats; do
		projenv
		cd "$(checkout "$repo")/$mod"
		echo "findings: $name" >&2
		pwd >"$out/findings/$name.root"
		go list -e -f '{{len .GoFiles}} {{len .TestGoFiles}} {{len .XTestGoFiles}}' $pats 2>/dev/null |
			awk '{p++; g+=$1; t+=$2+$3} END {print p, g, t}' >"$out/findings/$name.size"
		for run in 1 2; do
			# -json exits 0 with findings, 1 when packages fail to load;
			# anything else (a panic exits 2) is recorded as a crash.
			set +e
			"$bin/grpccancelcheck" -json ${FLAGS:-} $pats >"$out/findings/$name.$run.json" 2>"$out/findings/$name.$run.err"
			echo $? >"$out/findings/$name.$run.status"
			set -e
		done
		if cmp -s "$out/findings/$name.1.json" "$out/findings/$name.2.json"; then
			echo same >"$out/findings/$name.determinism"
		else
			echo differ >"$out/findings/$name.determinism"
		fi
		# Facts: the driver's -debug=f prints every fact as its analysis
		# ends, so analyzers and packages interleave as they finish; the
		# sets must be equal.
		for run in 1 2; do
			"$bin/grpccancelcheck" -debug=f ${FLAGS:-} $pats 2>&1 | grep ' has fact ' | sort >"$out/findings/$name.facts.$run" || true
		done
		if cmp -s "$out/findings/$name.facts.1" "$out/findings/$name.facts.2"; then
			echo "$name: two runs export the same $(wc -l <"$out/findings/$name.facts.1") facts"
		else
			echo "$name: the facts of two runs differ"
		fi >>"$out/facts.txt"
	done
	(cd "$root" && go run ./eval/summarize findings "$out/findings" ${TRIAGE:-eval/triage.tsv eval/triage-*.tsv}) >"$out/findings.md"
	echo "wrote $out/findings.md" >&2
}

vet() {
	local name=${VET_PROJECT:-kratos}
	mkdir -p "$out/vet"
	# Two builds that differ only in a linker flag have different build IDs,
	# so go vet's cache of the first run's results does not serve the second.
	for b in a b; do
		(cd "$root" && go build -ldflags="-X main.evalBuild=$b" -o "$bin/grpccancelcheck-$b" ./cmd/grpccancelcheck)
	done
	projects | while read -r pname repo commit mod pats; do
		[[ $pname == "$name" ]] || continue
		projenv
		cd "$(checkout "$repo")/$mod"
		for b in a b; do
			set +e
			go vet -vettool="$bin/grpccancelcheck-$b" $pats >"$out/vet/$name.$b.out" 2>&1
			set -e
		done
		# Findings: distinct lines with a position, not related positions
		# (printed indented after a tab) nor a test variant's repeat.
		n=$(grep '^[^#].*:[0-9]*:[0-9]*: ' "$out/vet/$name.a.out" | grep -v $': \t' | sort -u | wc -l)
		if cmp -s "$out/vet/$name.a.out" "$out/vet/$name.b.out"; then
			echo "vet: $name: two uncached runs print the same ($n findings)"
		elif cmp -s <(sort -s -t: -k1,1 "$out/vet/$name.a.out") <(sort -s -t: -k1,1 "$out/vet/$name.b.out"); then
			# go vet prints each package's output as its vet run ends, so
			# packages interleave differently from run to run; within a
			# file the order is ours.
			echo "vet: $name: two uncached runs print the same $n findings, in the same order within each file; go vet prints packages in the order they finish"
		else
			echo "vet: $name: the two runs differ:"
			diff "$out/vet/$name.a.out" "$out/vet/$name.b.out" | head -20
		fi
	done | tee "$out/vet.txt"
}

# measure TSV TOOL ROUND COMMAND...: one run under GNU time, appended to TSV
# as tool, round, wall s, user s, sys s, peak RSS KiB, exit status.
measure() {
	local tsv=$1 tool=$2 round=$3
	shift 3
	local t
	t=$(mktemp)
	set +e
	GOMAXPROCS=${GOMAXPROCS:-1} /usr/bin/time -f '%e %U %S %M %x' -o "$t" "$@" >/dev/null 2>&1
	set -e
	printf '%s\t%s\t%s\n' "$tool" "$round" "$(tr ' ' '\t' <"$t" | tail -1)" >>"$tsv"
	rm -f "$t"
}

bench() {
	build
	local cc=${CONTEXTCHECK:-}
	if [[ -z $cc ]]; then
		GOBIN=$bin go install github.com/kkHAIKE/contextcheck/cmd/contextcheck@v1.1.6
		cc=$bin/contextcheck
	fi
	mkdir -p "$out/bench"
	projects | while read -r name repo commit mod pats; do
		projenv
		cd "$(checkout "$repo")/$mod"
		tsv=$out/bench/$name.tsv
		printf 'tool\tround\twall\tuser\tsys\tmaxrss_kib\tstatus\n' >"$tsv"
		echo "bench: $name (load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))" >&2
		# Round 0 warms the build cache (export data for the floor without
		# facts) and the page cache; it is recorded but not counted.
		for round in $(seq 0 "$reps"); do
			measure "$tsv" floor "$round" "$bin/floor" -floor -json $pats
			measure "$tsv" floorfacts "$round" "$bin/floor" -floorfacts -json $pats
			measure "$tsv" grpccancelcheck "$round" "$bin/grpccancelcheck" -json $pats
			measure "$tsv" contextcheck "$round" "$cc" -json $pats
		done
		# go vet: the first run fills vet's cache, the second is the warm
		# re-run a developer sees when nothing changed.
		measure "$tsv" vet-cold 0 go vet -vettool="$bin/grpccancelcheck" $pats
		for round in $(seq 1 "$reps"); do
			measure "$tsv" vet-warm "$round" go vet -vettool="$bin/grpccancelcheck" $pats
		done
		echo "load after $name: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" >>"$out/bench/load.txt"
	done
	(cd "$root" && go run ./eval/summarize bench "$out/bench") >"$out/bench.md"
	echo "wrote $out/bench.md" >&2
}

case $cmd in
fetch) fetch ;;
load) load ;;
findings) findings ;;
vet) vet ;;
bench) bench ;;
all)
	fetch
	findings
	vet
	bench
	;;
*)
	echo "unknown command $cmd" >&2
	exit 2
	;;
esac
