#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 16-cgw-active-standby: with `policy active-standby` both directions use
# tunnel 1 (local preference in, AS path prepended on tunnel 2 out);
# cutting tunnel 1 moves both directions to tunnel 2 (the more-specifics
# win over the prepend), restoring it moves them back after the hold-down.
# Then cgwd is restarted with `policy active-active` and `ecmp 2`: the
# policy is rewritten in place and the VPC route gets one nexthop per
# tunnel (the VGW announces it equally on both).
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"
cgw_prepare "$LAB_JSON" || lab_fail "cgw prepare"
conn=$(ls "$CGW_DIR"/conn.d/*.conf)
sed -i 's/^\tpolicy active-active$/\tpolicy active-standby preferred-tunnel 1/' "$conn"
grep -q "policy active-standby" "$conn" || lab_fail "no policy line in the imported file"
"$CGWD" -n -f "$CGW_DIR/cgw.conf" >"$CGW_DIR/check.out" 2>&1 ||
	{ sed 's/^/# /' "$CGW_DIR/check.out"; lab_fail "configuration refused"; }
cgw_frr_start || lab_fail "frr"
cgw_start_daemon || lab_fail "cgwd"
cgw_wait_usable
if1=$(cgw_field 1 3) if2=$(cgw_field 2 3)
[ "$(cgw_field 1 17)/$(cgw_field 2 17)" = active/standby ] ||
	lab_fail "show tunnels roles: $(cgw_field 1 17)/$(cgw_field 2 17)"
asn=$(awk '$1 == "local-asn" { print $2; exit }' "$CGW_DIR/cgw.conf")

# routes toward the VPC in cgw: one nexthop, tunnel 1's
vpc_route() { ip -n cgw route show "$VPC_NET"; }
via_only() { # IFNAME: the VPC route is through IFNAME alone
	local r; r=$(vpc_route)
	[[ $r == *"dev $1 "* && $r != *nexthop* ]]
}
# the VGW's route to on-prem (not the more-specifics) goes over ipsecN
vgw_prefers() { ip -n vgw route show "$ONPREM_NET" | grep -q "dev ipsec$1\b"; }
# "AS-PATH|best" of the VGW's path to on-prem learned from tunnel N's
# neighbor ("|best" only if it is the best path)
vgw_aspath() {
	local peer=VGW_T$1_CGW_INSIDE
	vgw_vtysh -c "show ip bgp $ONPREM_NET json" 2>/dev/null | python3 -c '
import json, sys
peer = sys.argv[1]
for p in json.load(sys.stdin).get("paths", []):
    if p.get("peer", {}).get("peerId") == peer:
        print("%s|%s" % (p.get("aspath", {}).get("string", ""),
                         "best" if p.get("bestpath", {}).get("overall") else ""))
' "${!peer}"
}

lab_wait 30 "cgw routes the VPC over tunnel 1 only" via_only "$if1" ||
	lab_fail "VPC route is not via $if1 alone: $(vpc_route)"
lab_wait 30 "the VGW sends over tunnel 1" vgw_prefers 1 ||
	lab_fail "VGW route to on-prem: $(ip -n vgw route show "$ONPREM_NET")"
lab_wait 30 "tunnel 2's announcement prepended" eval \
	'[ "$(vgw_aspath 2)" = "$asn $asn $asn|" ]' ||
	lab_fail "AS path via tunnel 2: '$(vgw_aspath 2)' (expected $asn three times, not best)"
[ "$(vgw_aspath 1)" = "$asn|best" ] || lab_fail "path via tunnel 1: '$(vgw_aspath 1)' (expected $asn, best)"
lab_log "VGW paths to on-prem: tunnel 1 [$(vgw_aspath 1)], tunnel 2 [$(vgw_aspath 2)]"
# the standby's routes are in bgpd, with less preference
lab_vtysh cgw "$CGW_FRR" -c "show ip bgp $VPC_NET" | sed 's/^/# /'
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic on tunnel 1"

# --- cut tunnel 1: both directions move to tunnel 2 -------------------------
lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
t0=$(lab_us)
fault_cut 1 || lab_fail "cut"
lab_wait 10 "tunnel 1 unusable" eval '[ "$(cgw_field 1 15)" = unusable ]' ||
	lab_fail "cgw did not notice tunnel 1 died"
lab_wait 10 "cgw routes the VPC over tunnel 2" via_only "$if2" ||
	lab_fail "VPC route after the cut: $(vpc_route)"
lab_timing forward_moved_s "$(lab_since "$t0")"
lab_wait 10 "VGW sends on-prem traffic over tunnel 2" eval \
	"ip -n vgw route show | grep -E '^10\.1\.(0|128)\.0/17' | grep -q ipsec2" ||
	lab_fail "the VGW still sends over tunnel 1 (prepend beat the more-specifics?)"
lab_timing return_moved_s "$(lab_since "$t0")"
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "cut: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing failover_outage_s "$outage"
awk -v g="$outage" 'BEGIN { exit !(g < 10) }' || lab_fail "traffic did not move (gap ${outage}s)"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic over tunnel 2"

# --- restore: back to tunnel 1 after the hold-down ---------------------------
t1=$(lab_us)
fault_restore 1 || lab_fail "restore"
lab_wait 90 "tunnel 1 usable again" eval '[ "$(cgw_field 1 15)" = usable ]' ||
	lab_fail "tunnel 1 not back"
lab_wait 60 "BGP 1 back" gw_bgp_up 1 || lab_fail "BGP 1 not back"
lab_wait 30 "cgw routes the VPC over tunnel 1 again" via_only "$if1" ||
	lab_fail "VPC route after the restore: $(vpc_route)"
lab_wait 30 "more-specifics withdrawn" eval \
	"! ip -n vgw route show | grep -qE '^10\.1\.(0|128)\.0/17'" || lab_fail "more-specifics not withdrawn"
lab_wait 30 "the VGW sends over tunnel 1 again" vgw_prefers 1 ||
	lab_fail "VGW route to on-prem: $(ip -n vgw route show "$ONPREM_NET")"
awk -v t="$(lab_since "$t1")" 'BEGIN { exit !(t >= 10) }' || lab_fail "tunnel 1 came back before its hold-down"
lab_timing restored_to_tunnel1_s "$(lab_since "$t1")"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic after the restore"

# --- active-active with ECMP: the policy rewritten in place ------------------
sed -i 's/^\tpolicy active-standby preferred-tunnel 1$/\tpolicy active-active/' "$conn"
sed -i 's/^\([[:space:]]*\)advertise /\1ecmp 2\n&/' "$CGW_DIR/cgw.conf"
"$CGWD" -nv -f "$CGW_DIR/cgw.conf" >"$CGW_DIR/check.out" 2>&1 ||
	{ sed 's/^/# /' "$CGW_DIR/check.out"; lab_fail "configuration refused"; }
grep -q $'^\tecmp 2$' "$CGW_DIR/check.out" || lab_fail "ecmp 2 not in cgwd -nv"
cgw_restart || lab_fail "cgwd restart"
two_nexthops() {
	local r; r=$(vpc_route)
	[[ $r == *"nexthop"*"dev $if1 "* && $r == *"nexthop"*"dev $if2 "* ]]
}
lab_wait 30 "VPC route over both tunnels (ECMP)" two_nexthops ||
	lab_fail "no ECMP route: $(vpc_route)"
vpc_route | sed 's/^/# /'
lab_wait 30 "tunnel 2's announcement no longer prepended" eval \
	'[ "$(vgw_aspath 2 | cut -d"|" -f1)" = "$asn" ]' ||
	lab_fail "AS path via tunnel 2 after the change: '$(vgw_aspath 2)'"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic with ECMP"
grep -E "bgpd: " "$CGW_DIR/cgwd.log" | sed 's/^/# /' | head -10
lab_timing scenario_total "$(lab_since "$LAB_T0")"
