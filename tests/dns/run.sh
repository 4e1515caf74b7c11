#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cgwd and Debian's real unbound, outside the lab (no IPsec needed: a veth
# stands in for the tunnels, cgwd runs without charon and FRR):
#   - the dns block becomes unbound.conf.d/cgw.conf and unbound reloads
#     with it; an on-prem client resolves the VPC's private zone through
#     the box, from an inbound endpoint (a second real unbound, answering
#     on two addresses as a Route 53 Resolver endpoint does);
#   - a dead endpoint address leaves unbound's forward list at run time
#     and comes back; queries keep being answered meanwhile;
#   - an unbound restarted with only its files gets cgw's list again;
#   - an unbound that is not running is an error in show dns;
#   - a reload without the dns block takes cgw's zones out of unbound.
# Needs root (namespaces); make check runs as root.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
cgwd=$builddir/src/cgwd/cgwd
cgwctl=$builddir/src/cgwctl/cgwctl
need_top=$srcdir
. "$srcdir/tests/need.sh"
missing=$(need_missing test | grep -E 'unbound|drill')
[ -z "$missing" ] || { echo "not ok - missing: $missing"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "not ok - needs root (namespaces)"; exit 1; }

work=$(mktemp -d)
box=cgw-dns-box-$$ vpc=cgw-dns-vpc-$$ lan=cgw-dns-lan-$$
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }
cleanup() {
	for p in "${cgwd_pid:-}" "${ub_pid:-}" "${vpc_pid:-}"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for n in "$box" "$vpc" "$lan"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }
# wait_for SECONDS WHAT CMD...: polls CMD every 0.1 s
wait_for() {
	local t=$1 what=$2; shift 2
	for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}

# on-prem client 10.1.0.10 -- 10.1.0.1 box -- veth "tunnel" -- vpc with the
# inbound endpoint on 10.2.0.53 and 10.2.1.53 (two AZs)
for n in "$box" "$vpc" "$lan"; do ip netns add "$n" && ip -n "$n" link set lo up || exit 1; done
ip -n "$box" link add lan0 type veth peer name eth0 netns "$lan" &&
ip -n "$box" link add tun0 type veth peer name tun0 netns "$vpc" &&
ip -n "$box" link add wan0 type veth peer name wan1 &&
ip -n "$box" addr add 10.1.0.1/16 dev lan0 && ip -n "$box" link set lan0 up &&
ip -n "$box" addr add 192.0.2.10/24 dev wan0 && ip -n "$box" link set wan0 up &&
ip -n "$box" addr add 169.254.10.2/30 dev tun0 && ip -n "$box" link set tun0 up &&
ip -n "$box" route add 10.2.0.0/16 via 169.254.10.1 &&
ip -n "$lan" addr add 10.1.0.10/16 dev eth0 && ip -n "$lan" link set eth0 up &&
ip -n "$lan" route add default via 10.1.0.1 &&
ip -n "$vpc" addr add 169.254.10.1/30 dev tun0 && ip -n "$vpc" link set tun0 up &&
ip -n "$vpc" addr add 10.2.0.53/32 dev lo && ip -n "$vpc" addr add 10.2.1.53/32 dev lo &&
ip -n "$vpc" route add 10.1.0.0/16 via 169.254.10.2 &&
nsx "$box" sysctl -qw net.ipv4.ip_forward=1 || { echo "not ok - namespaces"; exit 1; }

# the inbound endpoint: a private zone (every name in it answers), and
# amazonaws.com without the name asked for (NXDOMAIN)
mkdir -p "$work/vpc"
cat >"$work/vpc/unbound.conf" <<EOF2
server:
	username: ""
	chroot: ""
	directory: "$work/vpc"
	pidfile: "$work/vpc/unbound.pid"
	use-syslog: no
	logfile: ""
	do-daemonize: no
	interface: 10.2.0.53
	interface: 10.2.1.53
	access-control: 0.0.0.0/0 allow
	local-zone: "corp.example." redirect
	local-data: "corp.example. 60 IN A 10.2.0.80"
	local-data: "corp.example. 3600 IN SOA ns.corp.example. admin.corp.example. 1 3600 600 86400 60"
