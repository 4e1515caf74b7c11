#!/bin/bash
# 13-cgw-failover: cutting the path of the tunnel AWS sends over moves
# traffic, both directions, to the other tunnel long before AWS's 30 s
# hold timer (BGP neighbor shut, more-specifics pulled over the survivor);
# restoring it brings the tunnel back after its hold-down and withdraws
# the more-specifics.  (The outage itself is measured by bench/failover.)
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

cgw_lab_up
lab_wait 30 "the VGW sends over a tunnel" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" ||
	lab_fail "no route at the VGW"
egress=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
cut=${egress#ipsec} other=$((3 - ${egress#ipsec}))
lab_log "AWS sends over tunnel $cut: cutting it"

lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
t0=$(lab_us)
fault_cut "$cut" || lab_fail "cut"
lab_log "cut at $(date +%T.%N)"
lab_wait 10 "tunnel $cut unusable" eval '[ "$(cgw_field '$cut' 15)" = unusable ]' ||
	lab_fail "cgw did not notice tunnel $cut died"
lab_timing detect_s "$(lab_since "$t0")"
# the return path moved: more-specifics of on-prem via the other tunnel at the VGW
lab_wait 10 "VGW sends on-prem traffic over tunnel $other" eval \
	"ip -n vgw route show | grep -E '^10\.1\.(0|128)\.0/17' | grep -q ipsec$other" ||
	lab_fail "the VGW still sends over the dead tunnel"
lab_timing return_path_moved_s "$(lab_since "$t0")"
lab_log "vgw moved at $(date +%T.%N)"
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "cut: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing failover_outage_s "$outage"
# functional bound, far from the 30 s a stock gateway takes: traffic flows again
awk -v g="$outage" 'BEGIN { exit !(g < 10) }' || lab_fail "traffic did not move (gap ${outage}s)"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic after the failover"
cgw_ctl show tunnels | sed 's/^/# /'

t1=$(lab_us)
fault_restore "$cut" || lab_fail "restore"
lab_wait 90 "tunnel $cut usable again" eval '[ "$(cgw_field '$cut' 15)" = usable ]' ||
	lab_fail "tunnel $cut not back after the path was restored"
lab_timing restored_to_usable_s "$(lab_since "$t1")"
lab_wait 60 "BGP $cut back" gw_bgp_up "$cut" || lab_fail "BGP $cut not back"
lab_wait 30 "more-specifics withdrawn" eval \
	"! ip -n vgw route show | grep -qE '^10\.1\.(0|128)\.0/17'" || lab_fail "more-specifics not withdrawn"
# held down: not back before the 10 s hold-down
awk -v t="$(lab_since "$t1")" 'BEGIN { exit !(t >= 10) }' || lab_fail "tunnel $cut came back before its hold-down"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
