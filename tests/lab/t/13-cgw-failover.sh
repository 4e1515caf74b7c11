#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 13-cgw-failover: cutting the path of the tunnel AWS sends over moves
# traffic, both directions, to the other tunnel long before AWS's 30 s
# hold timer (BGP neighbor shut, more-specifics pulled over the survivor);
# restoring it brings the tunnel back after its hold-down and withdraws
# the more-specifics.  (The outage itself is measured by bench/failover.)
# Debian's Prometheus scrapes cgwd throughout, next to a scraper stuck with
# unread answers: the tunnel's state series goes to 0 within a scrape of
# cgw seeing it DOWN, the failover counter counts the failover, the outage
# metric holds what cgw measured (its event says the same), and the state
# is 1 again once the tunnel is back.
LAB_GATEWAY=cgw
. "$LAB_DIR/scenario.sh"
. "$LAB_DIR/prom.sh"
lab_scenario_begin

cgw_lab_up
prom_start || lab_fail "Prometheus"
ip netns exec cgw python3 "$LAB_DIR/scraper.py" stuck "127.0.0.1:$CGW_METRICS_PORT" 8 \
	>"$LAB_RUN/stuck.out" 2>&1 &
lab_track scraper "$!"
prom_wait 10 "Prometheus: both tunnels UP" 'cgw_tunnel_state' == 1 ||
	lab_fail "Prometheus does not see both tunnels UP: $(prom_query cgw_tunnel_state | tr '\n' ' ')"
lab_wait 30 "the VGW sends over a tunnel" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" ||
	lab_fail "no route at the VGW"
