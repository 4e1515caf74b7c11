#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 24-cgw-rekeys: rekeys must never cost a packet.  60 rounds on both
# tunnels at once, alternating cgwctl rekey (IKE_SA and CHILD_SA, started
# by cgw), AWS-side CHILD_SA rekeys and AWS-side IKE_SA rekeys, with pings
# every 10 ms: 0 lost, and cgwd never judges a tunnel down (two IKE_SAs or
# CHILD_SAs share a tunnel's name during a rekey; cgwd keys them by
# charon's unique ids).  Measured before: 2 of 15 cgwctl rekeys took a
# healthy tunnel down (14-22 pings lost, then the hold-down).
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

cgw_lab_up
# rekeys the AWS side went through: its charon's log lines
rekeys() { # N IKE|CHILD
	local f; f="$(vgw_epdir "$1")/charon.log"
	if [ "$2" = IKE ]; then
		grep -c 'IKE_SA aws\[[0-9]*\] rekeyed between' "$f"
	else
		grep -c 'CHILD_SA aws{[0-9]*} established' "$f"
	fi
}
declare -a ike0 child0
for n in 1 2; do ike0[n]=$(rekeys $n IKE); child0[n]=$(rekeys $n CHILD); done
log0=$(wc -l <"$CGW_DIR/cgwd.log")
drops0=$(lab_drops)
lab_ping_start onprem-host "$VPC_HOST" 0.01
lab_sleep 1
t0=$(lab_us)
failed=0
rounds=${LAB_REKEY_ROUNDS:-60}
for ((i = 0; i < rounds; i++)); do
	# both tunnels' rekeys at once: the commands take most of a round in a
	# slow VM, and they are what tests the overlap
	pids=()
	for n in 1 2; do
		case $((i % 3)) in
		0) cgw_ctl rekey "$n" >/dev/null ;;
		1) vgw_swanctl "$n" --rekey --child aws >/dev/null ;;
		2) vgw_swanctl "$n" --rekey --ike aws >/dev/null ;;
		esac &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
	lab_sleep 1.2
done
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "$rounds rekey rounds on both tunnels in $(lab_since "$t0") s: $rx replies, $lost lost, longest gap ${outage} s"
drops=$(lab_drops_delta "$drops0" "$(lab_drops)")
lab_log "kernel drop counters that moved meanwhile: ${drops:-none}" | tr '\n' ' '; echo
lab_timing rekeys_lost "$lost"
lab_timing rekeys_gap_s "$outage"
[ "$failed" = 0 ] || lab_fail "$failed rekey commands failed"
judged=$(tail -n +"$((log0 + 1))" "$CGW_DIR/cgwd.log" | awk '/\[hm\] .*: (down|hold-down|DOWN)/')
[ -z "$judged" ] || lab_fail "cgwd judged a tunnel down during the rekeys: $(echo "$judged" | head -3)"
[ "$rx" -gt 1000 ] || lab_fail "only $rx ping replies: the pings did not run"
if [ "$lost" != 0 ]; then
	# what cgwd and both sides' charons did around each loss (the first
	# three), in the failure message: CI's log keeps its tail
	near=$(lab_ping_losses | head -3 | while read -r at first last; do
		echo "seq $first..$last lost, sent about $(date -d "@$at" +%T.%N | cut -c1-12):"
		lab_log_near "$at" 0.5 "$CGW_DIR/cgwd.log" "$CGW_DIR/charon.cgw.log" \
			"$(vgw_epdir 1)/charon.log" "$(vgw_epdir 2)/charon.log" | head -40
	done)
	lab_fail "$lost pings lost during the rekeys (longest gap ${outage} s); kernel drop counters that moved: $(echo ${drops:-none})
$near"
fi
for n in 1 2; do
	ike=$(($(rekeys $n IKE) - ike0[n]))
	child=$(($(rekeys $n CHILD) - child0[n]))
	lab_log "tunnel $n: the AWS side went through $ike IKE_SA and $child CHILD_SA rekeys"
	# a third of the rounds rekey the IKE_SA from each side, every round
	# a CHILD_SA (cgwctl rekey does both)
	[ "$ike" -ge $((rounds * 6 / 10)) ] && [ "$child" -ge $((rounds * 6 / 10)) ] ||
		lab_fail "tunnel $n: only $ike IKE_SA and $child CHILD_SA rekeys happened"
	[ "$(cgw_field $n 15)" = usable ] || lab_fail "tunnel $n not usable after the rekeys"
	gw_bgp_up $n || lab_fail "BGP $n not Established after the rekeys"
done
# the metrics after all of it: every rekey counted, both initiators seen
# (AWS's side and cgwctl rekey), the SAs Established again (never left at
# Rekeying), the state 1
lab_sleep 1
cgw_ctl show metrics >"$LAB_RUN/metrics.txt" || lab_fail "show metrics"
grep -E '^cgw_(rekeys_total|tunnel_(ike|ipsec)_state)\{' "$LAB_RUN/metrics.txt" | awk '$2 != 0' | sed 's/^/# /'
for n in 1 2; do
	v() { awk -v t="tunnel=\"$n\"" -v f="$1{" -v l="$2" 'index($0, f) == 1 && index($0, t) && index($0, l) { print $2; exit }' "$LAB_RUN/metrics.txt"; }
	[ "$(v cgw_tunnel_ike_state 'state="Established"')" = 1 ] ||
		lab_fail "metrics: tunnel $n IKE state after the rekeys: $(grep "^cgw_tunnel_ike_state{.*tunnel=\"$n\".*} 1" "$LAB_RUN/metrics.txt")"
	[ "$(v cgw_tunnel_ipsec_state 'state="Established"')" = 1 ] ||
		lab_fail "metrics: tunnel $n IPsec state after the rekeys: $(grep "^cgw_tunnel_ipsec_state{.*tunnel=\"$n\".*} 1" "$LAB_RUN/metrics.txt")"
	ipsec=$(( $(v cgw_rekeys_total 'phase="ipsec",initiator="cgw"') + $(v cgw_rekeys_total 'phase="ipsec",initiator="aws"') ))
	[ "$ipsec" -ge $((rounds * 6 / 10)) ] || lab_fail "metrics: only $ipsec IPsec rekeys counted on tunnel $n"
	for p in ike ipsec; do
		[ "$(v cgw_rekeys_total "phase=\"$p\",initiator=\"aws\"")" -ge 1 ] &&
			[ "$(v cgw_rekeys_total "phase=\"$p\",initiator=\"cgw\"")" -ge 1 ] ||
			lab_fail "metrics: $p rekeys of tunnel $n not counted from both sides (AWS's swanctl --rekey and cgwctl rekey)"
	done
	[ "$(v cgw_tunnel_state '')" = 1 ] || lab_fail "metrics: tunnel $n not UP after the rekeys"
done
