#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 18-cgw-reload: a reload changes in bgpd exactly what changed, and takes
# out what the configuration no longer has.
#   1. add an on-prem prefix: the VGW receives it over both tunnels;
#   2. remove it: the VGW loses it, and nothing of it is left in bgpd's
#      running configuration (networks, prefix-list entries);
#      traffic over the tunnels loses no ping across both reloads;
#   3. add a second connection (its AWS side never answers), then remove
#      it: cgwd creates its interfaces, tunnels and BGP neighbors, and takes
#      them out again; afterwards cgw's kernel objects and bgpd's running
#      configuration are what they were before, and the first connection
#      loses no ping;
#   3b. AWS modifies tunnel 1's options (a new PSK, AES256 in both phases):
#      tunnel 1 fails and diagnose names the proposal; the operator imports
#      the new file over the old one and reloads: tunnel 1 is back with
#      the new options, tunnel 2 keeps its SAs and its BGP session, and no
#      ping is lost from the reload on;
#   4. change the local ASN (and the customer gateway's at AWS): cgw's
#      old BGP instance goes, both sessions come back with the new AS,
#      and bgpd refused nothing;
#   5. the operator's own objects in bgpd (a prefix list, a route-map)
#      are left alone throughout;
#   6. bgpd killed and started again without cgw's part: cgwd configures
#      it again, both sessions come back;
#   7. an operator's BGP instance of another AS in the way: bgpd refuses
#      cgw's, diagnose says bgp-config-refused with the command and the
#      answer, show routes says bgpd does not send the on-prem prefix;
#      with it gone, cgw's configuration comes back by itself.
# show routes' advertised lines (bgpd's adj-rib-out) follow each step.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

