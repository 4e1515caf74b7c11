#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs every Debian package that building cgw, its tests and its lab need.
# Idempotent: re-running it only installs what is missing.
#
#   packaging/deps.sh          build + unit tests + fuzz smoke runs + the
#                              Debian package (debhelper)
#   packaging/deps.sh lab      also what the lab needs (QEMU, a kernel with ESP,
#                              strongSwan, FRR, nftables)
#   packaging/deps.sh --list [lab]
#                              print the package names, install nothing
#
# tests/needs names, for every file and command a test uses, the package
# that ships it; tests/deps/run.sh (in make check) fails when one of those
# packages is missing here.
set -eu

# unbound and ldnsutils (drill): the dns block is tested against Debian's
# real resolver in make check and in the lab; libldns builds cgwd's probes.
# prometheus: promtool checks the metrics and the alert rules in make check,
# and the lab scrapes cgwd with the real server.
# strongswan-swanctl and libcharon-extra-plugins (kernel-libipsec: the
# userspace ESP of the plugin test's responder) are for make check's
# plugin test, outside the lab.
BUILD="autoconf automake libtool pkgconf make gcc clang libclang-rt-14-dev
       libxml2-dev libjson-c-dev libmnl-dev libsystemd-dev libmicrohttpd-dev
       prometheus mandoc python3
       dpkg-dev debhelper strongswan-charon libnftables-dev
       strongswan-libcharon libstrongswan strongswan-swanctl
       libcharon-extra-plugins iproute2 dpkg systemd util-linux
       libldns-dev unbound ldnsutils nftables"
LAB="qemu-system-x86 linux-image-amd64 busybox-static cpio kmod
     strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
     frr iproute2 nftables iputils-ping procps tcpdump util-linux coreutils"

want="$BUILD" list=0
for arg in "$@"; do
	case "$arg" in
	lab) want="$want $LAB" ;;
	--list) list=1 ;;
	*) echo "usage: $0 [--list] [lab]" >&2; exit 2 ;;
	esac
done
if [ $list = 1 ]; then
	printf '%s\n' $want | sort -u
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: run as root (it installs Debian packages)" >&2
	exit 1
fi

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps.sh: done"
