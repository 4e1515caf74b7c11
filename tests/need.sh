# SPDX-License-Identifier: GPL-2.0-or-later
# need.sh (sourced; set need_top to the checkout first): what a test takes
# from Debian, checked before it is used, so that a missing package fails
# the test with the package's name instead of a protocol symptom.
#
#   need_missing USE     prints "FILE (Debian package PKG)" for each entry of
#                        tests/needs for USE (test, lab, vm) that is absent
#   need_charon_log LOG  after a charon started: every plugin it could not
#                        load, and every plugin it loaded that tests/needs
#                        does not list; status 1 if any
#   need_resolve NAME    the absolute path of a tests/needs entry (empty if
#                        absent)
#   need_owner PATH      the installed package that ships PATH (empty if none)

need_manifest() { grep -v '^[[:space:]]*\(#\|$\)' "$need_top/tests/needs"; }

need_resolve() {
	case $1 in
	/*)	for f in $1; do [ -e "$f" ] && { echo "$f"; return; }; done ;;
	*)	command -v "$1" 2>/dev/null ;;
	esac
}

# dpkg knows a file by the path its package ships, which on a merged-/usr
# system may be /bin/ip for /usr/bin/ip.
need_owner() {
	for f in "$1" "${1#/usr}" "/usr$1" "$(readlink -f "$1")"; do
		o=$(dpkg-query -S "$f" 2>/dev/null | sed -n '1s/: .*//p')
		[ -n "$o" ] && { echo "$o"; return; }
	done
}

need_missing() {
	need_manifest | while read -r name pkg use; do
		case ",$use," in *",$1,"*) ;; *) continue ;; esac
		[ -n "$(need_resolve "$name")" ] || echo "$name (Debian package $pkg)"
	done
}

# Every plugin a charon loaded must be in tests/needs (tests/deps/run.sh
# checks there that deps.sh installs its package); one it could not load
# is named with its package.  No dpkg here: it is slow in the lab's VM.
need_charon_log() {
	plugins=$(need_manifest | sed -n 's|^/usr/lib/ipsec/plugins/libstrongswan-\([^ .]*\)\.so[[:space:]]\{1,\}\([^ ]*\).*|\1 \2|p')
	bad=$(
	sed -n "s/.*plugin '\([^']*\)'[: ]*failed to load.*/\1/p" "$1" | sort -u |
	while read -r p; do
		pkg=$(echo "$plugins" | awk -v p="$p" '$1 == p { print $2 }')
		if [ -n "$pkg" ]; then
			echo "charon plugin $p did not load: Debian package $pkg (packaging/deps.sh)"
		else
			echo "charon plugin $p did not load, and tests/needs does not say which Debian package ships it"
		fi
	done
	sed -n 's/.*loaded plugins: //p' "$1" | tr ' ' '\n' | sort -u |
	while read -r p; do
		case $p in ""|charon|cgw) continue ;; esac	# cgw: this project's own
		echo "$plugins" | awk -v p="$p" '$1 == p { f = 1 } END { exit !f }' ||
			echo "charon plugin $p is not in tests/needs: add it with its Debian package"
	done)
	[ -z "$bad" ] && return 0
	echo "$bad" | sed "s|^|$1: |"
	return 1
}
