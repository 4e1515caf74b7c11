#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 21-cgw-diagnose-config: settings that differ between cgw and AWS, each
# created on purpose and named by `cgwctl diagnose`: a phase 2 proposal
# mismatch (tunnel 1) and a PFS group mismatch that only shows at the
# first rekey (tunnel 2); then, with both fixed by `cgwctl reload`, AWS
# with a shorter phase 2 lifetime (tunnel 1), AWS narrowing the traffic
# selectors (tunnel 2), AWS expecting another customer ASN (tunnel 1) and
# AWS's prefix limit (tunnel 1).  PSK and IKE proposal mismatches are
# 11-cgw-mismatch's.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"	# AWS: AES128/SHA2-256/DH14 in both phases
vgw_start "$LAB_JSON" || lab_fail "vgw start"
cgw_prepare "$LAB_JSON" || lab_fail "cgw prepare"
# two on-prem prefixes (for the prefix limit below)
sed -i 's|^\(\s*advertise .*\)$|\1\n\tadvertise 10.3.0.0/16|' "$CGW_DIR/cgw.conf"
conn=$(ls "$CGW_DIR"/conn.d/*.conf)
cp -p "$conn" "$LAB_RUN/conn.good"
awk '/tunnel 1 \{/ { t = 1 } /tunnel 2 \{/ { t = 2 }
	t == 1 && $1 == "phase2" { sub(/encryption [a-z0-9]+/, "encryption aes256") }
	t == 2 && $1 == "phase2" { sub(/pfs-group [0-9]+/, "pfs-group 15") }
	{ print }' "$conn" >"$conn.new" && mv "$conn.new" "$conn" && chmod 600 "$conn"
grep -q "encryption aes256" "$conn" && grep -q "pfs-group 15" "$conn" || lab_fail "could not edit $conn"
cgw_frr_start || lab_fail "frr"
cgw_start_daemon || lab_fail "cgwd"

cgw_wait_diag 60 1 child-proposal-mismatch || lab_fail "phase 2 mismatch: diagnose 1 says $(cgw_diag 1)"
# IKEv2's first CHILD_SA has no DH exchange: tunnel 2 comes up...
lab_wait 60 "tunnel 2 up" gw_tunnel_up 2 || lab_fail "tunnel 2 not up despite only a PFS mismatch"
# ...and the mismatch shows when the CHILD_SA is rekeyed
cgw_ctl rekey 2 >/dev/null || lab_fail "cgwctl rekey 2"
cgw_wait_diag 60 2 child-proposal-mismatch || lab_fail "PFS mismatch: diagnose 2 says $(cgw_diag 2)"
cgw_ctl -t diagnose 2 | grep -q PFS || lab_fail "the PFS cause does not name PFS"

# the fix: the file as AWS gave it, and a reload
cp -p "$LAB_RUN/conn.good" "$conn"
cgw_ctl reload >/dev/null || lab_fail "cgwctl reload"
for n in 1 2; do
	lab_wait 90 "tunnel $n up after the fix" gw_tunnel_up $n || lab_fail "tunnel $n not up after the fix"
	lab_wait 90 "BGP $n Established after the fix" gw_bgp_up $n || lab_fail "BGP $n not Established after the fix"
	cgw_wait_diag 30 $n ok || lab_fail "tunnel $n not ok after the fix"
done

# AWS's phase 2 lifetime shorter than cgw's: endpoint 1 rekeys after 20 s
d1=$(vgw_epdir 1)
sed -i -e '/children/,$ { s/^\(\s*\)rekey_time = [0-9]*s/\1rekey_time = 20s/; s/^\(\s*\)life_time = [0-9]*s/\1life_time = 60s/; s/^\(\s*\)rand_time = [0-9]*s/\1rand_time = 0s/ }' \
	"$d1/swanctl.conf"
vgw_swanctl 1 --load-all --file "$d1/swanctl.conf" >/dev/null || lab_fail "reload endpoint 1"
cgw_ctl reset 1 >/dev/null || lab_fail "cgwctl reset 1"
cgw_wait_diag 90 1 lifetime-mismatch || lab_fail "short AWS lifetime: diagnose 1 says $(cgw_diag 1)"

# AWS narrows the selectors (a policy-based setup): endpoint 2 offers only
# the VPC and on-prem prefixes
d2=$(vgw_epdir 2)
sed -i -e "s|local_ts = 0.0.0.0/0|local_ts = $VPC_NET|" -e "s|remote_ts = 0.0.0.0/0|remote_ts = $ONPREM_NET|" "$d2/swanctl.conf"
vgw_swanctl 2 --load-all --file "$d2/swanctl.conf" >/dev/null || lab_fail "reload endpoint 2"
cgw_ctl reset 2 >/dev/null || lab_fail "cgwctl reset 2"
cgw_wait_diag 90 2 ts-mismatch || lab_fail "narrowed selectors: diagnose 2 says $(cgw_diag 2)"

# AWS's customer gateway has another ASN: the VGW expects AS 65099 on tunnel 1
vgw_tunnel_vars 1
aws_asn=${VGW_T1_AWS_ASN:-0}
[ "$aws_asn" -gt 0 ] || aws_asn=64512	# render.py's default
vgw_vtysh -c "configure terminal" -c "router bgp $aws_asn" \
	-c "neighbor $VGW_T1_CGW_INSIDE remote-as 65099" >/dev/null || lab_fail "vgw: remote-as"
cgw_wait_diag 90 1 bgp-asn-mismatch || lab_fail "ASN mismatch: diagnose 1 says $(cgw_diag 1)"
cgw_ctl -t show bgp | sed 's/^/# /'
vgw_vtysh -c "configure terminal" -c "router bgp $aws_asn" \
	-c "neighbor $VGW_T1_CGW_INSIDE remote-as $VGW_T1_CGW_ASN" >/dev/null || lab_fail "vgw: remote-as back"
lab_wait 90 "BGP 1 Established again" gw_bgp_up 1 || lab_fail "BGP 1 not back"

# AWS's prefix limit, lowered to 1 for the test: cgw announces 2
vgw_vtysh -c "configure terminal" -c "router bgp $aws_asn" -c "address-family ipv4 unicast" \
	-c "neighbor $VGW_T1_CGW_INSIDE maximum-prefix 1" >/dev/null || lab_fail "vgw: maximum-prefix"
vgw_vtysh -c "clear bgp ipv4 unicast $VGW_T1_CGW_INSIDE" >/dev/null
cgw_wait_diag 90 1 prefix-limit || lab_fail "prefix limit: diagnose 1 says $(cgw_diag 1)"
cgw_ctl diagnose | sed 's/^/# /'
lab_timing scenario_total "$(lab_since "$LAB_T0")"
