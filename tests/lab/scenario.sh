# SPDX-License-Identifier: GPL-2.0-or-later
# scenario.sh (sourced by every t/NN-*.sh): the whole lab library, a standard
# AWS connection, cleanup on exit, and a few assertions.
. "$(dirname "${BASH_SOURCE[0]}")/vgw.sh"
. "$(dirname "${BASH_SOURCE[0]}")/faults.sh"
. "$(dirname "${BASH_SOURCE[0]}")/gw.sh"

# lab_scenario_begin: trap cleanup (also when the runner's timeout sends TERM)
lab_scenario_begin() {
	if [ "${LAB_TRACE:-0}" = 1 ] && [ -n "${LAB_OUT:-}" ]; then
		# timestamped xtrace, to find where the time goes (bash ignores PS4
		# from the environment when run as root)
		mkdir -p "$LAB_OUT"
		exec 7>"$LAB_OUT/trace"
		BASH_XTRACEFD=7 PS4='+ ${EPOCHREALTIME} '
		set -x
	fi
	trap lab_scenario_end EXIT
	trap 'exit 143' TERM INT
	LAB_T0=$(lab_us)
}
lab_scenario_end() {
	local rc=$?
	trap - EXIT
	if [ $rc -ne 0 ]; then
		lab_log "--- state at failure ---"
		gw_status 2>&1 | sed 's/^/#   /'
		[ "${VGW_ROUTING:-}" = bgp ] && vgw_vtysh -c "show bgp summary" 2>&1 | sed 's/^/#   /'
		[ -s "$LAB_RUN/failed" ] && sed 's/^/# FAIL (above the state): /' "$LAB_RUN/failed"
	fi
	lab_save_logs
	# no orderly stop: killing the tracked daemons and deleting the namespaces
	# removes everything (interfaces, SAs, nft, qdiscs) and is much faster
	topo_down quiet
	exit $rc
}

# lab_aws_files [awsgen options]: fresh AWS files for the lab's addresses into
# $LAB_RUN/aws.json and $LAB_RUN/aws-generic.txt (default: one IKEv2 proposal
# per phase the VM kernel supports, BGP).
lab_aws_files() {
	LAB_JSON=$LAB_RUN/aws.json
	"$LAB_DIR/awsgen" --cgw-ip "$CGW_OUTSIDE" --aws-ip "$AWS_EP1" --aws-ip "$AWS_EP2" --lab \
		--json "$LAB_JSON" --generic "$LAB_RUN/aws-generic.txt" "$@"
}

# sum of the packet counters of all ESP SAs in a namespace (ip -s xfrm state)
lab_esp_packets() {
	ip -n "$1" -s xfrm state | awk '/lifetime current:/ { getline; sub(/\(packets\)/, "", $2); n += $2 } END { print n + 0 }'
}

# record a measurement: printed, and appended to $LAB_OUT/timings (key=value)
# gw_wait_up [SECONDS]: both tunnels up and their BGP sessions Established
# (each within SECONDS, default 60), with the gateway under test
gw_wait_up() {
	local n
	for n in 1 2; do
		lab_wait "${1:-60}" "tunnel $n up" gw_tunnel_up $n || lab_fail "tunnel $n not up"
		lab_wait "${1:-60}" "BGP $n Established" gw_bgp_up $n || lab_fail "BGP $n not Established"
	done
}

lab_timing() {
	lab_log "timing: $1=$2"
	[ -n "${LAB_OUT:-}" ] && { mkdir -p "$LAB_OUT"; echo "$1=$2" >>"$LAB_OUT/timings"; }
	return 0
}

