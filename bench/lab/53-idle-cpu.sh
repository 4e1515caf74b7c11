#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 53-idle-cpu (bench/idle-cpu): CPU the gateway's control plane uses while
# nothing happens, over LAB_IDLE_SECONDS (default 60) with both tunnels UP
# and BGP Established: cgwd alone (with its children, living or reaped, such as
# vtysh) and the whole gateway (cgwd, charon, bgpd, zebra), for cgw and the
# hand-made baseline (charon, bgpd, zebra).  One JSON line per run into
# $LAB_OUT/bench.jsonl.
. "$LAB_DIR/lib.sh"
secs=${LAB_IDLE_SECONDS:-60}
out=$LAB_OUT/bench.jsonl
mkdir -p "$LAB_OUT"; : >"$out"

# clock ticks (user + system, own and reaped children's) of PID
ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# "name pid" of the gateway's daemons (lab_track names them NAME@cgw) and
# of their children alive now (cgwd's vtysh session: a reaped child's CPU
# is in its parent's, a living one's is not)
gw_pids() {
	local name pid c tracked
	tracked=$(awk '$1 ~ /@cgw$/ && $1 !~ /^ping/ { print $1, $2 }' "$LAB_RUN/pids" | sort -u)
	while read -r name pid; do
		echo "$name $pid"
		for c in $(pgrep -P "$pid"); do
			# charon is cgwd's child, and tracked itself
			grep -q " $c\$" <<<"$tracked" ||
				echo "$(cat "/proc/$c/comm" 2>/dev/null)@$name $c"
		done
	done <<<"$tracked"
}

one_run() { # GATEWAY RUN
	LAB_GATEWAY=$1
	. "$LAB_DIR/scenario.sh"
	lab_scenario_begin
	local hz name pid d cgwd1=0 tot1=0
	declare -A t0
	hz=$(getconf CLK_TCK)
	topo_up >/dev/null || lab_fail "topology"
	lab_aws_files || lab_fail "awsgen"
	vgw_start "$LAB_JSON" >/dev/null || lab_fail "vgw"
	gw_start "$LAB_JSON" >/dev/null || lab_fail "$1 start"
	lab_wait 60 "both tunnels" eval 'gw_tunnel_up 1 && gw_tunnel_up 2' || lab_fail "tunnels"
	lab_wait 120 "both BGP sessions" eval 'gw_bgp_up 1 && gw_bgp_up 2' || lab_fail "BGP"
	lab_sleep 5
	while read -r name pid; do
		t0[$pid]=$(ticks "$pid")
	done < <(gw_pids)
	lab_sleep "$secs"
	while read -r name pid; do
		[ -n "${t0[$pid]:-}" ] || continue
		d=$(( $(ticks "$pid") - ${t0[$pid]} ))
		tot1=$((tot1 + d))
		[[ $name == cgwd@* || $name == *@cgwd@* ]] && cgwd1=$((cgwd1 + d))
		lab_log "$1 run $2: $name $((d * 1000 / hz)) ms CPU in ${secs}s"
	done < <(gw_pids)
	printf '{"gateway":"%s","run":%d,"cgwd_ms":%d,"total_ms":%d,"seconds":%d}\n' "$1" "$2" \
		"$((cgwd1 * 1000 / hz))" "$((tot1 * 1000 / hz))" "$secs" >>"$out"
}

lab_bench_runs one_run 3
