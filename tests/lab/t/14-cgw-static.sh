#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 14-cgw-static: a static-routing connection with cgw: both tunnels up, the
# VPC prefix routed by cgwd through a usable tunnel, on-prem reaches the
# VPC through ESP; when that tunnel's path is cut cgwd moves the route to
# the other tunnel within seconds (the return path follows when AWS's own
# dead peer detection notices: nothing on our side can speed that up).
# cgwd's route is its own to keep: deleted by hand, or flushed by the kernel
# with the tunnel's link set down by hand, it is back within 2 s.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files --routing static --static-route "$ONPREM_NET" || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"
gw_start "$LAB_JSON" || lab_fail "cgw start"
grep -q "static-route $VPC_NET" "$CGW_DIR"/conn.d/*.conf || lab_fail "import did not take the VPC prefix"
for n in 1 2; do
	lab_wait 60 "tunnel $n up" gw_tunnel_up $n || lab_fail "tunnel $n not up"
	lab_wait 30 "tunnel $n usable" eval '[ "$(cgw_field '$n' 15)" = usable ]' || lab_fail "tunnel $n never usable"
done
[ "$(cgw_field 1 6)" = UP ] && [ "$(cgw_field 2 6)" = UP ] || lab_fail "show tunnels does not say UP twice"
lab_wait 10 "VPC route via a tunnel" eval "ip -n cgw route show $VPC_NET | grep -q 'proto 185'" ||
	lab_fail "cgwd did not route $VPC_NET"
via=$(ip -n cgw route show "$VPC_NET" | grep -o 'dev cgw-[a-z0-9]*-[12]' | grep -o '[12]$')
before=$(lab_esp_packets cgw)
nsx onprem-host ping -c 5 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "onprem-host cannot ping vpc-host"
after=$(lab_esp_packets cgw)
[ $((after - before)) -ge 10 ] || lab_fail "ESP counters moved by $((after - before))"
lab_log "VPC routed via tunnel $via: cutting it"
t0=$(lab_us)
fault_cut "$via" || lab_fail "cut"
other=$((3 - via))
lab_wait 10 "VPC route moved to tunnel $other" eval \
	"ip -n cgw route show $VPC_NET | grep -q 'cgw-[a-z0-9]*-$other'" || lab_fail "the route did not move"
lab_timing route_moved_s "$(lab_since "$t0")"

# someone deletes cgwd's route, then sets its tunnel's link down
dev=$(ip -n cgw route show "$VPC_NET" | grep -o 'dev cgw-[a-z0-9]*-[12]' | cut -d' ' -f2)
t0=$(lab_us)
ip -n cgw route del "$VPC_NET" || lab_fail "ip route del $VPC_NET"
lab_wait 2 "route to $VPC_NET put back" eval "ip -n cgw route show $VPC_NET | grep -q 'dev $dev proto 185'" ||
	lab_fail "cgwd did not put back its route to $VPC_NET: $(ip -n cgw route show "$VPC_NET")"
lab_timing repair_route_del_s "$(lab_since "$t0")"
t0=$(lab_us)
ip -n cgw link set "$dev" down || lab_fail "ip link set $dev down"
lab_wait 2 "$dev up, with the route to $VPC_NET" eval \
	"ip -n cgw route show $VPC_NET | grep -q 'dev $dev proto 185'" ||
	lab_fail "after $dev was set down: $(ip -n cgw link show "$dev"; ip -n cgw route show "$VPC_NET")"
lab_timing repair_link_down_route_s "$(lab_since "$t0")"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
