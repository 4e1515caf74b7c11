#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 54-recovery (bench/recovery): recovery_run (tests/lab/recovery.sh) for
# cgw and for the baseline gateway, LAB_BENCH_RUNS times each, each on a
# fresh lab.  One JSON line per run into $LAB_OUT/bench.jsonl; -1 = not
# back within REC_WAIT.
. "$LAB_DIR/lib.sh"
out=$LAB_OUT/bench.jsonl
mkdir -p "$LAB_OUT"; : >"$out"

ms() { awk -v x="$1" 'BEGIN { printf "%.0f", x < 0 ? -1 : x * 1000 }'; }

one_run() { # GATEWAY RUN
	LAB_GATEWAY=$1
	. "$LAB_DIR/scenario.sh"
	. "$LAB_DIR/recovery.sh"
	lab_scenario_begin
	topo_up >/dev/null || lab_fail "topology"
	lab_aws_files || lab_fail "awsgen"
	vgw_start "$LAB_JSON" >/dev/null || lab_fail "vgw"
	gw_start "$LAB_JSON" >/dev/null || lab_fail "$1 start"
	gw_wait_up 120
	[ "$1" = cgw ] && cgw_wait_usable
	lab_wait 30 "traffic" nsx onprem-host ping -c 1 -W 1 "$VPC_HOST" || lab_fail "no traffic"
	REC_WAIT=200 recovery_run
	printf '{"gateway":"%s","run":%d,"outside_link_ms":%s,"both_paths_ms":%s,"endpoint_replaced_ms":%s,"endpoint_replaced_gap_ms":%s}\n' \
		"$1" "$2" "$(ms "$REC_LINK")" "$(ms "$REC_PATHS")" "$(ms "$REC_REPLACED")" \
		"$(ms "$REC_REPLACED_GAP")" >>"$out"
}

lab_bench_runs one_run 1
