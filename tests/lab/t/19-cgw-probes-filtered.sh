#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 19-cgw-probes-filtered: the VGW stops answering cgw's probes (ICMP echo
# to its inside addresses dropped) on both tunnels while IKE, ESP and BGP
# go on.  The traffic still coming in through the tunnels shows that the
# probes fail, not the tunnels: for the whole minute no tunnel is taken
# out and no BGP session is shut (both were, or traffic stopped, before),
# traffic to the VPC keeps flowing, and diagnose says the probes are
# filtered, not that ESP is blocked.  With the probes answered again
# nothing is left over.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

cgw_lab_up
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
fault_icmp_inside_drop || lab_fail "nft in vgw"
t0=$(lab_us)
drops0="$(vgw_bgp_drops 1) $(vgw_bgp_drops 2)"
out=
while [ "$(( ($(lab_us) - t0) / 1000000 ))" -lt 60 ]; do
	for n in 1 2; do
		[ "$(cgw_field $n 15)" = usable ] || out="$out tunnel $n at $(lab_since "$t0")s;"
		gw_bgp_up "$n" || out="$out BGP $n at $(lab_since "$t0")s;"
	done
	lab_sleep 0.5
done
read -r rx lost outage <<<"$(lab_ping_stop)"
drops1="$(vgw_bgp_drops 1) $(vgw_bgp_drops 2)"
lab_log "ICMP to both inside addresses dropped for 60 s: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing probes_filtered_lost "$lost"
lab_timing probes_filtered_gap_s "$outage"
[ -z "$out" ] || lab_fail "taken out on probe loss alone:$out"
[ "$drops0" = "$drops1" ] || lab_fail "the VGW's BGP sessions were dropped (count $drops0 -> $drops1)"
[[ $drops0 =~ ^[0-9]+\ [0-9]+$ ]] || lab_fail "no drop count from the VGW's bgpd: '$drops0'"
# pings lost only to the lab's own noise, not to a failover
[ "$lost" -le 5 ] || lab_fail "traffic stopped: $lost pings lost (longest gap ${outage}s)"
for n in 1 2; do
	diag=$(cgw_diag "$n")
	lab_log "diagnose $n: $diag"
	[[ $diag == probes-filtered* ]] || lab_fail "diagnose $n says '$diag', not probes-filtered"
done

fault_icmp_inside_restore || lab_fail "nft restore"
t0=$(lab_us)
for n in 1 2; do
	lab_wait 30 "tunnel $n usable again" eval '[ "$(cgw_field '$n' 15)" = usable ]' ||
		lab_fail "tunnel $n not usable after the probes are answered again"
done
lab_timing probes_back_both_usable_s "$(lab_since "$t0")"
