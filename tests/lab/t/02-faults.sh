#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 02-faults: the fault helpers do what they say against the gateway under test:
# cutting AWS endpoint 1's path in `inet` takes tunnel 1 down and traffic moves
# to tunnel 2 (bounded by BGP's hold time, 30 s, for the baseline), restoring
# it lets IKE through again, netem attaches and detaches. The outage is
# recorded as a timing, not asserted (benchmarks compare numbers).
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"
gw_start "$LAB_JSON" || lab_fail "$GW_NAME start"
for n in 1 2; do
	lab_wait 60 "tunnel $n up" gw_tunnel_up $n || lab_fail "tunnel $n not up"
	lab_wait 120 "BGP $n Established" gw_bgp_up $n || lab_fail "BGP $n not Established"
done
lab_wait 30 "VPC route" eval "ip -n cgw route show $VPC_NET | grep -q ipsec" || lab_fail "no VPC route"
nsx onprem-host ping -c 2 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic before the fault"

# which tunnel does the VGW send through? cut that one (worst case for the return path)
egress=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
cut=${egress#ipsec}; [ -n "$cut" ] || cut=1
other=$((3 - cut))
lab_log "VGW egress tunnel: $cut; cutting AWS endpoint $cut's path"

lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 2
t0=$(lab_us)
fault_cut "$cut" || lab_fail "fault_cut"
nsx inet nft list table inet lab_faults | grep -q "cut$cut" || lab_fail "no cut rules in inet"
lab_wait 90 "the AWS side drops BGP over tunnel $cut" eval "! vgw_bgp_up $cut" || lab_fail "BGP $cut never went down"
lab_timing vgw_bgp_down_after_cut "$(lab_since "$t0")"
lab_wait 30 "VGW sends via tunnel $other" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec$other" ||
	lab_fail "the VGW did not move to tunnel $other"
lab_wait 30 "traffic through tunnel $other" nsx onprem-host ping -c 1 -W 1 "$VPC_HOST" || lab_fail "no failover"
lab_sleep 1
read -r rcvd lost outage < <(lab_ping_stop)
lab_log "ping every 20 ms across the cut: $rcvd received, $lost lost"
lab_timing failover_outage "$outage"
gw_bgp_up "$other" || lab_fail "BGP over tunnel $other dropped too"

fault_restore "$cut"
nsx inet nft list table inet lab_faults | grep -q "cut$cut" && lab_fail "cut rules still there after fault_restore"

# netem: attach and detach on one endpoint's link
fault_netem "$other" "delay 5ms loss 1%" || lab_fail "netem (sch_netem module?)"
nsx inet tc qdisc show dev "to-ep$other" | grep -q netem || lab_fail "no netem qdisc"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_log "(pings lost under netem, allowed)"
fault_netem_clear "$other"
nsx inet tc qdisc show dev "to-ep$other" | grep -q netem && lab_fail "netem still attached"

# AWS-side BGP stop/start and gateway kill helpers
fault_vgw_bgp_stop
lab_wait 10 "vgw bgpd gone" eval "! vgw_bgp_up $other" || lab_fail "vgw bgp stop"
fault_vgw_bgp_start || lab_fail "vgw bgpd restart"
lab_wait 60 "BGP $other back" gw_bgp_up "$other" || lab_fail "BGP $other did not come back after vgw bgpd restart"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
