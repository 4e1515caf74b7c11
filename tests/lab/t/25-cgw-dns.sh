#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 25-cgw-dns: the VPC's private names from on-prem, through cgw.  The VPC
# runs an inbound endpoint (unbound answering corp.example and
# internal.example on two addresses, one per "AZ"); cgw's dns block
# forwards both zones to it through Debian's unbound in namespace cgw,
# sourced from the LAN address.  On-prem resolves through cgw; a tunnel
# cut during a query loop loses no query past one retry (at most the one
# in flight at the cut: see below); with one address
# of the endpoint down, queries keep being answered (the slowest is
# recorded) and the address leaves unbound's list; diagnose dns names each
# cause, each produced here: the endpoint address silent, NXDOMAIN, unbound
# sending from an address AWS cannot answer, no route over the tunnels.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
. "$LAB_DIR/dns.sh"
lab_scenario_begin

cgw_lab_up
dns_vpc_start || lab_fail "the VPC's inbound endpoint"
# unbound as a Debian box runs it, before cgw has a dns block
dns_box_start || lab_fail "unbound in cgw"
dns_block >>"$CGW_DIR/cgw.conf"
"$CGWD" -n -f "$CGW_DIR/cgw.conf" >&2 || lab_fail "the dns block is refused"
cgw_ctl reload >/dev/null || lab_fail "cgwctl reload"
lab_wait 20 "unbound.conf.d/cgw.conf" test -s "$DNS_BOX/unbound.conf.d/cgw.conf" ||
	lab_fail "cgwd wrote no unbound.conf.d/cgw.conf"
# a reload does not open the LAN address: show dns says to restart unbound
lab_wait 20 "show dns: restart unbound" eval 'cgw_ctl show dns | grep -q "^unbound: ERROR: does not answer on $CGW_LAN:53.*restart unbound"' ||
	lab_fail "unbound not listening on the LAN, show dns says: $(cgw_ctl show dns | tr '\n' '|')"
dns_box_restart || lab_fail "unbound restart"
lab_wait 20 "both addresses answer" eval '[ "$(dns_state)" = "$DNS_EP1=answers $DNS_EP2=answers unbound=ok" ]' ||
	lab_fail "show dns: $(dns_state)"
[ "$(dns_ask host.corp.example)" = "$DNS_ANSWER" ] || lab_fail "onprem-host does not resolve host.corp.example through cgw"
[ "$(dns_ask db.internal.example)" = 10.2.0.81 ] || lab_fail "onprem-host does not resolve db.internal.example"
cgw_ctl show tunnels | grep -qx "DNS: 2 of 2 inbound endpoint addresses answer; unbound ok (cgwctl show dns)" ||
	lab_fail "show tunnels: $(cgw_ctl show tunnels | tail -1)"
cgw_ctl -t diagnose dns host.corp.example >"$LAB_RUN/diag.ok" ||
	lab_fail "diagnose dns exits non-zero with everything fine: $(tr '\n' '|' <"$LAB_RUN/diag.ok")"
grep -q $'^'"$DNS_EP1"$'\tdns-answer\tok' "$LAB_RUN/diag.ok" && grep -q $'^unbound\tdns-unbound\tok' "$LAB_RUN/diag.ok" &&
	! grep -q "dns-not-via-tunnels" "$LAB_RUN/diag.ok" || lab_fail "diagnose dns: $(tr '\n' '|' <"$LAB_RUN/diag.ok")"

# the tunnel AWS answers over is cut while on-prem keeps asking
lab_wait 30 "the VGW sends over a tunnel" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" ||
	lab_fail "no route at the VGW"
cut=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
cut=${cut#ipsec}
ip netns exec onprem-host python3 "$LAB_DIR/dnsloop.py" "$CGW_LAN" corp.example 14 >"$LAB_RUN/loop-cut.json" &
loop=$!
lab_sleep 3
lab_log "cutting tunnel $cut during the query loop"
fault_cut "$cut" || lab_fail "cut"
wait "$loop" || lab_fail "dnsloop"
lab_log "tunnel $cut cut: $(cat "$LAB_RUN/loop-cut.json")"
read -r asked failed retried slowest < <(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]));
print(d["asked"], d["failed"], d["after_retry"], d["slowest_s"])' "$LAB_RUN/loop-cut.json")
[ "$asked" -gt 20 ] || lab_fail "the loop asked only $asked"
# The goal is none.  Measured 0 of 212 and 0 of 214 here, and 1 of 201 and
# 1 of 203 in CI runs on a loaded machine: the query in flight at the cut,
# whose 2 s (1 s and a retry) ran out in the outage and unbound's
# backed-off retransmissions.  Until that is fixed, more than that one is
# a failure.
lab_timing dns_cut_failed "$failed"
[ "$failed" -le 1 ] || lab_fail "tunnel cut: $failed of $asked queries failed after one retry"
lab_timing dns_cut_asked "$asked"
lab_timing dns_cut_retried "$retried"
lab_timing dns_cut_slowest_s "$slowest"
fault_restore "$cut"
cgw_wait_usable