remote-control:
	control-enable: no
EOF2
ip netns exec "$vpc" unbound -d -p -c "$work/vpc/unbound.conf" >"$work/vpc/log" 2>&1 &
vpc_pid=$!

# the box's unbound, set up as Debian's package does it (includes
# unbound.conf.d, control over a unix socket, drops root for user unbound:
# a reload re-reads the files as that user), without the chroot
mkdir -p "$work/unbound/unbound.conf.d"
chmod 755 "$work" "$work/unbound" "$work/unbound/unbound.conf.d"
cat >"$work/unbound/unbound.conf" <<EOF2
server:
	username: "unbound"
	chroot: ""
	directory: "$work/unbound"
	pidfile: "$work/unbound/unbound.pid"
	use-syslog: no
	logfile: ""
	do-daemonize: no
include-toplevel: "$work/unbound/unbound.conf.d/*.conf"
remote-control:
	control-enable: yes
	control-interface: $work/unbound/ctl
EOF2
ub_start() {
	ip netns exec "$box" unbound -d -p -c "$work/unbound/unbound.conf" >>"$work/unbound/log" 2>&1 &
	ub_pid=$!
	wait_for 10 "unbound" test -S "$work/unbound/ctl"
}
ub() { nsx "$box" unbound-control -c "$work/unbound/unbound.conf" "$@"; }
ub_start && ok "the box's unbound runs" || { cat "$work/unbound/log"; not_ok "the box's unbound runs"; exit 1; }

mkdir -m 700 "$work/conn.d"
python3 "$srcdir/tests/lab/awsgen" --cgw-ip 192.0.2.10 --aws-ip 203.0.113.1 \
	--aws-ip 203.0.113.2 --lab --seed 7 --json "$work/vpn.json" &&
	"$cgwctl" import -o "$work/conn.d" "$work/vpn.json" >/dev/null ||
	{ echo "not ok - import"; exit 1; }
