#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-cgw-tunnels: cgw itself, from the imported AWS file: both tunnels UP
# (IPsec and BGP, as AWS's console counts it), on-prem reaches the VPC
# through ESP, and `cgwctl -j show tunnels` reports it with moving counters.
# The outside firewall drops and counts a stranger's IKE and ESP.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

topo_up || lab_fail "topology"
lab_aws_files || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"

t0=$(lab_us)
gw_start "$LAB_JSON" || lab_fail "cgw start"
lab_wait 60 "tunnel 1 up" gw_tunnel_up 1 || lab_fail "tunnel 1 not up"
lab_wait 60 "tunnel 2 up" gw_tunnel_up 2 || lab_fail "tunnel 2 not up"
lab_timing tunnels_up "$(lab_since "$t0")"
lab_wait 60 "BGP on tunnel 1 Established" gw_bgp_up 1 || lab_fail "BGP 1 not Established"
lab_wait 60 "BGP on tunnel 2 Established" gw_bgp_up 2 || lab_fail "BGP 2 not Established"
lab_timing bgp_established "$(lab_since "$t0")"
vgw_bgp_up 1 && vgw_bgp_up 2 || lab_fail "vgw does not see both BGP sessions Established"

lab_wait 30 "both tunnels UP in show tunnels" eval \
	'[ "$(cgw_ctl -t show tunnels | awk -F"\t" "\$6 == \"UP\"" | wc -l)" = 2 ]' ||
	lab_fail "show tunnels does not say UP twice"
lab_wait 30 "VPC prefix learnt by BGP in cgw's kernel table" eval \
	"ip -n cgw route show $VPC_NET | grep -q 'proto bgp'" || lab_fail "no BGP route to $VPC_NET in cgw"
lab_wait 30 "on-prem prefix in vgw's kernel table" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" ||
	lab_fail "no route to $ONPREM_NET through a tunnel in vgw"

cgw_ctl -j show tunnels >"$LAB_RUN/show1.json" || lab_fail "cgwctl -j show tunnels"
nsx onprem-host ping -c 10 -i 0.1 -W 2 "$VPC_HOST" >"$LAB_RUN/ping.txt" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/ping.txt"; lab_fail "onprem-host cannot ping vpc-host"; }
cgw_ctl -j show tunnels >"$LAB_RUN/show2.json" || lab_fail "cgwctl -j show tunnels"
cgw_ctl show tunnels | sed 's/^/# /'
python3 - "$LAB_RUN/show1.json" "$LAB_RUN/show2.json" <<'PY' || lab_fail "show tunnels JSON"
import json, sys
a, b = (json.load(open(f))["tunnels"] for f in sys.argv[1:3])
assert len(b) == 2, b
for t in b:
    assert t["status"] == "UP", t
    assert t["ike"]["state"] == "ESTABLISHED" and t["child"]["state"] == "INSTALLED", t
    assert t["bgp"]["state"] == "Established", t
    assert t["details"].endswith("BGP ROUTES"), t
    assert t["child"]["spiIn"] != "00000000", t
    assert "/" in t["child"]["proposal"], t
moved = sum(y["child"]["packetsOut"] - x["child"]["packetsOut"] for x, y in zip(a, b))
assert moved >= 10, "ESP packet counters moved by %d" % moved
print("# counters moved by %d packets" % moved)
PY
# show routes is true to the kernel: every route through a tunnel
# interface, and nothing else
cgw_ctl show routes | sed 's/^/# /'
cgw_ctl show bgp | sed 's/^/# /'
cgw_ctl -t show routes | awk -F'\t' '$1 == "to-aws" { print $2, $5 }' | sort >"$LAB_RUN/routes.cgwctl"
for dev in $(cgw_ctl -t show tunnels | cut -f3); do
	ip -n cgw -4 route show dev "$dev" | awk -v d="$dev" '{ p = $1; if (p !~ /\//) p = p "/32"; print p, d }'
