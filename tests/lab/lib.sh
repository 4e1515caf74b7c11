# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh (sourced): helpers shared by the lab's scripts and scenarios.
# Needs bash >= 5 ($EPOCHREALTIME: timestamps without forking, which costs
# ~36 ms per fork under QEMU TCG).

LAB_DIR=${LAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
LAB_RUN=${LAB_RUN:-/tmp/lab}          # scratch for this scenario (configs, logs, sockets)
mkdir -p "$LAB_RUN"
chmod 755 "$LAB_RUN"

# --- time -----------------------------------------------------------------
lab_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }       # microseconds, no fork
lab_since() { # lab_since T0_US -> "12.345" seconds
	local d=$(( ${EPOCHREALTIME/./} - $1 ))
	printf '%d.%03d' $((d / 1000000)) $((d % 1000000 / 1000))
}
# sleep without forking: read with a timeout on a pipe nobody writes to
exec {LAB_SLEEP_FD}<> <(:)
lab_sleep() { read -r -t "$1" -u "$LAB_SLEEP_FD" _ || true; }

# --- output ---------------------------------------------------------------
# Scenarios print diagnostics as TAP comments; the runner prints ok/not ok.
lab_log() { echo "# $*"; }
# (kept in LAB_RUN/failed too: the state dump at the exit repeats it last,
# where a log cut to its head and tail still shows it)
lab_fail() {
	echo "# FAIL: $*"
	[ -n "${LAB_RUN:-}" ] && echo "$*" >>"$LAB_RUN/failed"
	exit 1
}

# lab_wait TIMEOUT DESCRIPTION CMD [ARG...]: run CMD every 0.25 s until it
# succeeds; bounded. Sets LAB_WAITED (seconds, "1.234"). Returns 1 on timeout.
lab_wait() {
	local tmo=$1 desc=$2 t0; shift 2
	t0=$(lab_us)
	while :; do
		if "$@" >/dev/null 2>&1; then LAB_WAITED=$(lab_since "$t0"); return 0; fi
		if (( $(lab_us) - t0 > tmo * 1000000 )); then
			LAB_WAITED=$(lab_since "$t0")
			lab_log "timeout after ${tmo}s waiting for: $desc"
			return 1
		fi
		lab_sleep 0.25
	done
}