asn=$(awk '$1 == "local-asn" { print $2; exit }' "$work"/conn.d/*.conf)
write_conf() {	# [nodns | more (a second zone)]
	{
	cat <<-EOF2
	gateway {
		outside-interface wan0
		local-asn $asn
		advertise 10.1.0.0/16
	}
	include "conn.d/*.conf"
	EOF2
	[ "${1:-}" = nodns ] || cat <<-EOF2
	dns {
		listen 10.1.0.1
		source 10.1.0.1
		endpoint 10.2.0.53
		endpoint 10.2.1.53
		zone corp.example
	EOF2
	[ "${1:-}" = more ] && printf '\tzone internal.example\n'
	[ "${1:-}" = nodns ] || echo "}"
	} >"$work/cgw.conf"
	chmod 600 "$work/cgw.conf"
}
write_conf
ctl() { "$cgwctl" -r "$work/run" "$@"; }
# (ip netns exec execs cgwd: $! is cgwd's pid, for the SIGHUP below;
# umask 077 as cgwd.service has it: unbound's file must still be 0644)
(umask 077 && exec ip netns exec "$box" "$cgwd" -f "$work/cgw.conf" -r "$work/run" -S "$work/state" -c none -B none \
	-U "$work/unbound/unbound.conf" >>"$work/cgwd.log" 2>&1) &
cgwd_pid=$!
wait_for 10 "cgwd" test -S "$work/run/cgwd.rsock" && ok "cgwd started" ||
	{ cat "$work/cgwd.log"; not_ok "cgwd started"; exit 1; }

# unbound's forward list for the zone, sorted ("+i": insecure, as asked)
forwards() { ub list_forwards 2>&1 | awk '$1 == "corp.example." { for (i = 4; i <= NF; i++) if ($i !~ /^\+/) print $i }' | sort | xargs; }
wait_for 10 "the file" test -s "$work/unbound/unbound.conf.d/cgw.conf" &&
	grep -q '^	outgoing-interface: 10.1.0.1$' "$work/unbound/unbound.conf.d/cgw.conf" &&
	[ "$(stat -c %a "$work/unbound/unbound.conf.d/cgw.conf")" = 644 ] &&
	ok "unbound.conf.d/cgw.conf written" || not_ok "unbound.conf.d/cgw.conf written"
wait_for 10 "forwards" eval '[ "$(forwards)" = "10.2.0.53 10.2.1.53" ]' &&
	ok "unbound reloaded with both endpoint addresses" ||
	{ ub list_forwards | sed 's/^/# /'; sed 's/^/# /' "$work/cgwd.log"; not_ok "unbound reloaded with both endpoint addresses"; }

# unbound's reload reads the zones but opens no new listening address:
# cgwd finds unbound silent on 10.1.0.1 and says to restart it
unbound_detail() { ctl -j show dns | python3 -c 'import json, sys; u = json.load(sys.stdin)["unbound"]; print(u["state"], u["details"])'; }
wait_for 10 "silent" eval 'unbound_detail | grep -q "^error does not answer on 10.1.0.1:53 .*restart unbound"' &&
	ok "unbound reloaded but not listening on the LAN: show dns says restart it" ||
	{ unbound_detail | sed 's/^/# /'; not_ok "unbound reloaded but not listening on the LAN: show dns says restart it"; }
kill "$ub_pid"; wait "$ub_pid" 2>/dev/null; rm -f "$work/unbound/ctl"
ub_start || not_ok "unbound restarts"
wait_for 10 "listening" eval '[ "$(unbound_detail)" = "ok " ]' && ok "restarted, it answers on the LAN" ||
	{ unbound_detail | sed 's/^/# /'; not_ok "restarted, it answers on the LAN"; }

q=0
ask() {	# ask NAME: the first A record, through the box
	q=$((q + 1))
	timeout 3 ip netns exec "$lan" drill @10.1.0.1 "$1" A >"$work/drill.out" 2>&1
	awk '/ANSWER SECTION/ { a = 1; next } a && $4 == "A" { print $5; exit }' "$work/drill.out"
}
[ -n "${DNS_TEST_PAUSE:-}" ] && sleep "$DNS_TEST_PAUSE"
[ "$(ask "host$q.corp.example")" = 10.2.0.80 ] && ok "an on-prem client resolves a private name through the box" ||
	{ sed 's/^/# /' "$work/drill.out"; tail -5 "$work/unbound/log" | sed 's/^/# /'; not_ok "an on-prem client resolves a private name through the box"; }
dns_state() { ctl -j show dns | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%s=%s%s" % (e["endpoint"], e["state"], "" if e["forwarded"] else "(out)") for e in d["endpoints"]), "unbound=" + d["unbound"]["state"])'; }
wait_for 5 "answers" eval '[ "$(dns_state)" = "10.2.0.53=answers 10.2.1.53=answers unbound=ok" ]' &&
	ok "show dns: both addresses answer, unbound ok" || { ctl show dns | sed 's/^/# /'; not_ok "show dns: both addresses answer, unbound ok"; }

# one address of the endpoint dies (its AZ): out of the list, queries
# keep being answered; back in with its first answer
nsx "$vpc" nft -f - <<EOF2
table inet az {
	chain in {
		type filter hook input priority 0;
		ip daddr 10.2.1.53 udp dport 53 drop
	}
}
EOF2
t0=$(date +%s%N) lost=0 asked=0
until [ "$(dns_state)" = "10.2.0.53=answers 10.2.1.53=down(out) unbound=ok" ]; do
	asked=$((asked + 1))
	[ "$(ask "loop$q.corp.example")" = 10.2.0.80 ] || lost=$((lost + 1))
	[ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 15 ] || break
done
out_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$(dns_state)" = "10.2.0.53=answers 10.2.1.53=down(out) unbound=ok" ] && [ "$(forwards)" = 10.2.0.53 ] &&
	ok "a dead address leaves unbound's forward list (in $out_ms ms)" ||
	{ ctl show dns | sed 's/^/# /'; echo "# forwards: $(forwards)"; not_ok "a dead address leaves unbound's forward list"; }
[ "$lost" = 0 ] && ok "meanwhile all $asked queries were answered" || not_ok "meanwhile $lost of $asked queries failed"
# the console's view: show tunnels ends with the resolver's health, the
# metrics have it per address
ctl show tunnels | grep -qx 'DNS: 1 of 2 inbound endpoint addresses answer (down: 10.2.1.53); unbound ok (cgwctl show dns)' &&
	ok "show tunnels: resolver health" || { ctl show tunnels | sed 's/^/# /'; not_ok "show tunnels: resolver health"; }
ctl show metrics >"$work/metrics"
grep -qx 'cgw_dns_endpoint_up{endpoint="10.2.0.53"} 1' "$work/metrics" &&
	grep -qx 'cgw_dns_endpoint_up{endpoint="10.2.1.53"} 0' "$work/metrics" &&
	grep -qx 'cgw_dns_endpoint_forwarded{endpoint="10.2.1.53"} 0' "$work/metrics" &&
	grep -qx 'cgw_dns_unbound_up 1' "$work/metrics" &&
	ok "metrics: one address up, one down and out, unbound up" ||
	{ grep cgw_dns "$work/metrics" | sed 's/^/# /'; not_ok "metrics: one address up, one down and out, unbound up"; }
ctl -t show events | grep -q 'endpoint 10.2.1.53 down: 3 queries in a row unanswered' &&
	ok "the history says why" || { ctl -t show events | sed 's/^/# /'; not_ok "the history says why"; }

# unbound restarts: its files list both addresses; cgw sets its list again
kill "$ub_pid"; wait "$ub_pid" 2>/dev/null; rm -f "$work/unbound/ctl"
wait_for 15 "unbound error" eval 'unbound_detail | grep -q "^error unbound-control"' &&
	ok "unbound stopped: show dns says so" || { ctl show dns | sed 's/^/# /'; not_ok "unbound stopped: show dns says so"; }
ctl show dns | grep -q '^unbound: ERROR: unbound-control' && ok "...in words" || not_ok "...in words"
ub_start || not_ok "unbound starts again"
wait_for 25 "forwards again" eval '[ "$(forwards)" = 10.2.0.53 ]' &&
	ok "a restarted unbound gets cgw's list again" || { echo "# forwards: $(forwards)"; not_ok "a restarted unbound gets cgw's list again"; }

nsx "$vpc" nft delete table inet az
wait_for 5 "back" eval '[ "$(forwards)" = "10.2.0.53 10.2.1.53" ]' &&
	ok "the address answers again: back in the list" || not_ok "the address answers again: back in the list"

# diagnose dns: the veth is no tunnel of cgw's (said, as a warning); both
# addresses and unbound answer; a name outside the zones is said to be
diag() { ctl -t diagnose dns "$1" >"$work/diag.out"; echo $? >"$work/diag.rc"; }
diag host.corp.example
grep -q $'^10.2.0.53\tdns-not-via-tunnels\twarning\t10.2.0.53 is routed through tun0' "$work/diag.out" &&
	grep -q $'^10.2.1.53\tdns-answer\tok\t10.2.1.53 answers host.corp.example: 10.2.0.80' "$work/diag.out" &&
	grep -q $'^unbound\tdns-unbound\tok\tunbound answers host.corp.example: 10.2.0.80' "$work/diag.out" &&
	! grep -q dns-source "$work/diag.out" && [ "$(cat "$work/diag.rc")" = 0 ] &&
	ok "diagnose dns: both addresses and unbound answer, exit 0" ||
	{ sed 's/^/# /' "$work/diag.out"; not_ok "diagnose dns: both addresses and unbound answer, exit 0"; }
# the route to one address gone: the default route would take it to the
# internet in clear; cgwd sends nothing there and takes it out of the list
ip -n "$box" route add default via 192.0.2.1 dev wan0
ip -n "$box" route add 10.2.1.53/32 via 192.0.2.1 dev wan0
wait_for 6 "out" eval '[ "$(dns_state)" = "10.2.0.53=answers 10.2.1.53=down(out) unbound=ok" ]' &&
	ok "an address routed to the internet is not asked, and out of the list" ||
	{ ctl show dns | sed 's/^/# /'; not_ok "an address routed to the internet is not asked, and out of the list"; }
diag host.corp.example
grep -q $'^10.2.1.53\tdns-no-route\tfault\tno route to 10.2.1.53 over the tunnels: the kernel would send it out wan0' "$work/diag.out" &&
	[ "$(cat "$work/diag.rc")" = 1 ] && ok "diagnose dns: no route over the tunnels, exit 1" ||
	{ sed 's/^/# /' "$work/diag.out"; not_ok "diagnose dns: no route over the tunnels, exit 1"; }
# both routed to the internet (the tunnels' routes gone): the zone points
# nowhere (a closed local port), unbound says SERVFAIL at once, nothing
# leaves for the endpoint in clear
ip -n "$box" route add 10.2.0.53/32 via 192.0.2.1 dev wan0
wait_for 8 "nowhere" eval '[ "$(forwards)" = 127.0.0.1 ]' &&
	ok "no address routed over the tunnels: the zone points nowhere" ||
	{ echo "# forwards: $(forwards)"; not_ok "no address routed over the tunnels: the zone points nowhere"; }
nsx "$lan" drill @10.1.0.1 nowhere.corp.example A 2>&1 | grep -q 'rcode: SERVFAIL' &&
	ok "...and a client gets SERVFAIL" || not_ok "...and a client gets SERVFAIL"
ip -n "$box" route del 10.2.0.53/32
ip -n "$box" route del 10.2.1.53/32
wait_for 8 "back" eval '[ "$(forwards)" = "10.2.0.53 10.2.1.53" ]' || not_ok "back in the list after the route"

diag www.other.example
grep -q $'^-\tdns-not-forwarded\twarning' "$work/diag.out" && ok "diagnose dns: a name outside the zones" ||
	{ sed 's/^/# /' "$work/diag.out"; not_ok "diagnose dns: a name outside the zones"; }
ctl diagnose dns 'bad name!' >"$work/diag.out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q 'not a domain name' "$work/diag.out" && ok "diagnose dns: a bad name is refused" ||
	{ sed 's/^/# /' "$work/diag.out"; not_ok "diagnose dns: a bad name is refused (exit $rc)"; }
# an operator's file makes unbound also send from the outside address
printf 'server:\n\toutgoing-interface: 192.0.2.10\n' >"$work/unbound/unbound.conf.d/local.conf"
kill "$ub_pid"; wait "$ub_pid" 2>/dev/null; rm -f "$work/unbound/ctl"; ub_start
diag host.corp.example
grep -q $'^unbound\tdns-source\tfault\tunbound also sends queries from 192.0.2.10' "$work/diag.out" &&
	ok "diagnose dns: unbound also sends from an address AWS cannot answer" ||
	{ sed 's/^/# /' "$work/diag.out"; not_ok "diagnose dns: unbound also sends from an address AWS cannot answer"; }
rm "$work/unbound/unbound.conf.d/local.conf"

# an operator's file unbound cannot start with (a second interface line):
# cgw does not reload unbound into its death, says why, and reloads once
# the file is fixed
printf 'server:\n\tinterface: 127.0.0.1\n' >"$work/unbound/unbound.conf.d/local.conf"
write_conf more
kill -HUP "$cgwd_pid"
wait_for 15 "checkconf" eval 'unbound_detail | grep -q "^error unbound-checkconf refuses.*127.0.0.1 present twice"' &&
	kill -0 "$ub_pid" && ok "a configuration unbound cannot read is not reloaded; show dns says why" ||
	{ unbound_detail | sed 's/^/# /'; not_ok "a configuration unbound cannot read is not reloaded; show dns says why"; }
rm "$work/unbound/unbound.conf.d/local.conf"
wait_for 25 "reloaded" eval 'ub list_forwards | grep -q "^internal.example. "' &&
	ok "fixed: reloaded with the new zone" || { ub list_forwards | sed 's/^/# /'; not_ok "fixed: reloaded with the new zone"; }

# the file cannot be written (unbound.conf.d is not a directory): an error
# in show dns until it can, then written and reloaded
mv "$work/unbound/unbound.conf.d" "$work/unbound/conf.d.away"
: >"$work/unbound/unbound.conf.d"
write_conf
kill -HUP "$cgwd_pid"
wait_for 15 "write error" eval 'unbound_detail | grep -q "^error cannot write .*Not a directory"' &&
	ok "cannot write unbound's file: show dns says so" ||
	{ unbound_detail | sed 's/^/# /'; not_ok "cannot write unbound's file: show dns says so"; }
rm "$work/unbound/unbound.conf.d"
mv "$work/unbound/conf.d.away" "$work/unbound/unbound.conf.d"
wait_for 25 "rewritten" eval '! ub list_forwards | grep -q "^internal.example. " && [ "$(dns_state)" = "10.2.0.53=answers 10.2.1.53=answers unbound=ok" ]' &&
	ok "...written and reloaded once it can be" ||
	{ ub list_forwards | sed 's/^/# /'; unbound_detail | sed 's/^/# /'; not_ok "...written and reloaded once it can be"; }

# the dns block removed while unbound is down: the file keeps only a
# comment until unbound has reloaded (across a re-exec of cgwd), then goes
inc=$work/unbound/unbound.conf.d/cgw.conf
kill "$ub_pid"; wait "$ub_pid" 2>/dev/null; rm -f "$work/unbound/ctl"
write_conf nodns
kill -HUP "$cgwd_pid"
wait_for 10 "emptied" grep -q "no dns block in cgw.conf any more" "$inc" &&
	! grep -q "forward-zone" "$inc" && ok "dns block removed, unbound down: cgw's zones out of the file" ||
	{ sed 's/^/# /' "$inc"; not_ok "dns block removed, unbound down: cgw's zones out of the file"; }
kill -HUP "$cgwd_pid"
wait_for 10 "cgwd back" eval 'ctl show dns | grep -q "no dns block"'
sleep 2
test -e "$inc" && ok "...kept while unbound cannot reload, across a re-exec" || not_ok "...kept while unbound cannot reload, across a re-exec"
ub_start || not_ok "unbound starts again"
wait_for 25 "removed" eval '! test -e "$inc"' &&
	wait_for 10 "unloaded" eval '[ -z "$(forwards)" ]' &&
	ok "unbound back: reloaded without cgw's zones, the file gone" ||
	{ ub list_forwards | sed 's/^/# /'; not_ok "unbound back: reloaded without cgw's zones, the file gone"; }
ctl show dns | grep -q 'no dns block' && ok "show dns: no dns block" || not_ok "show dns: no dns block"
ctl show tunnels >"$work/tunnels.out" && ctl show metrics >"$work/metrics.out" &&
	! grep -q "^DNS:" "$work/tunnels.out" && ! grep -q "^cgw_dns_" "$work/metrics.out" &&
	ok "no dns block: no DNS line, no dns metrics" || not_ok "no dns block: no DNS line, no dns metrics"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
