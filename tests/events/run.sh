#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cgwd's event history and its HTTP side, outside the lab (no IPsec needed:
# cgwd runs without charon and FRR in a namespace of its own):
#   - each event goes to Debian's real systemd-journald, started here in a
#     private mount namespace, with CGW_TUNNEL, CGW_EVENT and CGW_CAUSE
#     (journalctl CGW_EVENT=start finds it), when stderr is the journal;
#   - the history outlives a restart, a damaged line in its file is
#     skipped with a warning, the rest kept;
#   - /metrics answers GET, refuses other methods and paths, and while 8
#     connections hold unread answers, cgwctl show tunnels is answered at
#     once and other scrapes still are.
# Needs root (namespaces); make check runs as root.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
cgwd=$builddir/src/cgwd/cgwd
cgwctl=$builddir/src/cgwctl/cgwctl
need_top=$srcdir
. "$srcdir/tests/need.sh"
missing=$(need_missing test | grep -E 'journald|journalctl|systemd-cat')
[ -z "$missing" ] || { echo "not ok - missing: $missing"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "not ok - needs root (namespaces)"; exit 1; }

if [ "${1:-}" != --inside ]; then
	exec unshare -m "$0" --inside
fi
work=$(mktemp -d)
ns=cgw-ev-$$
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }
cleanup() {
	[ -n "${cgwd_pid:-}" ] && kill "$cgwd_pid" 2>/dev/null
	[ -n "${jd_pid:-}" ] && kill "$jd_pid" 2>/dev/null
	[ -n "${stuck_pid:-}" ] && kill "$stuck_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# a journal of our own: tmpfs over journald's directories (this mount
# namespace only)
mkdir -p /run/systemd /run/log
mount -t tmpfs tmpfs /run/systemd && mount -t tmpfs tmpfs /run/log || { echo "not ok - tmpfs"; exit 1; }
/lib/systemd/systemd-journald >"$work/journald.log" 2>&1 &
jd_pid=$!
for _ in $(seq 50); do [ -S /run/systemd/journal/stdout ] && break; sleep 0.1; done
[ -S /run/systemd/journal/stdout ] && ok "journald started" || { cat "$work/journald.log"; not_ok "journald started"; exit 1; }

# a box with one connection (the lab's generator), metrics on
ip netns add "$ns" && ip -n "$ns" link set lo up &&
	ip -n "$ns" link add wan0 type veth peer name wan1 && ip -n "$ns" link set wan0 up &&
	ip -n "$ns" addr add 192.0.2.10/24 dev wan0 || { echo "not ok - namespace"; exit 1; }
mkdir -m 700 "$work/conn.d"
python3 "$srcdir/tests/lab/awsgen" --cgw-ip 192.0.2.10 --aws-ip 203.0.113.1 \
	--aws-ip 203.0.113.2 --lab --seed 7 --json "$work/vpn.json" &&
	"$cgwctl" import -o "$work/conn.d" "$work/vpn.json" >/dev/null ||
	{ echo "not ok - import"; exit 1; }
cat >"$work/cgw.conf" <<EOF2
gateway {
	outside-interface wan0
	local-asn 65000
	advertise 10.1.0.0/16
	metrics port 9560
}
include "conn.d/*.conf"
EOF2
sed -i "s/local-asn 65000/local-asn $(awk '$1 == "local-asn" { print $2; exit }' "$work"/conn.d/*.conf)/" "$work/cgw.conf"
chmod 600 "$work/cgw.conf"
ctl() { "$cgwctl" -r "$work/run" "$@"; }

# start [journal]: cgwd in the namespace; with "journal", its stdout and
# stderr are a journal stream (as systemd gives a service) and
# JOURNAL_STREAM says so
start() {
	local wrap=()
	[ "${1:-}" = journal ] && wrap=(systemd-cat -t cgwd-test)
	"${wrap[@]}" ip netns exec "$ns" /bin/sh -c '
		[ "$1" = journal ] && export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2)
		shift
		exec "$@"' sh "${1:-plain}" \
		"$cgwd" -f "$work/cgw.conf" -r "$work/run" -S "$work/state" -c none -B none \
		>>"$work/cgwd.log" 2>&1 &
	cgwd_pid=$!
	for _ in $(seq 100); do [ -S "$work/run/cgwd.rsock" ] && return 0; sleep 0.1; done
	cat "$work/cgwd.log"; return 1
}
stop() {
	kill -TERM "$cgwd_pid"
	for _ in $(seq 100); do kill -0 "$cgwd_pid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$cgwd_pid" 2>/dev/null && rm -f "$work/run/cgwd.rsock" "$work/run/cgwd.sock"
}

