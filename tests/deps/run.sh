#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The packages the tests need against the packages packaging/deps.sh
# installs.  For every entry of tests/needs:
#   - its package is in `packaging/deps.sh --list` (test) or `--list lab`
#     (lab, vm): a package a test needs but deps.sh forgets passes on a
#     machine where someone installed it by hand, and fails on every new one;
#   - the file is there (deps.sh ran) and comes from that package (or one
#     it depends on), so the entry names the right package.
# Runs first in make check: a missing package shows here by name.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
need_top=$srcdir
. "$srcdir/tests/need.sh"

test_pkgs=$("$srcdir/packaging/deps.sh" --list)
lab_pkgs=$("$srcdir/packaging/deps.sh" --list lab)
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }

manifest=$(need_manifest)
[ -n "$manifest" ] || { echo "not ok 1 - tests/needs is empty"; exit 1; }
while read -r name pkg use; do
	case ",$use," in
	*,test,*) want=$test_pkgs set="packaging/deps.sh" ;;
	*,lab,*|*,vm,*) want=$lab_pkgs set="packaging/deps.sh lab" ;;
	*) nok "$name: unknown use '$use' in tests/needs"; continue ;;
	esac
	if echo "$want" | grep -qx "$pkg"; then
		ok "$name: $pkg is installed by $set"
	else
		nok "$name: its package $pkg is not installed by $set (add it there)"
	fi
	path=$(need_resolve "$name")
	if [ -z "$path" ]; then
		nok "$name is missing: install Debian package $pkg ($set)"
		continue
	fi
	owner=$(need_owner "$path")
	deps=$(dpkg-query -W -f='${Depends} ${Pre-Depends}' "$pkg" 2>/dev/null)
	if [ "$owner" = "$pkg" ] || echo " $deps," | grep -q "[ ,]$owner[ ,(]"; then
		ok "$path comes from $owner"
	else
		nok "$path comes from ${owner:-no package}, not $pkg: correct tests/needs"
	fi
done <<EOF2
$manifest
EOF2
echo "1..$n"
[ $fail -eq 0 ]
