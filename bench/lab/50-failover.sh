#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50-failover (bench/failover): the outage when the tunnel AWS sends over
# dies, for cgw and for the baseline gateway, LAB_BENCH_RUNS times each,
# each run on a fresh lab.  onprem-host pings vpc-host every 20 ms; the
# round-trip outage is the longest gap between replies, the
# on-prem->VPC outage the longest gap between echo requests arriving at
# vpc-host (tcpdump), each minus the 20 ms interval.  "cgw-scraped" is cgw
# again while its /metrics has 8 stuck scrapers (32 unread answers each)
# and 100 scraping together once a second through the cut: the HTTP side
# must cost the failover nothing.  "cgw-loaded" is the control: the same
# scrapers against a stand-in server (scraper.py serve, cgwd's page) in the
# same namespace, so the load the scrapers themselves put on the VM's two
# CPUs is told apart from what cgwd's HTTP side costs.  One JSON line per run into $LAB_OUT/bench.jsonl.
. "$LAB_DIR/lib.sh"
out=$LAB_OUT/bench.jsonl
mkdir -p "$LAB_OUT"; : >"$out"

one_run() { # GATEWAY RUN
	local gw=$1 scrape=0 scraped="" target
	case $gw in
	cgw-scraped) gw=cgw; scrape=1 ;;
	cgw-loaded) gw=cgw; scrape=2 ;;
	esac
	LAB_GATEWAY=$gw
	. "$LAB_DIR/scenario.sh"
	lab_scenario_begin
	local n egress cut t0 rx lost rt fwd
	topo_up >/dev/null || lab_fail "topology"
	lab_aws_files || lab_fail "awsgen"
	vgw_start "$LAB_JSON" >/dev/null || lab_fail "vgw"
	gw_start "$LAB_JSON" >/dev/null || lab_fail "$gw start"
	for n in 1 2; do
		lab_wait 60 "tunnel $n" gw_tunnel_up $n || lab_fail "tunnel $n"
		lab_wait 120 "BGP $n" gw_bgp_up $n || lab_fail "BGP $n"
	done
	if [ "$gw" = cgw ]; then
		for n in 1 2; do
			lab_wait 30 "tunnel $n usable" eval '[ "$(cgw_field '$n' 15)" = usable ]' || lab_fail "usable $n"
		done
	fi
	lab_wait 30 "VGW egress" eval "ip -n vgw route show $ONPREM_NET | grep -q ipsec" || lab_fail "egress"
	lab_sleep 2
	egress=$(ip -n vgw route show "$ONPREM_NET" | grep -o 'ipsec[12]' | head -1)
	cut=${egress#ipsec}
	ip netns exec vpc-host tcpdump -i eth0 -n -tt -l 'icmp[icmptype] = icmp-echo' \
		>"$LAB_RUN/requests.txt" 2>/dev/null &
	lab_track tcpdump $!
	if [ $scrape != 0 ]; then
		target=127.0.0.1:$CGW_METRICS_PORT
		if [ $scrape = 2 ]; then
			target=127.0.0.1:$((CGW_METRICS_PORT + 1))
			cgw_ctl show metrics >"$LAB_RUN/page.txt" || lab_fail "show metrics"
			ip netns exec cgw python3 "$LAB_DIR/scraper.py" serve "$target" "$LAB_RUN/page.txt" \
				>"$LAB_RUN/serve.out" 2>&1 &
			lab_track stand-in "$!"
			lab_wait 20 "the stand-in serves" grep -q serving "$LAB_RUN/serve.out" || lab_fail "stand-in"
		fi
		ip netns exec cgw python3 "$LAB_DIR/scraper.py" stuck "$target" 8 \
			>"$LAB_RUN/stuck.out" 2>&1 &
		lab_track scraper "$!"
		ip netns exec cgw python3 "$LAB_DIR/scraper.py" parallel "$target" 100 12 1 \
			>"$LAB_RUN/parallel.out" 2>&1 &
		scraped=$!
		lab_track scraper "$scraped"
	fi
	lab_ping_start onprem-host "$VPC_HOST"
	lab_sleep 2
	t0=$(lab_us)
	fault_cut "$cut" || lab_fail "cut"
	# until replies flow again for 3 s (bounded: a stock gateway needs ~30 s)
	lab_wait 90 "traffic flowing again" eval \
		'awk -v c="$t0" "/bytes from/ { match(\$0, /^\\[[0-9.]+\\]/); t = substr(\$0, 2, RLENGTH - 2) * 1e6 } END { exit !(t > c + 3e6) }" "$LAB_PING_OUT"' ||
		lab_log "no recovery within 90 s"
	read -r rx lost rt <<<"$(lab_ping_stop)"
	if [ -n "$scraped" ]; then
		lab_wait 30 "the scrapers end" eval "! kill -0 $scraped" || lab_fail "scrapers hang"
		read -r s_ok s_err s_max <"$LAB_RUN/parallel.out" || lab_fail "no scraper report"
		lab_log "$1 run $2: scrapes during the cut: $s_ok answered, $s_err failed, slowest ${s_max} ms"
		[ "${s_ok:-0}" -gt 0 ] || lab_fail "no scrape answered"
	fi
	# cgw's own account of it: detection and the move on its side (its
	# event loop's latency is in both)
	local det=-1 moved=-1
	if [ "$gw" = cgw ]; then
		read -r det moved <<<"$(cgw_ctl -t show events | awk -F'\t' '$3 == "failover" { m = $4 }
			END { if (match(m, /detected in [0-9]+ ms, moved in [0-9]+ ms/)) {
				split(substr(m, RSTART, RLENGTH), w, " "); print w[3], w[7] } else print -1, -1 }')"
	fi
	fwd=$(awk '{ t = $1 + 0; if (have && t - last > gap) gap = t - last; last = t; have = 1 }
		END { g = gap - 0.02; if (g < 0) g = 0; printf "%.3f", g }' "$LAB_RUN/requests.txt")
	lab_log "$1 run $2: cut tunnel $cut, round trip ${rt}s, on-prem->VPC ${fwd}s ($lost of $((rx + lost)) lost)"
	printf '{"gateway":"%s","run":%d,"cut":%d,"round_trip_ms":%.0f,"forward_ms":%.0f,"cgw_detect_ms":%d,"cgw_moved_ms":%d}\n' \
		"$1" "$2" "$cut" "$(awk -v x="$rt" 'BEGIN { print x * 1000 }')" \
		"$(awk -v x="$fwd" 'BEGIN{print x*1000}')" "$det" "$moved" >>"$out"
}

lab_bench_runs one_run 3 cgw cgw-loaded cgw-scraped baseline
