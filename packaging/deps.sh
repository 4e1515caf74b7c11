#!/bin/sh
# Installs every Debian package that building cgw, its tests and its lab need.
# Idempotent: re-running it only installs what is missing.
#
#   packaging/deps.sh          build + unit tests + fuzz smoke runs + the
#                              Debian package (debhelper)
#   packaging/deps.sh lab      also what the lab needs (QEMU, a kernel with ESP,
#                              strongSwan, FRR, nftables)
set -eu

BUILD="autoconf automake libtool pkgconf make gcc clang libclang-rt-14-dev
       libxml2-dev libjson-c-dev libmnl-dev libsystemd-dev mandoc python3
       dpkg-dev debhelper strongswan-charon libnftables-dev"
LAB="qemu-system-x86 linux-image-amd64 busybox-static cpio kmod
     strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
     frr iproute2 nftables iputils-ping procps tcpdump"

want="$BUILD"
for arg in "$@"; do
	case "$arg" in
	lab) want="$want $LAB" ;;
	*) echo "usage: $0 [lab]" >&2; exit 2 ;;
	esac
done

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
