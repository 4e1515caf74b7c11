#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# abi-check.sh CONFIG_H [LIBDIR] - does this strongSwan config.h describe the
# installed libcharon?  Run by the build before compiling the plugin, and by
# configure to decide whether the plugin can be built.
#
# Why: the plugin is compiled against Debian's strongSwan source (Debian
# ships no headers), and a config.h that differs from the installed build
# does not fail to link: ME (mediation) changes the layout of peer_cfg_t,
# ike_sa_t and daemon_t, so the plugin would silently call the wrong
# methods.  Checked here:
#   - installed strongswan-libcharon upstream version == config.h VERSION
#   - ME        <=> libcharon exports connect_manager_create
#   - USE_IKEV1 <=> libcharon exports main_mode_create
#   - USE_IKEV2 <=> libcharon exports ike_init_create
#   - HAVE_PRINTF_SPECIFIER <=> libstrongswan does not export builtin_snprintf
# The plugin repeats the symbol checks and a version check at load time.
set -eu

CONFIG_H=${1:?usage: abi-check.sh CONFIG_H [LIBDIR]}
LIBDIR=${2:-/usr/lib/ipsec}
fail=0
err() { echo "abi-check: $*" >&2; fail=1; }

[ -f "$CONFIG_H" ] || { echo "abi-check: no $CONFIG_H" >&2; exit 1; }
for lib in libcharon.so.0 libstrongswan.so.0; do
	[ -f "$LIBDIR/$lib" ] || { echo "abi-check: no $LIBDIR/$lib" >&2; exit 1; }
done

header=$(sed -n 's/^#define VERSION "\(.*\)"$/\1/p' "$CONFIG_H")
installed=$(dpkg-query -W -f='${Version}' strongswan-libcharon 2>/dev/null || true)
installed=${installed#*:}
installed=${installed%-*}
[ -n "$installed" ] || err "strongswan-libcharon is not installed"
[ "$header" = "$installed" ] ||
	err "config.h is strongSwan '$header', installed libcharon is '$installed'"

defined() { grep -q "^#define $1\( \|$\)" "$CONFIG_H"; }
exports() { nm -D --defined-only "$LIBDIR/$1" | awk '{ print $3 }' | grep -qx "$2"; }

check() {	# define library symbol
	if defined "$1"; then d=yes; else d=no; fi
	if exports libcharon.so.0 "$2"; then s=yes; else s=no; fi
	[ "$d" = "$s" ] ||
		err "config.h: $1 defined=$d, but libcharon exports $2: $s"
}
check ME connect_manager_create
check USE_IKEV1 main_mode_create
check USE_IKEV2 ike_init_create

if defined HAVE_PRINTF_SPECIFIER; then d=yes; else d=no; fi
if exports libstrongswan.so.0 builtin_snprintf; then s=no; else s=yes; fi
[ "$d" = "$s" ] ||
	err "config.h: HAVE_PRINTF_SPECIFIER=$d, libstrongswan uses glibc printf hooks: $s"

[ "$fail" -eq 0 ] || exit 1
echo "abi-check: strongSwan $header config.h matches $LIBDIR"
