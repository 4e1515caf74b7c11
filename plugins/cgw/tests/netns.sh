#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# netns.sh - the charon plugin "cgw" against a stock responder, for real.
#
# Why: the plugin only means something inside charon, talking IKE to a
# peer.  Two charons run in two network namespaces, each in its own mount
# namespace with a private /run (strongSwan 5.9.8 hard-codes
# /var/run/charon.pid) and a private strongswan.conf (STRONGSWAN_CONF).
# "a" is Debian's charon with the plugin (LD_PRELOAD: charon looks a
# plugin's constructor up with dlsym first); fake_cgwd.py plays cgwd on
# a's default socket /run/charon.cgw.sock.  "b" is a stock charon
# configured by swanctl, as the AWS endpoints are in the lab, but with
# userspace ESP (kernel-libipsec) so that it accepts CHILD_SAs here.
#
#   ns a: charon + cgw            ns b: charon + vici (swanctl)
#   192.0.2.1/24 --- veth --- 192.0.2.2 t1: PSK ok, proposal ok
#                             192.0.2.3 t2: other PSK
#                             192.0.2.4 t3: aes128 only (a offers aes256)
#
# On a kernel without ESP a's CHILD_SAs fail to install: that is expected
# and shows as INSTALL_FAILED.  Needs root and the packages tests/needs
# lists for "test"; without them it fails, naming what is missing.
set -u

here=$(cd "$(dirname "$0")" && pwd)
need_top=${srcdir:-$here/../../..}
. "$need_top/tests/need.sh"
so=${CGW_PLUGIN_SO:-${builddir:-.}/plugins/cgw/.libs/libstrongswan-cgw.so}
charon=/usr/lib/ipsec/charon

[ "$(id -u)" -eq 0 ] || { echo "netns.sh: needs root (network namespaces)"; exit 1; }
missing=$(need_missing test)
[ -z "$missing" ] || { echo "netns.sh: missing, install with packaging/deps.sh:"; echo "$missing"; exit 1; }
[ -e "$so" ] || { echo "netns.sh: no plugin $so (build it first)"; exit 1; }
so=$(cd "$(dirname "$so")" && pwd)/$(basename "$so")

tag=cgwt$$
dir=$(mktemp -d /tmp/cgw-netns.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	ip netns del "$tag-a" 2>/dev/null
	ip netns del "$tag-b" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "netns.sh: logs kept in $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$tag-a" && ip netns add "$tag-b" || exit 1
ip link add "$tag-a0" type veth peer name "$tag-b0" || exit 1
ip link set "$tag-a0" netns "$tag-a"
ip link set "$tag-b0" netns "$tag-b"
ip -n "$tag-a" addr add 192.0.2.1/24 dev "$tag-a0"
for i in 2 3 4; do ip -n "$tag-b" addr add 192.0.2.$i/24 dev "$tag-b0"; done
for ns in a b; do
	ip -n "$tag-$ns" link set lo up
	ip -n "$tag-$ns" link set "$tag-$ns"0 up
done

crypto="random nonce aes sha1 sha2 hmac gmp kdf pem pkcs1 x509 kernel-netlink socket-default"
# what cgwd's generated strongswan.conf sets (see plugins/cgw/cgw.opt)
cat >"$dir/a.conf" <<EOF
charon {
	load = $crypto cgw
	install_routes = no
	retransmit_timeout = 2
	retransmit_base = 1.4
	retransmit_tries = 4
	filelog {
		a {
			path = $dir/a.log
			time_format = %T
			flush_line = yes
			default = 1
			cfg = 2
		}
	}
}
EOF
cat >"$dir/b.conf" <<EOF
charon {
	load = random nonce aes sha1 sha2 hmac gmp kdf pem pkcs1 x509 kernel-libipsec kernel-netlink socket-default vici
	install_routes = no
	filelog {
		b {
			path = $dir/b.log
			time_format = %T
			flush_line = yes
			default = 1
		}
	}
}
EOF
conn() {	# name local-address proposal
	cat <<EOF
	$1 {
		local_addrs = $2
		remote_addrs = 192.0.2.1
		proposals = $3
		local {
			auth = psk
			id = $2
		}
		remote {
			auth = psk
			id = 192.0.2.1
		}
		children {
			$1 {
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				esp_proposals = $3
			}
		}
	}
EOF
}
{
	echo "connections {"
	conn t1 192.0.2.2 aes128-sha256-modp2048
	conn t2 192.0.2.3 aes128-sha256-modp2048
	conn t3 192.0.2.4 aes128-sha256-modp2048
	echo "}"
	echo "secrets {"
	for i in 2 3 4; do
		echo "	ike-$i {"
		echo "		id-a = 192.0.2.1"
		echo "		id-b = 192.0.2.$i"
		echo "		secret = good.psk_123"
		echo "	}"
	done
	echo "}"
} >"$dir/swanctl.conf"

start_charon() {	# ns
	mkdir -p "$dir/run-$1"
	ip netns exec "$tag-$1" unshare -m --propagation private \
		env STRONGSWAN_CONF="$dir/$1.conf" ${2:+LD_PRELOAD="$2"} \
		sh -c "mount --bind '$dir/run-$1' /run && exec $charon" \
		>"$dir/$1.out" 2>&1 &
	pids+=($!)
}
start_charon b
start_charon a "$so"

for i in $(seq 50); do
	[ -S "$dir/run-b/charon.vici" ] && break
	sleep 0.1
done
ip netns exec "$tag-b" swanctl --load-all --file "$dir/swanctl.conf" \
	--uri "unix://$dir/run-b/charon.vici" >"$dir/swanctl.out" 2>&1 ||
	{ cat "$dir/swanctl.out"; exit 1; }

# A plugin charon could not load shows later as a refused proposal: say
# which package it lacks instead.
for i in $(seq 50); do
	grep -q 'loaded plugins' "$dir/a.log" 2>/dev/null && break
	sleep 0.1
done
need_charon_log "$dir/a.log" && need_charon_log "$dir/b.log" || exit 1

# cgwd comes after charon: the plugin must have been retrying
sleep 2
# CGW_TEST_DPD=1: also time dead peer detection (freezes b, ~35 s more)
python3 "$here/fake_cgwd.py" "$dir/run-a/charon.cgw.sock" \
	${CGW_TEST_DPD:+"${pids[0]}"}
rc=$?

echo "--- charon a (plugin) log, cgw lines and failures:"
grep -E 'cgw|ABI|failed|error' "$dir/a.log" | head -40
if grep -qE 'psk_123|psk_999' "$dir/a.log" "$dir/a.out"; then
	echo "FAIL a PSK appears in charon's log"
	rc=1
fi
exit $rc
