#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 01-baseline: the gateway under test (default: the hand-made baseline) brings
# both tunnels up against the simulated AWS side, BGP is Established on both,
# and on-prem reaches the VPC through ESP.
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"

t0=$(lab_us)
gw_start "$LAB_JSON" || lab_fail "$GW_NAME start"
lab_wait 60 "tunnel 1 up" gw_tunnel_up 1 || lab_fail "tunnel 1 not up"
lab_wait 60 "tunnel 2 up" gw_tunnel_up 2 || lab_fail "tunnel 2 not up"
lab_timing tunnels_up "$(lab_since "$t0")"
lab_wait 120 "BGP on tunnel 1 Established" gw_bgp_up 1 || lab_fail "BGP 1 not Established"
lab_wait 120 "BGP on tunnel 2 Established" gw_bgp_up 2 || lab_fail "BGP 2 not Established"
lab_timing bgp_established "$(lab_since "$t0")"

# the AWS side agrees: both sessions Established, the on-prem prefix learnt
vgw_tunnel_up 1 && vgw_tunnel_up 2 || lab_fail "the AWS endpoints do not both see their tunnel up"
vgw_bgp_up 1 && vgw_bgp_up 2 || lab_fail "vgw does not see both BGP sessions Established"
lab_wait 30 "VPC prefix in cgw's kernel table" eval "ip -n cgw route show $VPC_NET | grep -q ipsec" ||
	lab_fail "no route to $VPC_NET through a tunnel in cgw"
lab_wait 30 "on-prem prefix in vgw's kernel table" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" ||
	lab_fail "no route to $ONPREM_NET through a tunnel in vgw"

# data plane: through ESP, and the SA counters prove it
before=$(lab_esp_packets cgw)
nsx onprem-host ping -c 5 -i 0.2 -W 2 "$VPC_HOST" >"$LAB_RUN/ping.txt" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/ping.txt"; lab_fail "onprem-host cannot ping vpc-host"; }
after=$(lab_esp_packets cgw)
lab_log "ESP packets in cgw's SAs: $before -> $after"
[ $((after - before)) -ge 10 ] || lab_fail "ESP counters moved by $((after - before)) (< 10 for 5 pings)"
nsx vpc-host ping -c 2 -i 0.2 -W 2 "$ONPREM_HOST" >/dev/null || lab_fail "vpc-host cannot ping onprem-host"
# the AWS inside addresses answer ping (AWS's heartbeat advice)
for n in 1 2; do
	eval "peer=\$VGW_T${n}_AWS_INSIDE"
	nsx cgw ping -c 1 -W 2 "$peer" >/dev/null || lab_fail "AWS inside address $peer (tunnel $n) does not answer"
done
lab_timing scenario_total "$(lab_since "$LAB_T0")"
