#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 17-cgw-ikev1-gcm: the other proposals AWS offers, end to end: first a
# connection with AES-256-GCM in both phases (IKEv2, DH 20), then an
# IKEv1 connection (AES-128/SHA-1/DH 14, which only the customer side
# may start), each imported, both tunnels UP with BGP and on-prem
# reaching the VPC, the negotiated proposals checked in show tunnels.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

# run_case NAME IKE-PROPOSAL-PATTERN CHILD-PROPOSAL-PATTERN [awsgen options]
run_case() {
	local name=$1 ike=$2 child=$3 n; shift 3
	rm -f "$CGW_DIR"/conn.d/*.conf "$CGW_DIR"/run/*.state
	lab_aws_files "$@" || lab_fail "$name: awsgen"
	vgw_start "$LAB_JSON" || lab_fail "$name: vgw start"
	gw_start "$LAB_JSON" || lab_fail "$name: cgw start"
	for n in 1 2; do
		lab_wait 90 "$name: tunnel $n up" gw_tunnel_up $n || lab_fail "$name: tunnel $n not up"
		lab_wait 90 "$name: BGP $n Established" gw_bgp_up $n || lab_fail "$name: BGP $n not Established"
	done
	cgw_ctl show tunnels | sed 's/^/# /'
	cgw_ctl -j show tunnels | python3 -c '
import json, re, sys
ike, child = sys.argv[1:3]
for t in json.load(sys.stdin)["tunnels"]:
    assert re.search(ike, t["ike"]["proposal"]), (t["tunnel"], t["ike"]["proposal"])
    assert re.search(child, t["child"]["proposal"]), (t["tunnel"], t["child"]["proposal"])
' "$ike" "$child" || lab_fail "$name: not the expected proposals"
	lab_wait 30 "$name: VPC prefix in cgw's table" eval \
		"ip -n cgw route show $VPC_NET | grep -q 'proto bgp'" || lab_fail "$name: no BGP route to $VPC_NET"
	nsx onprem-host ping -c 5 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "$name: onprem-host cannot reach vpc-host"
	gw_stop
	vgw_stop
}

topo_up || lab_fail "topology"
run_case gcm "AES_GCM_16_256" "AES_GCM_16_256" \
	--p1-enc AES256-GCM-16 --p2-enc AES256-GCM-16 --p1-dh 20 --p2-dh 20
run_case ikev1 "AES_CBC_128/HMAC_SHA1_96" "AES_CBC_128/HMAC_SHA1_96" \
	--ike ikev1 --startup add --p1-int SHA1 --p2-int SHA1
lab_timing scenario_total "$(lab_since "$LAB_T0")"
