#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 03-static: a static-routing VPN connection (StaticRoutesOnly, Routes = the
# on-prem prefix): both tunnels up, the VGW routes to on-prem over a tunnel
# that is up (its endpoints' updown), on-prem reaches the VPC through ESP.
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files --routing static --static-route "$ONPREM_NET" || lab_fail "awsgen"
grep -q '"StaticRoutesOnly": true' "$LAB_JSON" || lab_fail "awsgen did not write a static connection"
vgw_start "$LAB_JSON" || lab_fail "vgw start"
t0=$(lab_us)
gw_start "$LAB_JSON" || lab_fail "$GW_NAME start"
lab_wait 60 "tunnel 1 up" gw_tunnel_up 1 || lab_fail "tunnel 1 not up"
lab_wait 60 "tunnel 2 up" gw_tunnel_up 2 || lab_fail "tunnel 2 not up"
lab_timing tunnels_up "$(lab_since "$t0")"
lab_wait 30 "VGW route to on-prem" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" ||
	lab_fail "the VGW has no route to $ONPREM_NET over a tunnel"
before=$(lab_esp_packets cgw)
nsx onprem-host ping -c 5 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "onprem-host cannot ping vpc-host"
after=$(lab_esp_packets cgw)
[ $((after - before)) -ge 10 ] || lab_fail "ESP counters moved by $((after - before)) (< 10 for 5 pings)"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