# lab_ping_start NS DST [INTERVAL]: background ping (default every 20 ms) to
# measure outages; lab_ping_stop prints "received lost outage_seconds". The
# outage is the longest time between two consecutive replies (ping -D
# timestamps) minus one interval: under TCG ping cannot always keep its
# interval, so counting lost sequence numbers would underestimate it.
lab_ping_start() {
	LAB_PING_IV=${3:-0.02}
	LAB_PING_OUT=$LAB_RUN/ping-$1.txt
	ip netns exec "$1" ping -n -D -i "$LAB_PING_IV" -W 1 "$2" >"$LAB_PING_OUT" 2>&1 &
	LAB_PING_PID=$!
	disown "$LAB_PING_PID" 2>/dev/null
	lab_track ping "$LAB_PING_PID"
}
lab_ping_stop() {
	kill -INT "$LAB_PING_PID" 2>/dev/null
	lab_wait 5 "ping exits" eval "! kill -0 $LAB_PING_PID"
	awk -v iv="$LAB_PING_IV" '
		/bytes from/ && match($0, /^\[[0-9.]+\]/) { t = substr($0, 2, RLENGTH - 2) + 0
			# iputils numbers from 1: lost = highest seq answered - answers
			match($0, /icmp_seq=[0-9]+/); s = substr($0, RSTART + 9, RLENGTH - 9) + 0; n++
			if (have && t - last > gap) gap = t - last; last = t; have = 1; if (s > max) max = s }
		END { g = gap - iv; if (g < 0) g = 0; printf "%d %d %.2f\n", n, max - n, g }' "$LAB_PING_OUT"
}
# lab_ping_losses: after lab_ping_stop, one line per run of lost pings:
# "EPOCH FIRST LAST": the sequence numbers not answered, and about when the
# first of them was sent (the previous reply's time plus one interval)
lab_ping_losses() {
	awk -v iv="$LAB_PING_IV" '
		/bytes from/ && !/DUP!/ && match($0, /^\[[0-9.]+\]/) { t = substr($0, 2, RLENGTH - 2) + 0
			match($0, /icmp_seq=[0-9]+/); s = substr($0, RSTART + 9, RLENGTH - 9) + 0
			if (have && s > prev + 1) printf "%.3f %d %d\n", last + iv, prev + 1, s - 1
			if (s > prev) { prev = s; last = t; have = 1 } }' "$LAB_PING_OUT"
}
# lab_drops: the kernel's drop counters in every namespace of the lab
# (XFRM's, /proc/net/xfrm_stat: no state, no policy, replay...; each
# interface's rx/tx dropped, and tx carrier errors: an xfrm interface
# counts there what found no SA to go through) and the backlog drops of
# the whole VM, one "NAME VALUE" per line; lab_drops_delta BEFORE AFTER:
# those that moved.  Whether a lost packet is IPsec's or a VM too slow to
# keep up (softnet) is in there.
lab_drops() {
	local ns
	for ns in $LAB_NS; do
		ip netns exec "$ns" sh -c 'exec awk '\''
			FILENAME ~ /xfrm_stat/ { print $1, $2; next }
			{ f = FILENAME; sub("/sys/class/net/", "", f); sub("/statistics/", ".", f); print f, $1 }'\'' \
			/proc/net/xfrm_stat /sys/class/net/*/statistics/[rt]x_dropped /sys/class/net/*/statistics/tx_carrier_errors' 2>/dev/null | sed "s/^/$ns:/"
	done
	awk 'function hex(s,  i, n) { n = 0; s = tolower(s)
			for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n }
		{ d += hex($2) } END { print "softnet:dropped", d }' /proc/net/softnet_stat
}
lab_drops_delta() {
	awk 'NR == FNR { b[$1] = $2; next } ($1 in b) && $2 != b[$1] { printf "%s +%d\n", $1, $2 - b[$1] }' \
		<(echo "$1") <(echo "$2")
}
# lab_log_near EPOCH SECONDS FILE...: the lines of logs that start with a
# time of day (HH:MM:SS[.mmm], local time as the daemons write it) within SECONDS of EPOCH,
# to show what happened around a lost packet
lab_log_near() {
	local at=$1 win=$2; shift 2
	local f
	for f in "$@"; do
		[ -r "$f" ] || continue
		awk -v at="$at" -v win="$win" -v name="${f##*/}" '
			BEGIN { split(strftime("%H:%M:%S", int(at)), h, ":")
				c = h[1] * 3600 + h[2] * 60 + h[3] + (at - int(at)) }
			match($0, /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]+)?/) {
				split(substr($0, 1, RLENGTH), p, ":"); d = p[1] * 3600 + p[2] * 60 + p[3] - c
				if (d >= -win && d <= win) print "#   " name ": " $0 }' "$f"
	done
}
