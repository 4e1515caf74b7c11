# SPDX-License-Identifier: GPL-2.0-or-later
# cgw.sh (sourced): gateway driver "cgw" - the product under test in
# namespace cgw: `cgwctl import` of the AWS JSON, a cgw.conf for the box,
# cgwd (which starts charon with the cgw plugin and drives FRR's bgpd
# through vtysh), all from $CGW_BUILDDIR.
#
# Gateway driver interface (see gw.sh): gw_start JSON, gw_stop,
# gw_tunnel_up N, gw_bgp_up N, gw_status, gw_kill WHAT, GW_NAME; and
# cgw_ctl ARGS (cgwctl against this cgwd), cgw_restart (cgwd only),
# cgw_start_daemon.

. "$(dirname "${BASH_SOURCE[0]}")/topology.sh"

GW_NAME=cgw
CGW_DIR=$LAB_RUN/cgw
CGW_FRR=$LAB_RUN/cgw-frr	# FRR runs as user frr: outside the 0700 $CGW_DIR
CGWD=$CGW_BUILDDIR/src/cgwd/cgwd
CGWCTL=$CGW_BUILDDIR/src/cgwctl/cgwctl
CGW_PLUGIN=$CGW_BUILDDIR/plugins/cgw/.libs/libstrongswan-cgw.so
CGW_METRICS_PORT=9560		# /metrics on 127.0.0.1 in namespace cgw

cgw_ctl() { ip netns exec cgw "$CGWCTL" -r "$CGW_DIR/run" "$@"; }