done | sort >"$LAB_RUN/routes.kernel"
[ -s "$LAB_RUN/routes.kernel" ] && diff "$LAB_RUN/routes.kernel" "$LAB_RUN/routes.cgwctl" >&2 ||
	lab_fail "show routes differs from the kernel's table (above)"
grep -q "^$VPC_NET " "$LAB_RUN/routes.cgwctl" || lab_fail "show routes has no route to $VPC_NET"
# ... and the advertised lines are bgpd's: sent, as configured, on both
[ "$(cgw_advertised "$ONPREM_NET" sent)" = 2 ] ||
	lab_fail "show routes does not say bgpd sends $ONPREM_NET on both tunnels"
[ "$(cgw_ctl -t show routes | awk -F'\t' '$1 == "advertised" && $9 != "sent"' | wc -l)" = 0 ] ||
	lab_fail "show routes: bgpd's adj-rib-out differs from the configuration on a healthy lab"
[ "$(cgw_ctl -t show bgp | awk -F'\t' '$6 == "Established" && $8 >= 1' | wc -l)" = 2 ] ||
	lab_fail "show bgp does not show two Established sessions with routes"
[ "$(cgw_ctl -t show bgp | awk -F'\t' '$6 == "Established" && $11 != "-"' | wc -l)" = 0 ] ||
	lab_fail "show bgp shows an error on an Established session: $(cgw_ctl show bgp)"
# a healthy lab: diagnose says ok for both, and exits 0
cgw_ctl diagnose | sed 's/^/# /'
[ "$(cgw_diag 1)$(cgw_diag 2)" = "ok ok " ] || lab_fail "diagnose is not ok on a healthy lab: $(cgw_diag 1)/$(cgw_diag 2)"
cgw_ctl diagnose >/dev/null || lab_fail "diagnose exits non-zero on a healthy lab"
# the interface, MTU and MSS clamp are cgwd's
ip -n cgw -d link show type xfrm | grep -q "mtu 1436" || lab_fail "no xfrm interface with MTU 1436"
nsx cgw nft list table inet cgw | grep -q "maxseg size set 1379" || lab_fail "no MSS clamp"
# the metrics of a healthy lab, from cgwd itself: Prometheus's lint passes,
# both tunnels UP with their SAs Established, BGP Established, traffic
# counted, the probes answered, diagnose ok; the same over HTTP
cgw_ctl show metrics >"$LAB_RUN/metrics.txt" || lab_fail "show metrics"
promtool check metrics <"$LAB_RUN/metrics.txt" >"$LAB_RUN/promtool.out" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/promtool.out"; lab_fail "promtool check metrics on cgwd's exposition"; }
metric() { # FAMILY TUNNEL [LABELS]: the value
	awk -v f="$1" -v t="tunnel=\"$2\"" -v l="${3:-}" 'index($0, f "{") == 1 && index($0, t) && (l == "" || index($0, l)) { print $2; exit }' "$LAB_RUN/metrics.txt"
}
for n in 1 2; do
	[ "$(metric cgw_tunnel_state $n)" = 1 ] || lab_fail "metrics: tunnel $n not UP"
	[ "$(metric cgw_tunnel_ike_state $n 'state="Established"')" = 1 ] || lab_fail "metrics: tunnel $n IKE not Established"
	[ "$(metric cgw_tunnel_ipsec_state $n 'state="Established"')" = 1 ] || lab_fail "metrics: tunnel $n IPsec not Established"
	[ "$(metric cgw_bgp_session_state $n 'state="Established"')" = 1 ] || lab_fail "metrics: tunnel $n BGP not Established"
	[ "$(metric cgw_tunnel_receive_packets_total $n)" -gt 0 ] || lab_fail "metrics: nothing received over tunnel $n"
	[ "$(metric cgw_sa_established_total $n 'phase="ipsec"')" -ge 1 ] || lab_fail "metrics: no IPsec SA established on tunnel $n"
	[ "$(metric cgw_probe_rtt_seconds_count $n)" -gt 0 ] || lab_fail "metrics: no probe round trip on tunnel $n"
	[ "$(metric cgw_tunnel_diagnosis_info $n 'cause="ok"')" = 1 ] || lab_fail "metrics: diagnose not ok for tunnel $n"
