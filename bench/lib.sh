# SPDX-License-Identifier: GPL-2.0-or-later
# bench/lib.sh (sourced by the bench/NAME scripts): options, the build,
# running one bench scenario (bench/lab/NN-NAME.sh) in the lab, and
# medians over its results (one JSON object per line in bench.jsonl).

bench_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_runs=3 bench_json=0

bench_args() { # "$@" of the bench script
	while [ $# -gt 0 ]; do
		case $1 in
		--runs) bench_runs=$2; shift 2 ;;
		--json) bench_json=1; shift ;;
		*) echo "usage: $0 [--runs N] [--json]" >&2; exit 2 ;;
		esac
	done
}

# bench_lab SCENARIO SECONDS-PER-RUN: runs it in the lab (builds cgw into
# build/ first if needed); sets BENCH_RESULTS to its bench.jsonl.
bench_lab() {
	local build=${CGW_BUILDDIR:-$bench_top/build} work
	[ -x "$build/src/cgwd/cgwd" ] || "$bench_top/quickstart.sh" build >&2
	work=$build/tests/lab/.work
	CGW_BUILDDIR=$build LAB_WORKDIR=$work LAB_SCENARIO_DIR=$bench_top/bench/lab \
		LAB_BENCH_RUNS=$bench_runs LAB_SCENARIO_TIMEOUT=$((bench_runs * $2)) \
		LAB_TIMEOUT=$((bench_runs * $2 + 300)) \
		"$bench_top/tests/lab/run" -s "$1" >&2
	BENCH_RESULTS=$work/share/results/$1/bench.jsonl
}

# bench_stats GATEWAY FIELD -> "median max n"
bench_stats() {
	grep "\"gateway\":\"$1\"" "$BENCH_RESULTS" | sed -n "s/.*\"$2\":\(-\{0,1\}[0-9]*\).*/\1/p" | sort -n |
		awk '{ v[NR] = $1 } END { if (!NR) { print "0 0 0"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[NR], NR }'
}
