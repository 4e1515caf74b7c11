#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo (tests/lab/run --demo): bring the lab up with the gateway under test,
# show the tunnels, cut the path of the tunnel AWS sends over (so the
# failover is one traffic notices), show it as it happens, restore. Not a test: it prints, and fails only if the lab does.
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

say() { printf '\n== %s\n' "$*"; }
line() { # one status line: per tunnel IKE/BGP as the gateway sees it, VGW egress
	local n s="" e
	for n in 1 2; do
		s+="tunnel $n: IPsec $(gw_tunnel_up $n && echo UP || echo DOWN)"
		[ "$VGW_ROUTING" = bgp ] && s+=", BGP $(gw_bgp_up $n && echo Established || echo down)"
		s+="   "
	done
	e=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
	printf '  t=%6ss  %s AWS sends via: %s\n' "$(lab_since "$1")" "$s" "${e:-nothing}"
}

say "lab: on-prem $ONPREM_NET -- $LAB_GATEWAY gateway -- internet -- AWS endpoints $AWS_EP1, $AWS_EP2 -- VPC $VPC_NET"
topo_up >/dev/null || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"
say "AWS file (describe-vpn-connections JSON, fresh PSKs): $LAB_JSON"
vgw_start "$LAB_JSON" >/dev/null || lab_fail "vgw start"
t0=$(lab_us)
gw_start "$LAB_JSON" >/dev/null || lab_fail "$GW_NAME start"
for n in 1 2; do
	lab_wait 60 "tunnel $n" gw_tunnel_up $n || lab_fail "tunnel $n not up"
	[ "$VGW_ROUTING" = bgp ] && { lab_wait 120 "BGP $n" gw_bgp_up $n || lab_fail "BGP $n not up"; }
done
lab_wait 30 "routes" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" || lab_fail "no route at the VGW"
say "both tunnels UP and BGP Established $(lab_since "$t0") s after the gateway started"
gw_status | sed 's/^/  /'

say "traffic: onprem-host $ONPREM_HOST -> vpc-host $VPC_HOST, a ping every 20 ms"
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 2
egress=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
cut=${egress#ipsec} other=$((3 - ${egress#ipsec}))
ep=$(vgw_epip "$cut")
say "cutting tunnel $cut, the one AWS sends over: AWS endpoint $ep's IKE and ESP dropped in the internet"
t1=$(lab_us)
fault_cut "$cut"
line "$t1"
for ((i = 0; i < 45; i++)); do
	lab_sleep 2
	line "$t1"
	[ "$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)" = "ipsec$other" ] &&
		! gw_bgp_up "$cut" 2>/dev/null && break
done
lab_sleep 1
read -r rcvd lost outage < <(lab_ping_stop)
say "failover done: longest outage ${outage} s ($lost of $((rcvd + lost)) pings lost)"
gw_status | sed 's/^/  /'
say "restoring tunnel $cut's path"
fault_restore "$cut"
line "$t1"
if [ "$LAB_GATEWAY" = cgw ]; then
	# cgw probes the dead tunnel and takes it back after its hold-down
	lab_wait 60 "tunnel $cut back in use" eval '[ "$(cgw_field '"$cut"' 15)" = usable ] && gw_bgp_up '"$cut" &&
		say "tunnel $cut back in use $(lab_since "$t1") s after the cut (after its 10 s hold-down)"
	gw_status | sed 's/^/  /'
	say "end of demo"
else
	say "end of demo (tunnel $cut comes back when the gateway's dead-peer detection restarts it)"
fi
