#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 51-bringup (bench/bringup): start of the gateway -> both tunnels UP
# (CHILD_SAs installed) and -> both BGP sessions Established, for cgw and
# the baseline, LAB_BENCH_RUNS times each on a fresh lab.  One JSON line
# per run into $LAB_OUT/bench.jsonl.
. "$LAB_DIR/lib.sh"
out=$LAB_OUT/bench.jsonl
mkdir -p "$LAB_OUT"; : >"$out"

one_run() { # GATEWAY RUN
	LAB_GATEWAY=$1
	. "$LAB_DIR/scenario.sh"
	lab_scenario_begin
	local t0 tun bgp
	topo_up >/dev/null || lab_fail "topology"
	lab_aws_files || lab_fail "awsgen"
	vgw_start "$LAB_JSON" >/dev/null || lab_fail "vgw"
	t0=$(lab_us)
	gw_start "$LAB_JSON" >/dev/null || lab_fail "$1 start"
	lab_wait 60 "both tunnels" eval 'gw_tunnel_up 1 && gw_tunnel_up 2' || lab_fail "tunnels"
	tun=$(lab_since "$t0")
	lab_wait 120 "both BGP sessions" eval 'gw_bgp_up 1 && gw_bgp_up 2' || lab_fail "BGP"
	bgp=$(lab_since "$t0")
	lab_log "$1 run $2: tunnels up ${tun}s, BGP Established ${bgp}s"
	printf '{"gateway":"%s","run":%d,"tunnels_ms":%.0f,"bgp_ms":%.0f}\n' "$1" "$2" \
		"$(awk -v x="$tun" 'BEGIN { print x * 1000 }')" \
		"$(awk -v x="$bgp" 'BEGIN { print x * 1000 }')" >>"$out"
}

lab_bench_runs one_run 3