egress=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
cut=${egress#ipsec} other=$((3 - ${egress#ipsec}))
lab_log "AWS sends over tunnel $cut: cutting it"
sel="tunnel=\"$cut\""
fo_before=$(prom_query "sum(cgw_failovers_total{$sel})")
[ -n "$fo_before" ] || lab_fail "no cgw_failovers_total in Prometheus"

lab_ping_start onprem-host "$VPC_HOST"
lab_sleep 1
t0=$(lab_us)
fault_cut "$cut" || lab_fail "cut"
lab_log "cut at $(date +%T.%N)"
lab_wait 10 "tunnel $cut unusable" eval '[ "$(cgw_field '$cut' 15)" = unusable ]' ||
	lab_fail "cgw did not notice tunnel $cut died"
lab_timing detect_s "$(lab_since "$t0")"
# the return path moved: more-specifics of on-prem via the other tunnel at the VGW
lab_wait 10 "VGW sends on-prem traffic over tunnel $other" eval \
	"ip -n vgw route show | grep -E '^10\.1\.(0|128)\.0/17' | grep -q ipsec$other" ||
	lab_fail "the VGW still sends over the dead tunnel"
lab_timing return_path_moved_s "$(lab_since "$t0")"
lab_log "vgw moved at $(date +%T.%N)"
lab_sleep 2
read -r rx lost outage <<<"$(lab_ping_stop)"
lab_log "cut: $rx replies, $lost lost, longest gap ${outage}s"
lab_timing failover_outage_s "$outage"
# functional bound, far from the 30 s a stock gateway takes: traffic flows again
awk -v g="$outage" 'BEGIN { exit !(g < 10) }' || lab_fail "traffic did not move (gap ${outage}s)"
nsx onprem-host ping -c 3 -i 0.2 -W 2 "$VPC_HOST" >/dev/null || lab_fail "no traffic after the failover"
cgw_ctl show tunnels | sed 's/^/# /'

# Prometheus: DOWN from the first scrape after cgw said so (the times are
# Prometheus's own scrape times and cgw's event's, not the test's polling)
lab_wait 20 "cgw says tunnel $cut DOWN" eval '[ "$(cgw_field '$cut' 6)" = DOWN ]' ||
	lab_fail "tunnel $cut never DOWN in show tunnels"
down_ms=$(cgw_ctl -j show events --since 2m | python3 -c 'import json, sys
e = [x for x in json.load(sys.stdin)["events"] if x["event"] == "tunnel-down" and x["tunnel"].endswith("-" + sys.argv[1])]
print(e[-1]["timeMs"] if e else "")' "$cut")
[ -n "$down_ms" ] || lab_fail "no tunnel-down event for tunnel $cut"
prom_wait 5 "Prometheus: tunnel $cut down" "cgw_tunnel_state{$sel}" == 0 ||
	lab_fail "Prometheus still has tunnel $cut UP"
first_zero=$(prom_samples "cgw_tunnel_state{$sel}[60s]" | awk -v d="$down_ms" '$1 * 1000 >= d && $2 == 0 { print $1; exit }')
[ -n "$first_zero" ] || lab_fail "no scrape of tunnel $cut at 0 after cgw's DOWN"
lag=$(awk -v z="$first_zero" -v d="$down_ms" 'BEGIN { printf "%.3f", z - d / 1000 }')
lab_log "cgw DOWN at $down_ms ms, Prometheus's first 0 scraped ${lag} s later"
lab_timing prometheus_down_after_cgw_s "$lag"
# the first scrape after it: one interval, and 0.3 s for the scrape itself
awk -v l="$lag" -v s="$PROM_SCRAPE_S" 'BEGIN { exit !(l <= s + 0.3) }' ||
	lab_fail "Prometheus's first 0 for tunnel $cut came ${lag} s after cgw's DOWN (scrape interval ${PROM_SCRAPE_S} s)"
prom_samples "cgw_tunnel_state{$sel}[60s]" | awk -v d="$down_ms" '$1 * 1000 < d - 1000 && $2 == 0 { bad = 1 } END { exit bad }' ||
	lab_fail "Prometheus had tunnel $cut at 0 before cgw said DOWN"
prom_wait 5 "Prometheus: one more failover" "sum(cgw_failovers_total{$sel})" == "$((fo_before + 1))" ||
	lab_fail "cgw_failovers_total of tunnel $cut: $(prom_query "sum(cgw_failovers_total{$sel})"), was $fo_before"
# the outage metric: what cgw measured, as its event has it
moved_ms=$(cgw_ctl -t show events | awk -F'\t' -v t="-$cut" '$3 == "failover" && substr($2, length($2) - 1) == t { m = $4 } END { sub(/.*moved in /, "", m); sub(/ ms.*/, "", m); print m }')
[ -n "$moved_ms" ] || { cgw_ctl show events | sed 's/^/# /'; lab_fail "no failover event for tunnel $cut"; }
prom_outage=$(prom_query "cgw_failover_last_outage_seconds{$sel}")
lab_log "cgw's outage: event ${moved_ms} ms, Prometheus ${prom_outage} s; pings lost ${outage} s"
awk -v p="$prom_outage" -v m="$moved_ms" 'BEGIN { exit !(p > 0 && p * 1000 - m < 1 && m - p * 1000 < 1) }' ||
	lab_fail "Prometheus's outage ${prom_outage} s is not the ${moved_ms} ms cgw measured"
lab_timing cgw_measured_outage_s "$prom_outage"
# the scrapers that never read held nothing up, and are still there
# (cgwd's side: connections with answers queued that nobody reads)
# (libmicrohttpd may have handed a whole answer to the kernel and closed:
# any state, Send-Q not empty)
stuck_now=$(nsx cgw ss -Htn "( sport = :$CGW_METRICS_PORT )" | awk '$3 > 0' | wc -l)
lab_log "$stuck_now connections to /metrics hold unread answers"
[ "$stuck_now" -ge 6 ] || lab_fail "only $stuck_now connections to /metrics hold unread answers: the stuck scrapers are gone ($(cat "$LAB_RUN/stuck.out"))"
cgw_ctl show tunnels >/dev/null || lab_fail "show tunnels next to the stuck scrapers"

t1=$(lab_us)
fault_restore "$cut" || lab_fail "restore"
lab_wait 90 "tunnel $cut usable again" eval '[ "$(cgw_field '$cut' 15)" = usable ]' ||
	lab_fail "tunnel $cut not back after the path was restored"
lab_timing restored_to_usable_s "$(lab_since "$t1")"
lab_wait 60 "BGP $cut back" gw_bgp_up "$cut" || lab_fail "BGP $cut not back"
lab_wait 30 "more-specifics withdrawn" eval \
	"! ip -n vgw route show | grep -qE '^10\.1\.(0|128)\.0/17'" || lab_fail "more-specifics not withdrawn"
prom_wait 10 "Prometheus: tunnel $cut UP again" "cgw_tunnel_state{$sel}" == 1 ||
	lab_fail "Prometheus does not see tunnel $cut UP again"
cgw_ctl show events --since 10m | sed 's/^/# /'
# held down: not back before the 10 s hold-down
awk -v t="$(lab_since "$t1")" 'BEGIN { exit !(t >= 10) }' || lab_fail "tunnel $cut came back before its hold-down"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