# cgw_prepare JSON: import and write the box's cgw.conf (no daemon yet), so
# a scenario can edit the connection file before starting.
cgw_prepare() {
	local json=$1 asn
	for f in "$CGWD" "$CGWCTL" "$CGW_PLUGIN"; do
		[ -x "$f" ] || [ -f "$f" ] || { lab_log "missing $f: build cgw first (CGW_BUILDDIR=$CGW_BUILDDIR)"; return 1; }
	done
	mkdir -p "$CGW_DIR/conn.d" "$CGW_DIR/run" "$CGW_FRR"
	chmod 700 "$CGW_DIR" "$CGW_DIR/conn.d"
	# -r: for static routing, the VPC prefix to route through the tunnels
	"$CGWCTL" import -o "$CGW_DIR/conn.d" -r "$VPC_NET" "$json" >"$CGW_DIR/import.out" 2>&1 ||
		{ sed 's/^/# /' "$CGW_DIR/import.out"; return 1; }
	asn=$(awk '$1 == "local-asn" { print $2; exit }' "$CGW_DIR"/conn.d/*.conf)
	CGW_ROUTING=$(awk '$1 == "routing" { print $2; exit }' "$CGW_DIR"/conn.d/*.conf)
	cat >"$CGW_DIR/cgw.conf" <<-EOF2
	gateway {
		outside-interface $CGW_WAN
		local-address $CGW_OUTSIDE
		local-asn ${asn:-65000}
		router-id $CGW_OUTSIDE
		advertise $ONPREM_NET
		metrics port $CGW_METRICS_PORT
	}
	include "conn.d/*.conf"
	EOF2
	chmod 600 "$CGW_DIR/cgw.conf"
}

# cgw_frr_start: an empty FRR (zebra, bgpd) for cgwd to configure, as a
# Debian box with FRR installed has.
cgw_frr_start() {
	[ "$CGW_ROUTING" = bgp ] || return 0
	: >"$CGW_FRR/zebra.conf"
	: >"$CGW_FRR/bgpd.conf"
	lab_frr_start cgw "$CGW_FRR" zebra bgpd
}

# cgw_start_daemon: cgwd in namespace cgw.  charon (cgwd's child) writes
# /run/charon.pid: a file of ours is bind-mounted over it in the mount
# namespace `ip netns exec` makes, so a restarted cgwd finds the charon it
# left running, as on a real box.
cgw_start_daemon() {
	local pid
	[ -e "$CGW_DIR/charon.pid" ] || : >"$CGW_DIR/charon.pid"
	[ -e /run/charon.pid ] || : >/run/charon.pid
	ip netns exec cgw /bin/sh -c 'mount --bind "$1/charon.pid" /run/charon.pid || exit 1
		exec "$2" -d -f "$1/cgw.conf" -r "$1/run" -S "$1/state" -P "$3" -B "$4" -U "$1/unbound/unbound.conf"' sh \
		"$CGW_DIR" "$CGWD" "$CGW_PLUGIN" "$([ "$CGW_ROUTING" = bgp ] && echo "$CGW_FRR" || echo none)" \
		>>"$CGW_DIR/cgwd.log" 2>&1 </dev/null &
	pid=$!
	disown "$pid" 2>/dev/null
	echo "$pid" >"$CGW_DIR/cgwd.realpid"
	lab_track "cgwd@cgw" "$pid"
	lab_wait 20 "cgwd's control socket" test -S "$CGW_DIR/run/cgwd.rsock" ||
		{ tail -20 "$CGW_DIR/cgwd.log" | sed 's/^/# /'; return 1; }
	# track charon too, for the cleanup (cgwd leaves it running on exit)
	lab_wait 20 "charon started by cgwd" test -s "$CGW_DIR/charon.pid" ||
		{ tail -20 "$CGW_DIR/cgwd.log" | sed 's/^/# /'; return 1; }
	lab_track "charon@cgw" "$(cat "$CGW_DIR/charon.pid")"
}

gw_start() {
	local t0; t0=$(lab_us)
	cgw_prepare "$1" || return 1
	"$CGWD" -n -f "$CGW_DIR/cgw.conf" >"$CGW_DIR/check.out" 2>&1 ||
		{ sed 's/^/# /' "$CGW_DIR/check.out"; return 1; }
	cgw_frr_start || return 1
	cgw_start_daemon || return 1
	lab_log "cgw started in $(lab_since "$t0")s"
}

# cgw_wait_usable: both tunnels UP, BGP Established and usable, or fail
cgw_wait_usable() {
	local n
	gw_wait_up
	for n in 1 2; do
		lab_wait 30 "tunnel $n usable" eval '[ "$(cgw_field '$n' 15)" = usable ]' ||
			lab_fail "tunnel $n never usable"
	done
}

# cgw_lab_up: the whole lab with cgw, both tunnels UP, BGP Established
# and usable (the start of most cgw scenarios)
cgw_lab_up() {
	topo_up || lab_fail "topology"
	lab_aws_files || lab_fail "awsgen"
	vgw_start "$LAB_JSON" || lab_fail "vgw start"
	gw_start "$LAB_JSON" || lab_fail "cgw start"
	cgw_wait_usable
}

# cgw_restart: stop cgwd alone (charon, FRR and the tunnels stay) and start it again
cgw_restart() {
	local pid; pid=$(cat "$CGW_DIR/cgwd.realpid")
	kill -TERM "$pid" 2>/dev/null
	lab_wait 10 "cgwd exits" eval "! kill -0 $pid" || return 1
	rm -f "$CGW_DIR/run/cgwd.rsock"
	cgw_start_daemon
}

gw_stop() {
	local pid
	for f in cgwd.realpid charon.pid; do
		pid=$(cat "$CGW_DIR/$f" 2>/dev/null)
		lab_pid_alive "$pid" && { kill -TERM "$pid"; lab_wait 5 "$f exits" eval "! kill -0 $pid" || kill -KILL "$pid"; }
	done
	[ "${CGW_ROUTING:-}" = bgp ] && lab_frr_stop "$CGW_FRR" bgpd zebra
	cgw_kernel_clear
	return 0
}

# cgw_kernel_clear: cgw's XFRM interfaces and nftables table gone
cgw_kernel_clear() {
	local l rc=0
	for l in $(ip -n cgw -o link show type xfrm 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		ip -n cgw link del "$l" || rc=1
	done
	nsx cgw nft delete table inet cgw 2>/dev/null
	return $rc
}

# cgw_power_off: what a power cut takes from the box: cgwd, charon and FRR
# killed, cgw's interfaces, SAs and policies, its nftables table and the
# runtime directory (tmpfs) gone.  The configuration and the state
# directory stay.  cgw_power_on: FRR empty, then cgwd, as at boot.
cgw_power_off() {
	local f pid
	for f in cgwd.realpid charon.pid; do
		pid=$(cat "$CGW_DIR/$f" 2>/dev/null)
		lab_pid_alive "$pid" || continue
		kill -KILL "$pid"
		lab_wait 5 "$f exits" eval "! kill -0 $pid" || return 1
	done
	: >"$CGW_DIR/charon.pid"
	[ "${CGW_ROUTING:-}" = bgp ] && lab_frr_stop "$CGW_FRR" bgpd zebra
	cgw_kernel_clear || return 1
	ip -n cgw xfrm state flush && ip -n cgw xfrm policy flush || return 1
	rm -rf "$CGW_DIR/run" && mkdir -p "$CGW_DIR/run"
}
cgw_power_on() { cgw_frr_start && cgw_start_daemon; }

# cgwctl -t columns: connection tunnel interface outside-ip inside-cidr
# status last-change ike child bytes-in bytes-out packets-in packets-out bgp
# usable details role
cgw_field() { # cgw_field N COLUMN
	cgw_ctl -t show tunnels 2>/dev/null | awk -F'\t' -v n="$1" -v c="$2" '$2 == n { print $c; exit }'
}
# cgw_tunnel_json N EXPR: EXPR (python) of tunnel N's object `t` in
# `cgwctl -j show tunnels`, e.g. 't["child"]["spiIn"]'
cgw_tunnel_json() {
	cgw_ctl -j show tunnels | python3 -c 'import json,sys
t = [x for x in json.load(sys.stdin)["tunnels"] if x["tunnel"] == int(sys.argv[1])][0]
print(eval(sys.argv[2]))' "$1" "$2"
}
# cgw_advertised PREFIX [BGPD]: over how many tunnels show routes lists
# PREFIX as advertised (with BGPD: as bgpd's adj-rib-out has it, column 9:
# sent, not-sent, unexpected, unread)
cgw_advertised() {
	cgw_ctl -t show routes 2>/dev/null | awk -F'\t' -v p="$1" -v s="${2:-}" \
		'$1 == "advertised" && $2 == p && (s == "" || $9 == s)' | wc -l
}
# cgw_diag N: the cause keys `cgwctl diagnose N` names, space-separated
cgw_diag() { cgw_ctl -t diagnose "$1" 2>/dev/null | awk -F'\t' '{ printf "%s ", $4 }'; }
# cgw_wait_diag SECONDS N KEY: until diagnose names KEY for tunnel N
cgw_wait_diag() {
	lab_wait "$1" "diagnose $2 names $3" eval '[[ " $(cgw_diag '"$2"') " == *" '"$3"' "* ]]' && {
		cgw_ctl diagnose "$2" | sed 's/^/# /'
		return 0
	}
	cgw_ctl diagnose "$2" | sed 's/^/# /'
	return 1
}
gw_tunnel_up() {
	local line
	line=$(cgw_ctl -t show tunnels 2>/dev/null | awk -F'\t' -v n="$1" '$2 == n')
	[[ $line == *$'\tESTABLISHED\tINSTALLED\t'* ]]
}
gw_bgp_up() { [ "$(cgw_field "$1" 14)" = Established ]; }

gw_status() {
	cgw_ctl show tunnels 2>&1
	[ "${CGW_ROUTING:-}" = bgp ] && lab_vtysh cgw "$CGW_FRR" -c "show bgp summary" 2>&1
	ip -n cgw route show
}

# gw_kill WHAT: kill -9 one of the gateway's processes (charon, cgwd, bgpd, zebra)
gw_kill() {
	local pid
	case $1 in
	charon) pid=$(cat "$CGW_DIR/charon.pid") ;;
	cgwd) pid=$(cat "$CGW_DIR/cgwd.realpid") ;;
	bgpd|zebra) pid=$(cat "$CGW_FRR/$1.pid") ;;
	*) lab_log "gw_kill: unknown process $1"; return 1 ;;
	esac
	kill -KILL "$pid"
}
