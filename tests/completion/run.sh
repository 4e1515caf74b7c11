#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Test of the bash completion for cgwctl (etc/bash-completion/cgwctl): the
# script is sourced into a bare bash (no bash-completion package), and for
# each command line (COMP_WORDS, COMP_CWORD at the last word) COMPREPLY
# must hold exactly the expected words.  Tunnel names come from a stand-in
# cgwctl on PATH that answers `-t show tunnels` as cgwd would, or fails as
# when cgwd is not running.  Every command of the real cgwctl's help must
# be offered.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }

# shellcheck source=../../etc/bash-completion/cgwctl
. "$srcdir/etc/bash-completion/cgwctl"
if complete -p cgwctl 2>/dev/null | grep -q -- '-F _cgwctl cgwctl$'; then
	ok "complete -F _cgwctl cgwctl"
else
	nok "complete -F _cgwctl cgwctl"
fi

# The stand-in cgwctl: tunnels from $work/tunnels (TSV, as cgwctl -t
# prints them); no such file: "cgwd is not running".  It records its
# arguments in $work/args.
mkdir -p "$work/bin" "$work/cwd/conn" "$work/cwd/empty"
cat >"$work/bin/cgwctl" <<'EOF'
#!/bin/sh
echo "$*" >"$WORK/args"
if [ ! -f "$WORK/tunnels" ]; then
	echo "cgwctl: /run/cgw/cgwd.rsock: No such file or directory" >&2
	exit 1
fi
cat "$WORK/tunnels"
EOF
chmod +x "$work/bin/cgwctl"
export WORK=$work
PATH=$work/bin:$PATH
t=$(printf '\t')
one_conn="vpn-0a1b2c3d4e5f60718${t}1${t}cgw-f60718-1${t}203.0.113.10${t}169.254.10.0/30${t}UP${t}0${t}ESTABLISHED${t}INSTALLED${t}0${t}0${t}0${t}0${t}Established${t}usable${t}1 BGP ROUTES
vpn-0a1b2c3d4e5f60718${t}2${t}cgw-f60718-2${t}203.0.113.20${t}169.254.20.0/30${t}DOWN${t}0${t}-${t}-${t}0${t}0${t}0${t}0${t}-${t}unusable${t}IPSEC IS DOWN"
two_conn="$one_conn
vpn-0f1e2d3c4b5a69788${t}1${t}cgw-a69788-1${t}203.0.113.30${t}169.254.30.0/30${t}UP${t}0${t}ESTABLISHED${t}INSTALLED${t}0${t}0${t}0${t}0${t}-${t}usable${t}IPSEC IS UP
vpn-0f1e2d3c4b5a69788${t}2${t}cgw-a69788-2${t}203.0.113.40${t}169.254.40.0/30${t}UP${t}0${t}ESTABLISHED${t}INSTALLED${t}0${t}0${t}0${t}0${t}-${t}usable${t}IPSEC IS UP"
: >"$work/cwd/vpn.json"
: >"$work/cwd/vpn-asa.txt"

# check "EXPECTED WORDS" WORD...: completes with the last WORD current.
check() {
	local want=$1 got
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	(cd "$work/cwd" && _cgwctl cgwctl "${COMP_WORDS[COMP_CWORD]}" \
	    "${COMP_WORDS[COMP_CWORD - 1]}" &&
	    printf '%s\n' ${COMPREPLY[@]+"${COMPREPLY[@]}"}) >"$work/out" \
	    2>"$work/err"
	got=$(sort "$work/out" | grep -v '^$' | tr '\n' ' ')
	got=${got% }
	# shellcheck disable=SC2086 # split on purpose
	want=$(printf '%s\n' $want | sort | tr '\n' ' ')
	want=${want% }
	if [ "$got" = "$want" ] && [ ! -s "$work/err" ]; then
		ok "'$*' -> [$want]"
	else
		nok "'$*' -> [$got], expected [$want]"
		cat "$work/err"
	fi
}