start journal && ok "cgwd started with a journal stream" || not_ok "cgwd started with a journal stream"
stop || not_ok "cgwd stops"
for _ in $(seq 30); do journalctl --no-pager CGW_EVENT=start -o cat | grep -q started && break; sleep 0.1; done
journalctl --no-pager CGW_EVENT=start -o json >"$work/start.json" 2>&1
if python3 - "$work/start.json" <<'EOF2'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ok = [r for r in recs if r.get("CGW_TUNNEL") == "-" and r.get("CGW_CAUSE", "").startswith("cgwd started: 2 tunnels")
      and r.get("SYSLOG_IDENTIFIER") == "cgwd" and r.get("MESSAGE", "").startswith("-: start: ")]
sys.exit(0 if len(ok) == 1 else 1)
EOF2
then ok "journalctl CGW_EVENT=start finds the start, with its fields"
else sed 's/^/# /' "$work/start.json"; not_ok "journalctl CGW_EVENT=start finds the start, with its fields"
fi
# journald writes what it was sent a moment later
for _ in $(seq 30); do journalctl --no-pager CGW_EVENT=stop -o cat | grep -q 'cgwd exits' && break; sleep 0.1; done
[ "$(journalctl --no-pager CGW_EVENT=stop -o cat | grep -c 'cgwd exits')" = 1 ] &&
	ok "journalctl CGW_EVENT=stop" || not_ok "journalctl CGW_EVENT=stop"
# once, not also as a log line
[ "$(journalctl --no-pager -o cat | grep -c 'start: cgwd started')" = 1 ] &&
	ok "each event once in the journal" || not_ok "each event once in the journal: $(journalctl --no-pager -o cat | grep 'cgwd started')"

# without a journal stream (JOURNAL_STREAM inherited but stderr elsewhere):
# log lines, nothing structured
JOURNAL_STREAM=1:1 start && ok "cgwd started again" || not_ok "cgwd started again"
# (written out at the loop's first settle or tick)
for _ in $(seq 30); do grep -q 'event - start: cgwd started again' "$work/cgwd.log" && break; sleep 0.1; done
grep -q 'event - start: cgwd started again' "$work/cgwd.log" && ok "an event as a log line without the journal" ||
	not_ok "an event as a log line without the journal"
[ "$(journalctl --no-pager CGW_EVENT=start -o cat | wc -l)" = 1 ] && ok "no structured record then" ||
	not_ok "no structured record then"
ctl -t show events >"$work/events.txt"
awk -F'\t' '$3 == "start" { s++ } $3 == "stop" { p++ } END { exit !(s == 2 && p == 1) }' "$work/events.txt" &&
	ok "the history outlived the restart" || { sed 's/^/# /' "$work/events.txt"; not_ok "the history outlived the restart"; }

