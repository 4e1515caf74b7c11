#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 15-cgw-package: the Debian package, installed for real, brings both tunnels
# UP.  `make deb` (which make check runs first) built
# $CGW_BUILDDIR/packaging/deb/cgw_*.deb; here `dpkg -i` installs it, maintainer
# scripts included, into a writable copy of this machine's root (an overlay
# over /, changes on tmpfs, in a private mount namespace), then the
# *installed* cgwd runs in namespace cgw as its installed systemd unit says:
# ExecStartPre, ExecStart with NOTIFY_SOCKET (Type=notify: READY=1, and
# WATCHDOG=1 more often than WatchdogSec, from the main PID), ExecReload, and
# a restart with KillMode=process (charon and the tunnels stay).  The charon
# it starts loads the installed plugin from charon's own plugin directory.
# No systemd runs in the lab: a small listener plays its notify socket.
LAB_GATEWAY=cgw
# Every mount below dies with this scenario's private mount namespace.
if [ -z "${LAB_PKG_MNTNS:-}" ]; then
	LAB_PKG_MNTNS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$LAB_DIR/scenario.sh"
lab_scenario_begin

# ------------------------------------------------------------- the root --
debs=("$CGW_BUILDDIR"/packaging/deb/cgw_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] ||
	lab_fail "no single packaging/deb/cgw_*.deb in $CGW_BUILDDIR (make deb; make check builds it)"
deb=${debs[0]}
lab_log "package: ${deb##*/}"

# The overlay is outside LAB_RUN: the logs are collected from LAB_RUN with find.
R=$LAB_RUN.root OV=$LAB_RUN.ov
mkdir -p "$R" "$OV/upper" "$OV/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$OV/upper,workdir=$OV/work" "$R" ||
	lab_fail "overlay over / on $R"
mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && mount --bind /sys "$R/sys" &&
	mount -t tmpfs -o mode=0755 tmpfs "$R/run" && mount -t tmpfs -o mode=1777 tmpfs "$R/tmp" ||
	lab_fail "mounts in $R"