cgw_lab_up
conn=$(ls "$CGW_DIR"/conn.d/*.conf)
asn=$(awk '$1 == "local-asn" { print $2; exit }' "$CGW_DIR/cgw.conf")
cgw_vtysh() { lab_vtysh cgw "$CGW_FRR" "$@"; }
cgw_running() { cgw_vtysh -c "show running-config"; }
# cgw's part of it: its BGP instance, its CGW-* prefix lists and route maps
# (bgpd prints blocks in an order of its own, not in the order written)
cgw_part() {
	cgw_running | awk '
		/^router bgp / || /^route-map CGW-/ { block = 1 }
		block { print; if ($0 == "exit") block = 0; next }
		/^ip prefix-list CGW-/'
}
extra=10.5.0.0/16

# The operator's own configuration beside cgw's.
cgw_vtysh -c "configure terminal" -c "ip prefix-list OFFICE seq 5 permit 192.168.7.0/24" \
	-c "route-map OFFICE permit 10" >/dev/null || lab_fail "operator's own FRR objects"

# paths the VGW has for PREFIX (one per tunnel whose session carries it)
vgw_paths() {
	vgw_vtysh -c "show bgp ipv4 unicast $1 json" 2>/dev/null |
		python3 -c 'import json,sys
try: print(len(json.load(sys.stdin).get("paths", [])))
except Exception: print(0)'
}
reload() {
	cgw_ctl reload | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" = 0 ] || lab_fail "cgwctl reload"
	lab_wait 30 "cgwd back after the reload" test -S "$CGW_DIR/run/cgwd.rsock" ||
		lab_fail "cgwd did not come back"
}

# no_ping_lost WHAT KEY: the pings stopped; none may have been lost
no_ping_lost() {
	local rx lost outage
	read -r rx lost outage <<<"$(lab_ping_stop)"
	lab_log "$1: $rx replies, $lost lost, longest gap ${outage}s"
	lab_timing "$2" "$lost"
	[ "$lost" -eq 0 ] || lab_fail "$1: $lost pings lost"
}

lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1

# 1. add a prefix
sed -i "s|^\([[:space:]]*\)advertise $ONPREM_NET\$|&\n\1advertise $extra|" "$CGW_DIR/cgw.conf"
grep -q "advertise $extra" "$CGW_DIR/cgw.conf" || lab_fail "could not add the prefix"
t0=$(lab_us)
log_at=$(wc -l <"$CGW_DIR/cgwd.log")
reload
# the new cgwd goes on with the old one's vtysh session: bgpd's sessions,
# which stayed up, are UP in show tunnels as soon as bgpd answers (a new
# vtysh takes seconds to start in a slow box)
lab_wait 20 "the new cgwd has the vtysh session" eval \
	'tail -n +$((log_at + 1)) "$CGW_DIR/cgwd.log" | grep -q "vtysh session (pid [0-9]*) taken over"' ||
	lab_fail "the reloaded cgwd did not take over the vtysh session"
lab_wait 20 "show tunnels has both BGP sessions again" eval 'gw_bgp_up 1 && gw_bgp_up 2' ||
	lab_fail "BGP not Established in show tunnels after the reload"
lab_timing reload_bgp_shown_s "$(lab_since "$t0")"
lab_wait 30 "VGW receives $extra over both tunnels" eval '[ "$(vgw_paths $extra)" = 2 ]' ||
	lab_fail "VGW has $(vgw_paths $extra) paths to $extra"
lab_timing reload_add_prefix_s "$(lab_since "$t0")"
[ "$(cgw_advertised $extra sent)" = 2 ] ||
	lab_fail "show routes does not say bgpd sends $extra on both tunnels: $(cgw_ctl show routes)"

# 2. remove it again
sed -i "\|^[[:space:]]*advertise $extra\$|d" "$CGW_DIR/cgw.conf"
! grep -q "advertise $extra" "$CGW_DIR/cgw.conf" || lab_fail "could not remove the prefix"
t0=$(lab_us)
reload
lab_wait 30 "VGW no longer has $extra" eval '[ "$(vgw_paths $extra)" = 0 ]' ||
	lab_fail "VGW still has $(vgw_paths $extra) paths to $extra after it was removed"
lab_timing reload_remove_prefix_s "$(lab_since "$t0")"
left=$(cgw_running | grep -E "10\.5\.(0|128)\.0/1[67]")
[ -z "$left" ] || lab_fail "left in bgpd after the prefix was removed: $left"
[ "$(vgw_paths "$ONPREM_NET")" = 2 ] || lab_fail "VGW lost $ONPREM_NET"
[ "$(cgw_advertised $extra)" = 0 ] || lab_fail "show routes still lists $extra: $(cgw_ctl show routes)"
lab_sleep 2
no_ping_lost "two reloads (prefix added, removed)" reload_prefix_lost

# 3. a second connection, added and removed again.  Its endpoints
# (198.51.100.20, 203.0.113.20) do not exist: its tunnels stay down, which
# is enough to see every object it brings go again.
cgw_kernel_state() {	# cgw's kernel objects, as text to compare
	ip -n cgw -br link show type xfrm
	ip -n cgw -br addr show
	# (zebra's BGP routes without their next hop: bgpd may pick the other
	# of two equal paths when interfaces come and go, which leaves
	# nothing behind; a route through a removed interface cannot stay)
	ip -n cgw route show table all | grep -v '^local \|^broadcast \|^multicast ' |
		sed -E 's/ nhid [0-9]+ via [0-9.]+ dev [^ ]+ (proto bgp)/ \1/'
	ip -n cgw xfrm policy | grep -E '^src |if_id|tmpl'
	ip -n cgw xfrm state | grep -E '^src |proto esp'
	nsx cgw nft list table inet cgw
}
kernel_before=$(cgw_kernel_state) running_before=$(cgw_running)
for b in 252 253 254; do	# inside /30s the first connection does not have
	grep -q "inside 169\.254\.$b\.[04]/30" "$conn" || break
done
"$LAB_DIR/awsgen" --cgw-ip "$CGW_OUTSIDE" --aws-ip 198.51.100.20 --aws-ip 203.0.113.20 --lab \
	--inside-cidr "169.254.$b.0/30" --inside-cidr "169.254.$b.4/30" \
	--json "$LAB_RUN/aws2.json" >/dev/null || lab_fail "awsgen for a second connection"
lab_ping_start onprem-host "$VPC_HOST"
"$CGWCTL" import -o "$CGW_DIR/conn.d" "$LAB_RUN/aws2.json" >"$LAB_RUN/import2.out" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/import2.out"; lab_fail "cgwctl import of the second connection"; }
conn2=$(ls "$CGW_DIR"/conn.d/*.conf | grep -vxF "$conn")
[ -f "$conn2" ] || lab_fail "no second connection file"
reload
lab_wait 30 "four tunnels in show tunnels" eval '[ "$(cgw_ctl -t show tunnels | wc -l)" = 4 ]' ||
	lab_fail "show tunnels after adding a connection: $(cgw_ctl show tunnels)"
[ "$(ip -n cgw -o link show type xfrm | wc -l)" = 4 ] || lab_fail "no interfaces for the second connection"
lab_wait 30 "bgpd has the second connection's neighbors" eval \
	'cgw_running | grep -q "neighbor 169.254.$b.1 remote-as" && cgw_running | grep -q "neighbor 169.254.$b.5 remote-as"' ||
	lab_fail "bgpd has no neighbors for the second connection"
gw_tunnel_up 1 && gw_tunnel_up 2 || lab_fail "the first connection's tunnels went down"
rm -f "$conn2"
reload
lab_wait 30 "two tunnels in show tunnels" eval '[ "$(cgw_ctl -t show tunnels | wc -l)" = 2 ]' ||
	lab_fail "show tunnels after removing the connection: $(cgw_ctl show tunnels)"
lab_wait 30 "bgpd as before the second connection" eval '[ "$(cgw_running)" = "$running_before" ]' ||
	lab_fail "bgpd's configuration differs from before the second connection: $(diff <(echo "$running_before") <(cgw_running) | head -20)"
lab_wait 10 "cgw's kernel objects as before" eval '[ "$(cgw_kernel_state)" = "$kernel_before" ]' ||
	lab_fail "left in the kernel by the removed connection: $(diff <(echo "$kernel_before") <(cgw_kernel_state) | head -20)"
lab_sleep 1
no_ping_lost "a second connection added and removed" reload_second_conn_lost

# 3b. AWS modifies tunnel 1's options (Modify VPN tunnel options): a new
# PSK, AES256 in both phases.  AWS's endpoint restarts with them.
modified=$LAB_RUN/aws-modified.json
newpsk=$(python3 - "$LAB_JSON" "$modified" "$AWS_EP1" <<'PY'
import json, secrets, string, sys
d = json.load(open(sys.argv[1]))
(o,) = [o for o in d["VpnConnections"][0]["Options"]["TunnelOptions"]
        if o["OutsideIpAddress"] == sys.argv[3]]
# AWS's rules: 8-64 of letters, digits, . and _, not starting with 0
o["PreSharedKey"] = "M" + "".join(secrets.choice(string.ascii_letters + string.digits + "._")
                                  for _ in range(39))
o["Phase1EncryptionAlgorithms"] = [{"Value": "AES256"}]
o["Phase2EncryptionAlgorithms"] = [{"Value": "AES256"}]
json.dump(d, open(sys.argv[2], "w"), indent=1)
print(o["PreSharedKey"])
PY
) && [ -n "$newpsk" ] || lab_fail "modifying tunnel 1's options"
spi2_before=$(cgw_tunnel_json 2 't["child"]["spiIn"]')
bgp2_up_before=$(cgw_tunnel_json 2 't["bgp"]["uptimeSeconds"]')
lab_render "$modified" || lab_fail "render the modified tunnel"
vgw_endpoint_restart 1 || lab_fail "AWS endpoint 1 with its new options"
# (cgw's side keeps the old SAs until dead-peer detection clears them, but
# the tunnel is out of service once nothing answers through it)
lab_wait 30 "tunnel 1 out of service" eval '[ "$(cgw_field 1 6)" != UP ]' ||
	lab_fail "tunnel 1 still UP with AWS's options changed"
cgw_wait_diag 15 1 ike-proposal-mismatch || lab_fail "diagnose does not name the proposal AWS no longer accepts"
lab_wait 10 "traffic over tunnel 2" nsx onprem-host ping -c 1 -W 1 "$VPC_HOST" ||
	lab_fail "no traffic over tunnel 2 while tunnel 1 is down"
# the operator downloads the file again and imports it over the old one
lab_ping_start onprem-host "$VPC_HOST"
"$CGWCTL" import -f -o "$CGW_DIR/conn.d" "$modified" >"$LAB_RUN/reimport.out" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/reimport.out"; lab_fail "cgwctl import -f of the modified file"; }
grep -q "phase1 encryption aes256" "$conn" || lab_fail "the import did not take AES256"
t0=$(lab_us)
reload
# (the old SAs, dead at AWS, are still listed until they go: the new
# ones are those with the new proposal)
lab_wait 60 "tunnel 1 up with its new options" eval \
	'gw_tunnel_up 1 && [[ $(cgw_tunnel_json 1 "t[\"ike\"][\"proposal\"]") == AES_CBC_256/* ]]' ||
	lab_fail "tunnel 1 not back with the new options: $(cgw_ctl diagnose 1 2>&1 | head -3)"
lab_timing reload_modified_tunnel_up_s "$(lab_since "$t0")"
lab_wait 60 "BGP 1 Established" gw_bgp_up 1 || lab_fail "BGP 1 not back after the options changed"
lab_timing reload_modified_bgp_up_s "$(lab_since "$t0")"
[[ $(cgw_tunnel_json 1 't["ike"]["proposal"]') == AES_CBC_256/* && $(cgw_tunnel_json 1 't["child"]["proposal"]') == AES_CBC_256/* ]] ||
	lab_fail "tunnel 1's SAs are not AES256: $(cgw_tunnel_json 1 't["ike"]["proposal"], t["child"]["proposal"]')"
[ "$(cgw_tunnel_json 2 't["child"]["spiIn"]')" = "$spi2_before" ] ||
	lab_fail "tunnel 2's SAs were replaced, though its options did not change"
(( $(cgw_tunnel_json 2 't["bgp"]["uptimeSeconds"]') > bgp2_up_before )) || lab_fail "tunnel 2's BGP session was reset"
lab_wait 30 "VGW receives $ONPREM_NET over both tunnels" eval '[ "$(vgw_paths "$ONPREM_NET")" = 2 ]' ||
	lab_fail "VGW has $(vgw_paths "$ONPREM_NET") paths to $ONPREM_NET after the change"
lab_sleep 2
no_ping_lost "tunnel 1's options changed (from the reload on)" reload_modified_lost
! grep -qF -e "$newpsk" "$CGW_DIR/cgwd.log" "$LAB_RUN/reimport.out" ||
	lab_fail "the new PSK is in cgwd's log or in import's output"

# 4. a new local ASN, at AWS (the customer gateway's) and in cgw
new=$((asn + 10))
log_at=$(wc -l <"$CGW_DIR/cgwd.log")
sed -i "s/^\([[:space:]]*local-asn\) $asn\$/\1 $new/" "$CGW_DIR/cgw.conf" "$conn"
grep -q "local-asn $new" "$CGW_DIR/cgw.conf" || lab_fail "could not change the ASN"
for n in 1 2; do
	peer=VGW_T${n}_CGW_INSIDE aws=VGW_T${n}_AWS_ASN
	vgw_vtysh -c "configure terminal" -c "router bgp ${!aws}" \
		-c "neighbor ${!peer} remote-as $new" >/dev/null || lab_fail "VGW: remote-as $new"
done
t0=$(lab_us)
reload
for n in 1 2; do
	lab_wait 60 "BGP $n Established with AS $new" gw_bgp_up $n ||
		lab_fail "BGP $n not back after the ASN change: $(cgw_ctl diagnose $n 2>&1 | head -3)"
done
lab_timing reload_asn_bgp_up_s "$(lab_since "$t0")"
running=$(cgw_running)
grep -q "^router bgp $new\$" <<<"$running" || lab_fail "bgpd has no router bgp $new"
! grep -q "^router bgp $asn\$" <<<"$running" || lab_fail "cgw's old instance (AS $asn) is still in bgpd"
since=$(tail -n +"$((log_at + 1))" "$CGW_DIR/cgwd.log")
! grep -q "bgpd refused" <<<"$since" || lab_fail "bgpd refused: $(grep 'bgpd refused' <<<"$since" | head -2)"
lab_wait 30 "VGW's path to on-prem has AS path $new" eval \
	'vgw_vtysh -c "show bgp ipv4 unicast $ONPREM_NET json" | grep -q "\"string\":\"$new\""' ||
	lab_fail "the VGW does not see AS $new"

# 5. the operator's objects survived all of it
grep -q "^ip prefix-list OFFICE seq 5 permit 192.168.7.0/24" <<<"$running" &&
	grep -q "^route-map OFFICE permit 10" <<<"$running" ||
	lab_fail "the operator's own prefix list or route-map is gone"

# 6. bgpd killed and started again empty (as FRR's unit would restart it
# from a saved configuration without cgw's part): cgwd configures it again,
# as a fresh start writes it, which must be what the reloads left
after_reloads=$(cgw_part)
grep -q "^router bgp $new\$" <<<"$after_reloads" || lab_fail "cgw_part finds no BGP instance: $after_reloads"
gw_kill bgpd || lab_fail "kill bgpd"
lab_wait 10 "bgpd gone" eval '! kill -0 "$(cat "$CGW_FRR/bgpd.pid")" 2>/dev/null' || lab_fail "bgpd did not die"
rm -f "$CGW_FRR/bgpd.pid"
t0=$(lab_us)
lab_frr_start cgw "$CGW_FRR" bgpd || lab_fail "bgpd restart"
# first cgwd must see the sessions gone (it polls every 2 s) ...
lab_wait 20 "cgwd sees BGP 1 gone" eval '! gw_bgp_up 1' ||
	lab_fail "cgwd still shows BGP 1 Established with a bgpd that has no neighbors"
# ... then configure bgpd again
for n in 1 2; do
	lab_wait 60 "BGP $n Established after bgpd's restart" gw_bgp_up $n ||
		lab_fail "BGP $n not back after bgpd restarted: $(cgw_ctl diagnose $n 2>&1 | head -3)"
done
lab_timing bgpd_restart_bgp_up_s "$(lab_since "$t0")"
running=$(cgw_running)
grep -q "^router bgp $new\$" <<<"$running" || lab_fail "cgw's configuration is not back in the restarted bgpd"
lab_wait 20 "bgpd's cgw part as the reloads left it" eval '[ "$(cgw_part)" = "$after_reloads" ]' ||
	lab_fail "what the reloads left in bgpd differs from what cgwd writes into an empty bgpd (< after the reloads, > fresh): $(diff <(echo "$after_reloads") <(cgw_part) | head -20)"

diag=$(cgw_diag 1)
[[ $diag == ok* ]] || lab_fail "diagnose after the reloads: $diag"

# 7. an operator's own BGP instance in the way (cgw's removed by hand, one
# of another AS configured): bgpd refuses cgw's "router bgp".  That is this
# box's fault, not AWS's: diagnose and show bgp say which command bgpd
# refused and why; with the operator's instance gone, cgw's configuration
# is back by itself.
lab_vtysh cgw "$CGW_FRR" -c "configure terminal" -c "no router bgp $new" \
	-c "router bgp 65099" -c "end" >/dev/null || lab_fail "vtysh: the operator's instance"
lab_wait 30 "diagnose names the refusal" eval '[[ $(cgw_diag 1) == *bgp-config-refused* ]]' ||
	lab_fail "diagnose does not name bgpd's refusal: $(cgw_diag 1)"
text=$(cgw_ctl diagnose 1)
lab_log "diagnose 1: $(grep -m1 bgp-config-refused <<<"$text")"
[[ $text == *"router bgp $new"* && $text == *65099* ]] ||
	lab_fail "diagnose does not quote the refused command and bgpd's answer: $text"
cgw_ctl show bgp | grep -q "refused" || lab_fail "show bgp does not show the refusal: $(cgw_ctl show bgp)"
# show routes compares with bgpd: the configured prefix is not sent
[ "$(cgw_advertised "$ONPREM_NET" not-sent)" = 2 ] ||
	lab_fail "show routes does not say $ONPREM_NET is not sent on both tunnels: $(cgw_ctl show routes)"
cgw_ctl show routes | grep "^advertised" | sed 's/^/# /'
lab_vtysh cgw "$CGW_FRR" -c "configure terminal" -c "no router bgp 65099" -c "end" >/dev/null ||
	lab_fail "vtysh: removing the operator's instance"
t0=$(lab_us)
for n in 1 2; do
	lab_wait 60 "BGP $n Established without the operator's instance" gw_bgp_up $n ||
		lab_fail "BGP $n not back after the operator's instance went: $(cgw_ctl diagnose $n 2>&1 | head -3)"
done
lab_timing refused_cleared_bgp_up_s "$(lab_since "$t0")"
lab_wait 30 "diagnose ok again" eval '[[ $(cgw_diag 1) == ok* ]]' ||
	lab_fail "diagnose after the refusal cleared: $(cgw_diag 1)"
lab_wait 10 "bgpd sends $ONPREM_NET again" eval '[ "$(cgw_advertised "$ONPREM_NET" sent)" = 2 ]' ||
	lab_fail "show routes after the refusal cleared: $(cgw_ctl show routes)"