# /metrics: GET only, /metrics only; stuck scrapers hold nothing up
http() { # METHOD PATH -> status
	ip netns exec "$ns" python3 -c 'import sys, urllib.request, urllib.error
req = urllib.request.Request("http://127.0.0.1:9560" + sys.argv[2], method=sys.argv[1])
try:
    print(urllib.request.urlopen(req, timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)' "$1" "$2"
}
[ "$(http GET /metrics)" = 200 ] && ok "GET /metrics" || not_ok "GET /metrics"
[ "$(http POST /metrics)" = 405 ] && ok "POST refused" || not_ok "POST refused"
[ "$(http GET /nope)" = 404 ] && ok "other paths: 404" || not_ok "other paths: 404"
ip netns exec "$ns" python3 "$srcdir/tests/lab/scraper.py" stuck 127.0.0.1:9560 8 >"$work/stuck.out" 2>&1 &
stuck_pid=$!
sleep 1
# cgwd's side of them: answers queued that nobody reads
n=$(ip netns exec "$ns" ss -Htn '( sport = :9560 )' | awk '$3 > 0' | wc -l)
[ "$n" -ge 6 ] && ok "$n connections hold unread answers" || not_ok "stuck scrapers: $n connections with unread answers"
t0=$(date +%s%N)
ctl show tunnels >/dev/null && ok "show tunnels beside stuck scrapers" || not_ok "show tunnels beside stuck scrapers"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt 1000 ] && ok "...answered in $ms ms" || not_ok "show tunnels took $ms ms beside stuck scrapers"
read -r s_ok s_err _ < <(ip netns exec "$ns" python3 "$srcdir/tests/lab/scraper.py" parallel 127.0.0.1:9560 20 2)
[ "${s_ok:-0}" -gt 0 ] && [ "${s_err:-1}" = 0 ] && ok "20 parallel scrapers answered ($s_ok scrapes)" ||
	not_ok "parallel scrapes beside stuck ones: ${s_ok:-?} answered, ${s_err:-?} failed"
ctl show metrics | grep -q '^cgw_tunnel_state{' && ok "show metrics" || not_ok "show metrics"
stop

# a damaged line in the history is skipped with a warning, the rest
# kept; a last line cut by a crash (no newline) too, and the next event
# is not joined to it
printf 'garbage\twithout\tmeaning\n1796357832999\t-\tstart\tcut by a cra' >>"$work/state/events"
start && ok "cgwd started on a damaged history" || not_ok "cgwd started on a damaged history"
grep -q 'events: 2 unreadable lines skipped' "$work/cgwd.log" && ok "the damaged lines are named" ||
	not_ok "the damaged lines are named: $(grep unreadable "$work/cgwd.log")"
[ "$(ctl -t show events | awk -F'\t' '$3 == "start"' | wc -l)" = 3 ] && ok "the rest is kept" ||
	not_ok "the rest is kept: $(ctl show events)"
stop
start && [ "$(ctl -t show events | awk -F'\t' '$3 == "start"' | wc -l)" = 4 ] &&
	[ "$(ctl -t show events | awk -F'\t' '$3 == "stop"' | wc -l)" = 3 ] &&
	ok "the events after a cut line survive" || { ctl show events | sed 's/^/# /'; not_ok "the events after a cut line survive"; }
tail -c1 "$work/state/events" | od -c | grep -q '\\n' && ok "the history file ends with its line" ||
	not_ok "the history file ends in a cut line"
stop

# without a metrics line: nothing listens, show metrics still answers
sed -i '/metrics port/d' "$work/cgw.conf"
log_from=$(($(stat -c %s "$work/cgwd.log") + 1))
start && ok "cgwd without metrics" || not_ok "cgwd without metrics"
# answered: the loop runs, so whatever cgwd would listen on, it does now
ctl show metrics >"$work/nometrics.txt" && grep -q '^cgw_tunnel_state{' "$work/nometrics.txt" &&
	ok "show metrics without /metrics" || not_ok "show metrics without /metrics"
[ "$(ip netns exec "$ns" ss -Hltn | wc -l)" = 0 ] && ok "no listening socket" ||
	not_ok "a listening socket without metrics: $(ip netns exec "$ns" ss -Hltn)"
! tail -c +"$log_from" "$work/cgwd.log" | grep -q 'metrics:' && ok "no metrics server started" ||
	not_ok "metrics server started without a metrics line: $(tail -c +"$log_from" "$work/cgwd.log" | grep metrics:)"
stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