mkdir -p "$R/run/lock"
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
pkg_end() {	# the installed daemons' logs, then the usual cleanup
	local rc=$?
	cp "$R/run/charon.cgw.log" "$LAB_RUN/charon.log" 2>/dev/null
	mkdir -p "$LAB_RUN/cgw-frr" && cp "$R"/run/frr/*.log "$R"/run/frr/*.out "$LAB_RUN/cgw-frr/" 2>/dev/null
	(exit $rc)
	lab_scenario_end
}
trap pkg_end EXIT

# ---------------------------------------------------------- dpkg -i --
cp "$deb" "$R/tmp/" || lab_fail "copy ${deb##*/}"
# man-db's trigger would rebuild the manual page index (a minute under TCG):
# the administrator's switch for that (debconf man-db/auto-update) is off.
rm -f "$R/var/lib/man-db/auto-update"
unit=/lib/systemd/system/cgwd.service
# dpkg reads its whole database and the maintainer scripts start perl: on
# the VM's cold 9p root that takes a minute or more, so it runs while the
# topology and the AWS side come up.  systemd-analyze (loading every unit)
# too.
pkg_install() {
	local t0; t0=$(lab_us)
	in_root DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/${deb##*/}" >"$LAB_RUN/dpkg.out" 2>&1 ||
		{ echo "dpkg -i failed" >"$LAB_RUN/pkg.failed"; return 1; }
	echo "dpkg_install $(lab_since "$t0")" >"$LAB_RUN/pkg.timings"
	[ -x "$R/usr/bin/systemd-analyze" ] || return 0
	t0=$(lab_us)
	in_root systemd-analyze verify "$unit" >"$LAB_RUN/verify.out" 2>&1
	echo $? >"$LAB_RUN/verify.rc"
	echo "systemd_analyze_verify $(lab_since "$t0")" >>"$LAB_RUN/pkg.timings"
}
pkg_install &
pkg_pid=$!

# -------------------------------------------------- the lab (meanwhile) --
topo_up || lab_fail "topology"
lab_track pkg-install "$pkg_pid"	# after topo_up: it kills what is tracked
lab_aws_files || lab_fail "awsgen"
vgw_start "$LAB_JSON" || lab_fail "vgw start"

# ------------------------------------------------------------ installed --
t0=$(lab_us)
wait "$pkg_pid"
[ -s "$LAB_RUN/pkg.timings" ] && ! [ -e "$LAB_RUN/pkg.failed" ] ||
	{ sed 's/^/# /' "$LAB_RUN/dpkg.out"; lab_fail "dpkg -i ${deb##*/}"; }
lab_log "waited $(lab_since "$t0")s for dpkg -i after the lab was up"
while read -r k v; do lab_timing "$k" "$v"; done <"$LAB_RUN/pkg.timings"
[ "$(in_root dpkg-query -W -f='${Status}' cgw)" = "install ok installed" ] ||
	lab_fail "cgw is not installed and configured"

# the configuration is root's alone, and dpkg's to keep
modes=$(cd "$R/etc/cgw" && stat -c '%n %a %U:%G' . conn.d cgw.conf.example)
[ "$modes" = $'. 700 root:root\nconn.d 700 root:root\ncgw.conf.example 600 root:root' ] ||
	{ lab_log "$modes"; lab_fail "/etc/cgw modes"; }
in_root dpkg-query -W -f='${Conffiles}\n' cgw | grep -q '^ /etc/cgw/cgw.conf.example ' ||
	lab_fail "/etc/cgw/cgw.conf.example is not a conffile"
# pinned to the strongSwan upstream version the plugin was built against
sw=$(in_root dpkg-query -W -f='${Version}' strongswan-charon); sw=${sw%-*}
in_root dpkg-query -W -f='${Depends}\n' cgw | tr ',' '\n' | sed 's/^ *//' >"$LAB_RUN/depends.txt"
for p in strongswan-charon strongswan-libcharon; do
	grep -qxF "$p (>= $sw)" "$LAB_RUN/depends.txt" && grep -qxF "$p (<< $sw.0~)" "$LAB_RUN/depends.txt" ||
		{ sed 's/^/# /' "$LAB_RUN/depends.txt"; lab_fail "no dependency on $p $sw exactly"; }
done
grep -qx frr "$LAB_RUN/depends.txt" || lab_fail "no dependency on frr"
plugin=/usr/lib/ipsec/plugins/libstrongswan-cgw.so
[ -f "$R$plugin" ] || lab_fail "no $plugin"
! grep -qa __asan_init "$R/usr/sbin/cgwd" || lab_fail "the packaged cgwd is built with ASan"
[ -f "$R$unit" ] || lab_fail "no $unit"
[ -L "$R/etc/systemd/system/multi-user.target.wants/cgwd.service" ] ||
	lab_fail "postinst did not enable cgwd.service"
if [ -x "$R/usr/bin/systemd-analyze" ]; then
	[ "$(cat "$LAB_RUN/verify.rc")" = 0 ] && ! [ -s "$LAB_RUN/verify.out" ] ||
		{ sed 's/^/# /' "$LAB_RUN/verify.out"; lab_fail "systemd-analyze verify $unit"; }
	lab_log "systemd-analyze verify $unit: clean"
else
	lab_log "no systemd-analyze here: unit not verified"
fi

# the unit's commands and watchdog
unit_get() { sed -n "s/^$1=//p" "$R$unit" | tail -1; }
exec_pre=$(unit_get ExecStartPre) exec_start=$(unit_get ExecStart) exec_reload=$(unit_get ExecReload)
wd=$(unit_get WatchdogSec)
lab_log "unit: ExecStartPre=$exec_pre ExecStart=$exec_start ExecReload=$exec_reload WatchdogSec=$wd"
[ "$(unit_get Type)" = notify ] && [ "$(unit_get KillMode)" = process ] && [[ $wd =~ ^[0-9]+$ ]] &&
	[ -n "$exec_pre" ] && [ -n "$exec_start" ] && [ -n "$exec_reload" ] || lab_fail "unit lacks what this test runs"
for c in "$exec_pre" "$exec_start" "$exec_reload"; do
	[[ $c == /* ]] || lab_fail "unit command with a prefix or relative path: $c"
done
ctl=${exec_reload%% *}

# -------------------------------------------------- the box's configuration --
cp "$LAB_JSON" "$R/tmp/vpn.json"
# the installed cgwctl, into the installed /etc/cgw/conn.d
in_root "$ctl" import -r "$VPC_NET" /tmp/vpn.json >"$LAB_RUN/import.out" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/import.out"; lab_fail "cgwctl import"; }
conn=$(ls "$R"/etc/cgw/conn.d/*.conf)
[ "$(stat -c %a "$conn")" = 600 ] || lab_fail "${conn##*/} is not 0600"
asn=$(awk '$1 == "local-asn" { print $2; exit }' "$conn")
CGW_ROUTING=$(awk '$1 == "routing" { print $2; exit }' "$conn")
[ "$CGW_ROUTING" = bgp ] || lab_fail "expected a BGP connection, got ${CGW_ROUTING:-none}"
(umask 077; cat >"$R/etc/cgw/cgw.conf" <<-EOF
gateway {
	outside-interface $CGW_WAN
	local-address $CGW_OUTSIDE
	local-asn ${asn:-65000}
	router-id $CGW_OUTSIDE
	advertise $ONPREM_NET
}
include "conn.d/*.conf"
EOF
)

# FRR with its Debian paths as seen from the installed root: cgwd's vtysh
# finds it at FRR's default vty directory, /run/frr.
CGW_FRR=$R/run/frr
mkdir -p "$CGW_FRR"
: >"$CGW_FRR/zebra.conf"; : >"$CGW_FRR/bgpd.conf"
lab_frr_start cgw "$CGW_FRR" zebra bgpd || lab_fail "FRR in cgw"

# What cgw.sh's helpers (gw_tunnel_up, gw_bgp_up, cgw_field, gw_status) use:
# the installed cgwctl, default runtime directory.
cgw_ctl() { ip netns exec cgw chroot "$R" "$ctl" "$@"; }

# ------------------------------------------------ systemd's part, by hand --
# The notify socket: every datagram with its sender's PID (SCM_CREDENTIALS).
mkdir -p "$R/run/systemd"
cat >"$LAB_RUN/notify.py" <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = -1
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", data[:12])[0]
        for line in msg.decode(errors="replace").splitlines():
            out.write("%.3f %d %s\n" % (time.monotonic(), pid, line))
PY
NOTIFY_LOG=$LAB_RUN/notify.log
: >"$NOTIFY_LOG"
python3 "$LAB_RUN/notify.py" "$R/run/systemd/notify" "$NOTIFY_LOG" </dev/null >"$LAB_RUN/notify.out" 2>&1 &
lab_track notify $!
disown $! 2>/dev/null
lab_wait 10 "notify socket" test -S "$R/run/systemd/notify" || lab_fail "notify listener"

# notified PID MSG [N]: PID sent MSG at least N times (default 1)
notified() { [ "$(awk -v p="$1" -v m="$2" '$2 == p && $3 == m' "$NOTIFY_LOG" | wc -l)" -ge "${3:-1}" ]; }

# unit_start: RuntimeDirectory, ExecStartPre, then ExecStart with what systemd
# gives a Type=notify service with a watchdog; CGWD_PID is the main PID.
unit_start() {
	mkdir -p -m 0755 "$R/run/cgw"
	# shellcheck disable=SC2086
	ip netns exec cgw chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		$exec_pre >"$LAB_RUN/execstartpre.out" 2>&1 ||
		{ sed 's/^/# /' "$LAB_RUN/execstartpre.out"; lab_fail "ExecStartPre=$exec_pre"; }
	# shellcheck disable=SC2086
	ip netns exec cgw chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		NOTIFY_SOCKET=/run/systemd/notify WATCHDOG_USEC=$((wd * 1000000)) \
		/bin/sh -c 'umask 0077; WATCHDOG_PID=$$ exec "$@"' sh $exec_start \
		>>"$LAB_RUN/cgwd.log" 2>&1 </dev/null &
	CGWD_PID=$!
	CGWD_PIDS="${CGWD_PIDS:-} $CGWD_PID"
	disown "$CGWD_PID" 2>/dev/null
	lab_track "cgwd@cgw" "$CGWD_PID"
	lab_wait 30 "READY=1 from cgwd (pid $CGWD_PID)" notified "$CGWD_PID" READY=1 ||
		{ tail -20 "$LAB_RUN/cgwd.log" | sed 's/^/# /'; lab_fail "no READY=1 from the main PID"; }
	lab_wait 20 "charon started by cgwd" test -s "$R/run/charon.pid" || lab_fail "no charon"
	CHARON_PID=$(cat "$R/run/charon.pid")
	lab_track "charon@cgw" "$CHARON_PID"
}

t0=$(lab_us)
unit_start
lab_timing ready "$(lab_since "$t0")"
grep -q "usr/lib/ipsec/plugins/libstrongswan-cgw.so" "/proc/$CHARON_PID/maps" ||
	lab_fail "charon (pid $CHARON_PID) has not loaded the installed plugin"
! tr '\0' '\n' <"/proc/$CHARON_PID/environ" | grep -q '^LD_PRELOAD=' || lab_fail "charon runs with LD_PRELOAD"

both_up() {
	gw_wait_up
	lab_wait 30 "both tunnels UP in show tunnels" eval \
		'[ "$(cgw_ctl -t show tunnels | awk -F"\t" "\$6 == \"UP\"" | wc -l)" = 2 ]' ||
		lab_fail "show tunnels does not say UP twice"
}
both_up
lab_timing tunnels_up "$(lab_since "$t0")"
vgw_bgp_up 1 && vgw_bgp_up 2 || lab_fail "vgw does not see both BGP sessions Established"
nsx onprem-host ping -c 5 -i 0.2 -W 2 "$VPC_HOST" >"$LAB_RUN/ping.txt" 2>&1 ||
	{ sed 's/^/# /' "$LAB_RUN/ping.txt"; lab_fail "onprem-host cannot ping vpc-host"; }
cgw_ctl show tunnels | sed 's/^/# /'

# ExecReload: cgwd re-executes itself (same PID), RELOADING=1 then READY=1
# again; charon and the tunnels stay.
# shellcheck disable=SC2086
ip netns exec cgw chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin $exec_reload \
	>"$LAB_RUN/execreload.out" 2>&1 || { sed 's/^/# /' "$LAB_RUN/execreload.out"; lab_fail "ExecReload=$exec_reload"; }
lab_wait 30 "RELOADING=1, then READY=1 again" eval 'notified $CGWD_PID RELOADING=1 && notified $CGWD_PID READY=1 2' ||
	lab_fail "reload: no RELOADING=1 / READY=1 from pid $CGWD_PID"
kill -0 "$CGWD_PID" 2>/dev/null || lab_fail "cgwd's main PID is gone after the reload"
[ "$(cat "$R/run/charon.pid")" = "$CHARON_PID" ] && kill -0 "$CHARON_PID" || lab_fail "charon restarted on reload"
both_up

# systemctl restart with KillMode=process: SIGTERM to the main PID only,
# then ExecStartPre and ExecStart again; the new cgwd adopts charon.
kill -TERM "$CGWD_PID"
lab_wait 15 "cgwd exits" eval "! kill -0 $CGWD_PID" || lab_fail "cgwd ignores SIGTERM"
kill -0 "$CHARON_PID" 2>/dev/null || lab_fail "charon died with cgwd"
# the listener may not have written the last datagram yet
lab_wait 5 "STOPPING=1 from pid $CGWD_PID" notified "$CGWD_PID" STOPPING=1 || lab_fail "no STOPPING=1 from cgwd"
t0=$(lab_us)
unit_start
[ "$CHARON_PID" = "$(cat "$R/run/charon.pid")" ] || lab_fail "charon was replaced, not adopted"
both_up
lab_timing restart_tunnels_up "$(lab_since "$t0")"

# The watchdog: WATCHDOG=1 from the main PID, never WatchdogSec apart.  The
# restarted cgwd may see both tunnels UP within its first two ticks: wait for
# its third notification (the gap check below still fails a late one).
lab_wait $((3 * wd)) "3 WATCHDOG=1 from the restarted cgwd (pid $CGWD_PID)" notified "$CGWD_PID" WATCHDOG=1 3 ||
	{ tail -20 "$NOTIFY_LOG" | sed 's/^/# /'; lab_fail "the restarted cgwd does not notify the watchdog"; }
awk -v wd="$wd" -v p1="$CGWD_PID" '$3 == "WATCHDOG=1" { n[$2]++; if (last[$2] != "" && $1 - last[$2] > gap) gap = $1 - last[$2]; last[$2] = $1 }
	END { for (p in n) printf "# pid %s: %d WATCHDOG=1, longest gap %.1f s\n", p, n[p], gap; exit !(n[p1] >= 3 && gap < wd) }' \
	"$NOTIFY_LOG" || { tail -20 "$NOTIFY_LOG" | sed 's/^/# /'; lab_fail "watchdog notifications"; }
others=$(awk -v pids="$CGWD_PIDS" 'BEGIN { split(pids, a, " "); for (i in a) main[a[i]] = 1 } !($2 in main)' "$NOTIFY_LOG" | wc -l)
lab_log "notifications from other PIDs than cgwd's (NotifyAccess=main ignores them): $others"
lab_timing scenario_total "$(lab_since "$LAB_T0")"