# Commands and global options.
check "show reset rekey reload confirm diagnose import" cgwctl ""
check "rekey reload reset" cgwctl re
check "show" cgwctl -j -t s
check "-j -t -v -r -h --help" cgwctl -
check "conn empty" cgwctl -r ""
check "show reset rekey reload confirm diagnose import" cgwctl -r /run/x ""
check "show reset rekey reload confirm diagnose import" cgwctl -jr /run/x ""
check "tunnels bgp routes metrics events dns" cgwctl show ""
check "dns" cgwctl show d
check "--since -n" cgwctl show events ""
check "" cgwctl show events --since ""
check "tunnels" cgwctl -j show t
check "" cgwctl show tunnels ""
check "--confirm" cgwctl reload ""
check "" cgwctl reload --confirm ""
check "" cgwctl confirm ""

# Tunnel names from cgwd: names, interfaces, 1 and 2 with one connection.
printf '%s\n' "$one_conn" >"$work/tunnels"
check "vpn-0a1b2c3d4e5f60718-1 vpn-0a1b2c3d4e5f60718-2 cgw-f60718-1 cgw-f60718-2 1 2" \
    cgwctl reset ""
check "vpn-0a1b2c3d4e5f60718-1 vpn-0a1b2c3d4e5f60718-2" cgwctl rekey vpn
check "cgw-f60718-1 cgw-f60718-2" cgwctl diagnose cgw
check "dns" cgwctl diagnose d
check "" cgwctl diagnose dns ""
check "" cgwctl reset 1 ""
printf '%s\n' "$two_conn" >"$work/tunnels"
check "vpn-0a1b2c3d4e5f60718-1 vpn-0a1b2c3d4e5f60718-2 vpn-0f1e2d3c4b5a69788-1 vpn-0f1e2d3c4b5a69788-2 cgw-f60718-1 cgw-f60718-2 cgw-a69788-1 cgw-a69788-2" \
    cgwctl reset ""
check "vpn-0f1e2d3c4b5a69788-1 vpn-0f1e2d3c4b5a69788-2" cgwctl -t reset vpn-0f
# -r RUNDIR reaches the cgwctl asked for the names.
check "cgw-a69788-1 cgw-a69788-2" cgwctl -r /run/x rekey cgw-a
if [ "$(cat "$work/args")" = "-r /run/x -t show tunnels" ]; then
	ok "-r RUNDIR passed on: $(cat "$work/args")"
else
	nok "-r RUNDIR passed on: $(cat "$work/args")"
fi
# cgwd not running: no names, no noise.
rm -f "$work/tunnels"
check "" cgwctl reset ""
check "" cgwctl diagnose v

# import: options, directories for -o, nothing for -r and --cgw-outside,
# files; after the first file only files (getopt stops there).
check "-f -n -o -r --cgw-outside -h" cgwctl import -
check "--cgw-outside" cgwctl import -f --c
check "vpn.json vpn-asa.txt conn empty" cgwctl import ""
check "vpn.json vpn-asa.txt" cgwctl import -n vpn
check "conn empty" cgwctl import -o ""
check "conn" cgwctl import -fo c
check "" cgwctl import -r ""
check "" cgwctl import --cgw-outside ""
check "" cgwctl import --cgw-outside = ""
check "" cgwctl import --cgw-outside = 198.5
check "vpn-asa.txt" cgwctl import --cgw-outside 198.51.100.2 vpn-a
check "vpn-asa.txt" cgwctl import --cgw-outside = 198.51.100.2 vpn-a
check "vpn.json vpn-asa.txt conn empty" cgwctl import -r 10.2.0.0/16 -o conn ""
check "" cgwctl import vpn.json -

# Every command the real cgwctl lists is completed.
ctl=$builddir/src/cgwctl/cgwctl
if [ -x "$ctl" ]; then
	"$ctl" -h | sed -n '/^commands:/,$p' | sed 1d |
	    awk '{ print $1; if ($1 == "show") print $1 " " $2 }' |
	    sort -u >"$work/commands"
	while read -r c k; do
		if [ -z "${k:-}" ]; then
			check "$c" cgwctl "$c"
		else
			check "$k" cgwctl "$c" "$k"
		fi
	done <"$work/commands"
else
	echo "# $ctl not built: the help is not compared"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