# --- processes ------------------------------------------------------------
# Every daemon the lab starts is tracked by PID (never killed by name: in
# direct mode the host may run its own charon/FRR).
lab_track() { echo "$1 $2" >>"$LAB_RUN/pids"; }             # NAME PID
lab_pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
lab_kill_tracked() {
	[ -s "$LAB_RUN/pids" ] || return 0
	local name pid pids=()
	while read -r name pid; do lab_pid_alive "$pid" && pids+=("$pid"); done <"$LAB_RUN/pids"
	[ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null
	local i
	for ((i = 0; i < 10; i++)); do
		local left=()
		for pid in "${pids[@]}"; do lab_pid_alive "$pid" && left+=("$pid"); done
		[ ${#left[@]} -eq 0 ] && break
		pids=("${left[@]}")
		lab_sleep 0.1
	done
	[ ${#pids[@]} -gt 0 ] && kill -KILL "${pids[@]}" 2>/dev/null
	: >"$LAB_RUN/pids"
}

# --- daemons --------------------------------------------------------------
# lab_charon_start NS DIR: one charon in namespace NS with DIR/strongswan.conf,
# its vici socket DIR/charon.vici, log DIR/charon.log. strongSwan 5.9 hard-codes
# /var/run/charon.pid: bind-mount DIR/charon.pid over it inside the mount
# namespace `ip netns exec` creates, so several charons coexist (and /run/netns
# stays visible to updown scripts).
lab_charon_start() {
	local ns=$1 dir=$2 pid
	: >"$dir/charon.pid"
	[ -e /run/charon.pid ] || : >/run/charon.pid
	rm -f "$dir/charon.vici"
	ip netns exec "$ns" /bin/sh -c 'mount --bind "$1/charon.pid" /run/charon.pid || exit 1
		STRONGSWAN_CONF="$1/strongswan.conf" exec /usr/lib/ipsec/charon' sh "$dir" \
		>>"$dir/charon.out" 2>&1 </dev/null &
	pid=$!
	disown "$pid" 2>/dev/null  # no "Killed" job notices at teardown
	echo "$pid" >"$dir/charon.realpid"
	lab_track "charon@$ns" "$pid"
	lab_wait 15 "charon in $ns: vici socket" test -S "$dir/charon.vici" ||
		{ cat "$dir/charon.out" "$dir/charon.log" 2>/dev/null | tail -20 | sed 's/^/# /'; return 1; }
}
lab_swanctl() { # lab_swanctl NS DIR COMMAND [ARGS...]  (swanctl wants the command first)
	local ns=$1 dir=$2 cmd=$3; shift 3
	STRONGSWAN_CONF="$dir/strongswan.conf" ip netns exec "$ns" swanctl "$cmd" --uri "unix://$dir/charon.vici" "$@"
}

# lab_frr_start NS DIR DAEMON...: FRR daemons (zebra, bgpd, ...) in NS with
# DIR/<daemon>.conf, sockets and PID files in DIR (own vty socket dir and zserv
# socket per instance). FRR refuses to run as root: user frr owns DIR.
lab_frr_start() {
	local ns=$1 dir=$2 d; shift 2
	chown frr:frr "$dir"
	for d in "$@"; do
		chown frr:frr "$dir/$d.conf"
		ip netns exec "$ns" /usr/lib/frr/$d -d -u frr -g frr -f "$dir/$d.conf" -i "$dir/$d.pid" \
			-z "$dir/zserv.api" --vty_socket "$dir" -A 127.0.0.1 -P 0 \
			>>"$dir/$d.out" 2>&1 </dev/null || { lab_log "$d in $ns failed to start"; tail -5 "$dir/$d.out" | sed 's/^/# /'; return 1; }
		lab_wait 10 "$d in $ns: pid file" test -s "$dir/$d.pid" || return 1
		lab_track "$d@$ns" "$(cat "$dir/$d.pid")"
		[ "$d" = zebra ] && { lab_wait 10 "zebra in $ns: zserv socket" test -S "$dir/zserv.api" || return 1; }
	done
	return 0
}
lab_frr_stop() { # lab_frr_stop DIR DAEMON...
	local dir=$1 d pid; shift
	for d in "$@"; do
		pid=$(cat "$dir/$d.pid" 2>/dev/null) || continue
		kill -TERM "$pid" 2>/dev/null
		lab_wait 5 "$d exits" eval "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null
		rm -f "$dir/$d.pid"
	done
}
lab_vtysh() { # lab_vtysh NS DIR -c CMD ...
	local ns=$1 dir=$2; shift 2
	ip netns exec "$ns" vtysh --vty_socket "$dir" "$@"
}

# Save a scenario's logs where the host can read them (LAB_OUT, the VM share).
lab_save_logs() {
	[ -n "${LAB_OUT:-}" ] || return 0
	mkdir -p "$LAB_OUT"
	(cd "$LAB_RUN" && find . -name '*.log' -o -name '*.out' -o -name '*.conf' -o -name '*.json' -o -name '*.txt' |
		grep -v swanctl.conf | cpio -pdm --quiet "$LAB_OUT") 2>/dev/null || true
}

# lab_bench_runs FUNC [RUNS [GATEWAY...]]: a benchmark scenario's runs,
# LAB_BENCH_RUNS of them (default RUNS), each for every gateway (default cgw
# and then the baseline) on a fresh lab: FUNC GATEWAY RUN in a subshell with
# its own LAB_RUN.
lab_bench_runs() {
	local fn=$1 runs=${LAB_BENCH_RUNS:-${2:-3}} i gw gws=("${@:3}")
	[ ${#gws[@]} -gt 0 ] || gws=(cgw baseline)
	for ((i = 1; i <= runs; i++)); do
		for gw in "${gws[@]}"; do
			(LAB_RUN=$LAB_RUN/$gw-$i; mkdir -p "$LAB_RUN"; "$fn" "$gw" "$i") ||
				{ echo "# FAIL: $gw run $i"; exit 1; }
		done
	done
}

