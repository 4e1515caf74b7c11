#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 52-false-failover (bench/false-failover): 2 % random loss (netem, each
# direction, on the path to both AWS endpoints) for LAB_BENCH_MINUTES
# minutes with both tunnels working: every failover is a false one.  For
# cgw, counted from cgwd's log (a tunnel judged "down"); for the baseline
# (stock charon + FRR), every BGP session or CHILD_SA lost, polled once a
# second.  One JSON line per gateway and run into $LAB_OUT/bench.jsonl.
. "$LAB_DIR/lib.sh"
minutes=${LAB_BENCH_MINUTES:-3}
loss=${LAB_BENCH_LOSS:-2}
out=$LAB_OUT/bench.jsonl
mkdir -p "$LAB_OUT"; : >"$out"

# one line per second: "BGP1 BGP2 TUN1 TUN2" (1 = up)
poll_state() {
	local n s=""
	for n in 1 2; do
		if gw_bgp_up $n; then s+="1 "; else s+="0 "; fi
	done
	for n in 1 2; do
		if gw_tunnel_up $n; then s+="1 "; else s+="0 "; fi
	done
	echo "$s"
}

one_run() { # GATEWAY RUN
	LAB_GATEWAY=$1
	. "$LAB_DIR/scenario.sh"
	lab_scenario_begin
	local n t0 end mark=0 fo drops prev cur i lossy=0
	topo_up >/dev/null || lab_fail "topology"
	lab_aws_files || lab_fail "awsgen"
	vgw_start "$LAB_JSON" >/dev/null || lab_fail "vgw"
	gw_start "$LAB_JSON" >/dev/null || lab_fail "$1 start"
	for n in 1 2; do
		lab_wait 60 "tunnel $n" gw_tunnel_up $n || lab_fail "tunnel $n"
		lab_wait 120 "BGP $n" gw_bgp_up $n || lab_fail "BGP $n"
	done
	if [ "$1" = cgw ]; then
		for n in 1 2; do
			lab_wait 30 "tunnel $n usable" eval '[ "$(cgw_field '$n' 15)" = usable ]' || lab_fail "usable $n"
		done
		mark=$(wc -l <"$CGW_DIR/cgwd.log")
	fi
	for n in 1 2; do
		fault_netem "$n" "loss ${loss}%" || lab_fail "netem $n"
	done
	lab_ping_start onprem-host "$VPC_HOST" 0.1
	t0=$(lab_us)
	end=$((t0 + minutes * 60 * 1000000))
	prev=$(poll_state) drops=0
	while [ "$(lab_us)" -lt "$end" ]; do
		lab_sleep 1
		cur=$(poll_state)
		# a BGP session or tunnel that was up and is not
		for i in 1 2 3 4; do
			[ "$(echo "$prev" | cut -d' ' -f$i)" = 1 ] && [ "$(echo "$cur" | cut -d' ' -f$i)" = 0 ] &&
				drops=$((drops + 1))
		done
		prev=$cur
	done
	local el; el=$(lab_since "$t0")
	read -r rx lost _ <<<"$(lab_ping_stop)"
	lossy=$(awk -v r="$rx" -v l="$lost" 'BEGIN { if (r + l) printf "%.1f", 100 * l / (r + l); else print 0 }')
	for n in 1 2; do fault_netem_clear "$n"; done
	if [ "$1" = cgw ]; then
		# each "<tunnel>: down (N probes lost in a row ...)" is a tunnel
		# taken out of use
		tail -n +"$((mark + 1))" "$CGW_DIR/cgwd.log" | grep -E '\[hm\] .*: down \(' >"$LAB_RUN/failovers.txt"
		fo=$(wc -l <"$LAB_RUN/failovers.txt")
		sed 's/^/# /' "$LAB_RUN/failovers.txt"
	else
		fo=$drops
	fi
	lab_log "$1 run $2: ${el}s at ${loss}% loss each way: $fo failovers ($drops BGP/tunnel drops seen by polling; end-to-end ping loss ${lossy}%)"
	printf '{"gateway":"%s","run":%d,"seconds":%.0f,"loss_pct":%s,"failovers":%d,"drops":%d,"ping_loss_pct":%s}\n' \
		"$1" "$2" "$el" "$loss" "$fo" "$drops" "$lossy" >>"$out"
}

lab_bench_runs one_run 1
