#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# strongswan-src.sh [DIR] - Debian's strongSwan source, configured as Debian
# configures it, for building the charon plugin "cgw" out of tree.
#
# Why: Debian ships no strongSwan headers, and a plugin must be compiled with
# exactly the config.h Debian's charon was built with (the define ME changes
# the layout of peer_cfg_t, ike_sa_t, daemon_t: a mismatch silently calls the
# wrong methods).  So fetch the source of the installed upstream version and
# run only Debian's configure step (see plugins/Makefile.inc for the guards).
#
# Idempotent: a second run only checks and prints DIR/strongswan-<upstream>.
# Everything comes from apt.  Needs root only for the first run (deb-src
# entry, build-dep); prints the configured source directory on stdout.
set -eu

DIR=${1:-strongswan-src}
DEBSRC=/etc/apt/sources.list.d/cgw-debian-src.sources
say() { echo "strongswan-src.sh: $*" >&2; }

full=$(dpkg-query -W -f='${Version}' strongswan-libcharon 2>/dev/null) || {
	say "strongswan-libcharon is not installed (apt-get install strongswan-charon)"
	exit 1
}
upstream=${full#*:}
upstream=${upstream%-*}	# Debian revision: after the last "-"
src="$DIR/strongswan-$upstream"
stamp="$src/.cgw-configured"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$full" ] && [ -f "$src/config.h" ]; then
	(cd "$src" && pwd)
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	say "first run needs root (deb-src entry, apt-get build-dep)"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# 1. deb-src: the same entries as debian.sources, with Types: deb-src.
if [ ! -f "$DEBSRC" ]; then
	[ -f /etc/apt/sources.list.d/debian.sources ] || {
		say "no /etc/apt/sources.list.d/debian.sources to derive deb-src from"
		exit 1
	}
	tmp=$(mktemp)
	awk 'BEGIN { RS = ""; ORS = "\n\n" }
	     /(^|\n)Types:[ \t]*deb([ \t]|\n|$)/ {
		sub(/(^|\n)Types:[ \t]*deb/, "&-src"); print }' \
		/etc/apt/sources.list.d/debian.sources >"$tmp"
	grep -q '^Types: deb-src' "$tmp" || { rm -f "$tmp"; say "no deb entries"; exit 1; }
	{ echo "# Added by cgw packaging/strongswan-src.sh: the source of"
	  echo "# strongSwan, to build the charon plugin cgw against."
	  cat "$tmp"; } >"$DEBSRC"
	rm -f "$tmp"
	say "added $DEBSRC"
	apt-get update -qq
elif ! apt-cache showsrc strongswan 2>/dev/null | grep -q '^Package: strongswan'; then
	apt-get update -qq
fi

# 2. The source: the installed revision, else another of the same upstream.
mkdir -p "$DIR"
if [ ! -f "$src/configure.ac" ]; then
	rm -rf "$src"
	versions=$(apt-cache showsrc strongswan | sed -n 's/^Version: //p' |
		grep -F -- "$upstream-" | sort -r -V -u)
	got=""
	for v in "$full" $(echo "$versions" | grep -vxF -- "$full"); do
		if (cd "$DIR" && apt-get source -qq --only-source "strongswan=$v" \
				>/dev/null 2>&1); then
			got=$v
			break
		fi
		say "apt-get source strongswan=$v failed, trying another revision"
	done
	[ -n "$got" ] || { say "no source for strongSwan $upstream"; exit 1; }
	say "source: strongswan $got (installed: $full)"
	rm -f "$DIR"/strongswan_*.dsc "$DIR"/strongswan_*.tar.* 2>/dev/null || true
fi

# 3. Build dependencies (needed by Debian's configure), then configure only.
apt-get build-dep -y -qq strongswan >/dev/null
(cd "$src" && debian/rules override_dh_auto_configure >configure.log 2>&1) || {
	say "configure failed, see $src/configure.log"
	exit 1
}
echo "$full" >"$stamp"
(cd "$src" && pwd)