# one address of the endpoint (its AZ) stops answering
nsx vpc-host nft -f - <<-EOF2 || lab_fail "nft in vpc-host"
table inet lab_az { chain in { type filter hook input priority 0;
	ip daddr $DNS_EP2 udp dport 53 drop
}
}
EOF2
t0=$(lab_us)
ip netns exec onprem-host python3 "$LAB_DIR/dnsloop.py" "$CGW_LAN" corp.example 8 >"$LAB_RUN/loop-az.json" &
loop=$!
lab_wait 15 "$DNS_EP2 out of the list" eval '[ "$(dns_state)" = "$DNS_EP1=answers $DNS_EP2=down(out) unbound=ok" ]' ||
	lab_fail "one address down: show dns says $(dns_state)"
out_s=$(lab_since "$t0")
wait "$loop" || lab_fail "dnsloop"
lab_log "$DNS_EP2 down: out of the list in ${out_s}s; loop: $(cat "$LAB_RUN/loop-az.json")"
read -r asked failed slowest < <(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]));
print(d["asked"], d["failed"], d["slowest_s"])' "$LAB_RUN/loop-az.json")
[ "$failed" = 0 ] || lab_fail "one address down: $failed of $asked queries failed after one retry"
lab_timing dns_az_out_s "$out_s"
lab_timing dns_az_slowest_s "$slowest"
[ "$(dns_ask db.internal.example)" = 10.2.0.81 ] || lab_fail "no answer with one address down"
cgw_ctl -t diagnose dns db.internal.example >"$LAB_RUN/diag.az" && lab_fail "diagnose exits 0 with an address silent"
grep -q $'^'"$DNS_EP2"$'\tdns-endpoint-silent\tfault' "$LAB_RUN/diag.az" &&
	grep -q $'^'"$DNS_EP1"$'\tdns-answer\tok' "$LAB_RUN/diag.az" || lab_fail "diagnose dns: $(tr '\n' '|' <"$LAB_RUN/diag.az")"
cgw_ctl show metrics | grep -qx "cgw_dns_endpoint_up{endpoint=\"$DNS_EP2\"} 0" || lab_fail "metrics: $DNS_EP2 not down"
nsx vpc-host nft delete table inet lab_az
lab_wait 15 "$DNS_EP2 back" eval '[ "$(dns_state)" = "$DNS_EP1=answers $DNS_EP2=answers unbound=ok" ]' ||
	lab_fail "back: show dns says $(dns_state)"

# the private zone has no such name (or is not associated with the VPC)
cgw_ctl -t diagnose dns nosuch.internal.example >"$LAB_RUN/diag.nx"
grep -q $'\tdns-nxdomain\t' "$LAB_RUN/diag.nx" || lab_fail "diagnose dns NXDOMAIN: $(tr '\n' '|' <"$LAB_RUN/diag.nx")"

# an operator's file makes unbound also send from the outside address:
# AWS's answers to it never come back
printf 'server:\n\toutgoing-interface: %s\n' "$CGW_OUTSIDE" >"$DNS_BOX/unbound.conf.d/local.conf"
dns_box_restart || lab_fail "unbound restart"
lab_wait 20 "unbound ok again" eval '[ "$(dns_state)" = "$DNS_EP1=answers $DNS_EP2=answers unbound=ok" ]' ||
	lab_fail "show dns: $(dns_state)"
cgw_ctl -t diagnose dns host.corp.example >"$LAB_RUN/diag.src"
grep -q $'^unbound\tdns-source\tfault\tunbound also sends queries from '"$CGW_OUTSIDE" "$LAB_RUN/diag.src" ||
	lab_fail "diagnose dns source: $(tr '\n' '|' <"$LAB_RUN/diag.src")"
rm "$DNS_BOX/unbound.conf.d/local.conf"
dns_box_restart || lab_fail "unbound restart"

# an endpoint address no tunnel leads to (a typo, a VPC not behind this
# VPN): the kernel would send it out wan0, in clear; cgw asks nothing there
sed -i "s/^[[:space:]]*endpoint $DNS_EP2\$/&\nendpoint 10.3.0.53/" "$CGW_DIR/cgw.conf"
grep -q "endpoint 10.3.0.53" "$CGW_DIR/cgw.conf" || lab_fail "could not edit cgw.conf"
cgw_ctl reload >/dev/null || lab_fail "cgwctl reload"
lab_wait 20 "10.3.0.53 out" eval 'dns_state | grep -q "10.3.0.53=down(out)"' || lab_fail "show dns: $(dns_state)"
cgw_ctl -t diagnose dns host.corp.example >"$LAB_RUN/diag.route" && lab_fail "diagnose exits 0 with no route to an address"
grep -q $'^10.3.0.53\tdns-no-route\tfault\tno route to 10.3.0.53 over the tunnels: the kernel would send it out '"$CGW_WAN" "$LAB_RUN/diag.route" ||
	lab_fail "diagnose dns no route: $(tr '\n' '|' <"$LAB_RUN/diag.route")"
[ "$(dns_ask host.corp.example)" = "$DNS_ANSWER" ] || lab_fail "names stopped resolving with a bad address in the block"

lab_timing scenario_total "$(lab_since "$LAB_T0")"