done
grep -q '^cgw_build_info{version=".*",strongswan="[0-9.]*[0-9]",frr="[0-9.]*[0-9]"} 1$' "$LAB_RUN/metrics.txt" ||
	lab_fail "metrics: build info without strongSwan's and FRR's versions: $(grep '^cgw_build_info' "$LAB_RUN/metrics.txt")"
nsx cgw python3 -c 'import sys, urllib.request
b = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read()
sys.exit(0 if b"cgw_tunnel_state{" in b else 1)' "$CGW_METRICS_PORT" || lab_fail "no /metrics over HTTP"
# the history has the bring-up
cgw_ctl show events | sed 's/^/# /'
for e in start ike-up child-up tunnel-up bgp; do
	cgw_ctl -t show events | awk -F'\t' -v e="$e" '$3 == e { f = 1 } END { exit !f }' ||
		lab_fail "show events has no $e event"
done
# cgwd never waits on a client: one that asks 3000 times (megabytes of
# answers) and reads nothing is queued for, while another is answered at
# once; when it reads, every answer is there
coproc SLOW { python3 "$LAB_DIR/slow_client.py" "$CGW_DIR/run/cgwd.rsock" \
	"$LAB_DIR/../../src/lib/cgw_msg.h" 3000 2>&1; }
read -r -t 30 said <&"${SLOW[0]}" && [ "$said" = sent ] || lab_fail "slow client: $said"
lab_sleep 1
t0=$(lab_us)
cgw_ctl show tunnels >/dev/null || lab_fail "show tunnels while a client reads nothing"
lab_timing show_beside_stuck_client_s "$(lab_since "$t0")"
(( $(lab_us) - t0 < 2000000 )) || lab_fail "show tunnels took $(lab_since "$t0") s beside a client that reads nothing"
echo >&"${SLOW[1]}"
read -r -t 60 ends <&"${SLOW[0]}"
[ "$ends" = 3000 ] || lab_fail "the slow client got $ends of its 3000 answers"

# the outside firewall: a stranger on the internet ($INET_CGW, not an AWS
# endpoint) sends IKE to 500 and 4500 and ESP: dropped and counted, the
# tunnels stay UP
dropped() { # "IKE" or "ESP": the drop rule's packet counter
	nsx cgw nft list chain inet cgw outside | awk -v w="$1 not from" 'index($0, w) { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
ike0=$(dropped IKE) esp0=$(dropped ESP)
[ -n "$ike0" ] && [ -n "$esp0" ] || lab_fail "no outside filter in table inet cgw: $(nsx cgw nft list table inet cgw | tr '\n' ' ')"
nsx inet python3 -c 'import socket, sys
dst = sys.argv[1]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
e = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
for i in range(20):
    u.sendto(b"\0" * 28, (dst, 500))	# an IKE_SA_INIT-sized nothing
    u.sendto(b"\0\0\0\0" + b"\0" * 28, (dst, 4500))
    e.sendto(b"\x12\x34\x56\x78" + b"\0" * 28, (dst, 0))	# SPI, sequence, junk
' "$CGW_OUTSIDE" || lab_fail "the stranger could not send"
lab_wait 5 "the stranger's packets counted" eval '[ $(( $(dropped IKE) - ike0 )) -ge 40 ] && [ $(( $(dropped ESP) - esp0 )) -ge 20 ]' ||
	lab_fail "outside filter: IKE dropped $(( $(dropped IKE) - ike0 )) of 40, ESP $(( $(dropped ESP) - esp0 )) of 20"
gw_tunnel_up 1 && gw_tunnel_up 2 || lab_fail "a tunnel went down beside the stranger's packets"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "on-prem cannot reach the VPC beside the stranger's packets"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
