#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests of `cgwctl import`.  For each file in inputs/ (AWS's own
# samples, hand-made describe-vpn-connections JSON, and corrupted copies
# named bad-*): `cgwctl import -o out FILE`, run from a scratch directory,
# must print exactly expected/NAME.out (first line: the exit status), and
# write exactly the files in expected/NAME/ (mode 0600, each accepted by
# `cgwd -n -f`).  A bad-* input must fail, name the file in every message
# and write nothing.  args/NAME holds extra options for an input (-r,
# --cgw-outside).  Then: refusal to overwrite, -f, -n, --cgw-outside
# refusing what is not an address, and no PSK ever printed.  UPDATE=1
# rewrites expected/ (review the diff line by line against the input
# before committing it).
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
cgwctl=$builddir/src/cgwctl/cgwctl
cgwd=$builddir/src/cgwd/cgwd
here=$srcdir/tests/import
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }

# run NAME ARGS...: cgwctl import in $work/run, output to $work/got
run() {
	(cd "$work/run" && "$cgwctl" import "$@") >"$work/got.out" 2>&1
	st=$?
	{ echo "exit $st"; cat "$work/got.out"; } >"$work/got"
	cat "$work/got" >>"$work/all-output"
	return $st
}

mode() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }

for f in "$here"/inputs/*; do
	file=$(basename "$f")
	name=${file%.*}
	rm -rf "$work/run"
	mkdir -p "$work/run/out"
	cp "$f" "$work/run/$file"
	# args/NAME: extra options for that input (e.g. -r VPC-PREFIX)
	extra=$(cat "$here/args/$name" 2>/dev/null)
	# shellcheck disable=SC2086
	run -o out $extra "$file"
	st=$?
	exp=$here/expected/$name
	if [ "${UPDATE:-0}" = 1 ]; then
		mkdir -p "$here/expected"
		rm -rf "$exp" "$exp.out"
		cp "$work/got" "$exp.out"
		if [ -n "$(ls "$work/run/out")" ]; then
			mkdir -p "$exp"
			cp "$work/run/out"/*.conf "$exp/"
		fi
	fi
	if diff -u "$exp.out" "$work/got"; then
		ok "$name: output"
	else
		nok "$name: output"
	fi
	# Exactly the expected files, byte for byte.
	(cd "$work/run/out" && ls) >"$work/got.list"
	( [ -d "$exp" ] && cd "$exp" && ls ) >"$work/exp.list"
	if diff -u "$work/exp.list" "$work/got.list" >/dev/null; then
		ok "$name: files written"
	else
		nok "$name: files written (got: $(cat "$work/got.list"))"
	fi
	for w in "$work/run/out"/*.conf; do
		[ -f "$w" ] || continue
		c=$(basename "$w")
		if [ -f "$exp/$c" ] && diff -u "$exp/$c" "$w"; then
			ok "$name: $c"
		else
			nok "$name: $c"
		fi
		if [ "$(mode "$w")" = 600 ]; then
			ok "$name: $c is mode 0600"
		else
			nok "$name: $c is mode $(mode "$w")"
		fi
		# Canonical already: cgwd -nv --show-secrets prints it back
		# (plus the local-address it derives at load time).
		"$cgwd" -nv --show-secrets -f "$w" 2>&1 | grep -v '^		local-address ' \
		    >"$work/nv"
		if grep -v '^#' "$w" | diff -u - "$work/nv"; then
			ok "$name: $c is canonical (cgwd -nv)"
		else
			nok "$name: $c is canonical (cgwd -nv)"
		fi
		if "$cgwd" -n -f "$w" 2>&1 | grep -q '^configuration OK$'; then
			ok "$name: cgwd -n accepts $c"
		else
			nok "$name: cgwd -n accepts $c"
			"$cgwd" -n -f "$w"
		fi
	done
	case $name in
	bad-*)
		if [ "$st" -ne 0 ] && [ -z "$(ls "$work/run/out")" ] &&
		    ! sed '1d;$d' "$work/got" | grep -v "^$file:" >/dev/null
		then
			ok "$name: refused with $file:line, nothing written"
		else
			nok "$name: refused with $file:line, nothing written"
		fi
		;;
	esac
done

# Overwriting: refused without -f (nothing written, the old file kept),
# done with -f; -n writes nothing.
json=vpn-two-connections.json
rm -rf "$work/run"
mkdir -p "$work/run/out"
cp "$here/inputs/$json" "$work/run/"
vpc=$(cat "$here/args/vpn-two-connections")
# shellcheck disable=SC2086
run -o out $vpc "$json" >/dev/null
echo "# changed" >>"$work/run/out/vpn-0a1b2c3d4e5f60718.conf"
rm "$work/run/out/vpn-0f1e2d3c4b5a69788.conf"
# shellcheck disable=SC2086
if ! run -o out $vpc "$json" &&
    grep -q 'vpn-0a1b2c3d4e5f60718.conf: exists; not replaced (use -f' \
    "$work/got" && ! [ -e "$work/run/out/vpn-0f1e2d3c4b5a69788.conf" ] &&
    tail -n 1 "$work/run/out/vpn-0a1b2c3d4e5f60718.conf" | grep -q changed
then
	ok "existing file: refused, nothing written"
else
	nok "existing file: refused, nothing written"
	cat "$work/got"
fi
if run -f -o out $vpc "$json" &&
    diff "$here/expected/vpn-two-connections/vpn-0a1b2c3d4e5f60718.conf" \
    "$work/run/out/vpn-0a1b2c3d4e5f60718.conf" >/dev/null &&
    [ "$(mode "$work/run/out/vpn-0a1b2c3d4e5f60718.conf")" = 600 ] &&
    [ -z "$(ls -A "$work/run/out" | grep '^\.')" ]; then
	ok "-f replaces, mode 0600, no temporary file left"
else
	nok "-f replaces, mode 0600, no temporary file left"
fi
rm -rf "$work/run/out"/*
if run -n -o out $vpc "$json" && [ -z "$(ls "$work/run/out")" ] &&
    grep -q '^vpn-0f1e2d3c4b5a69788: OK (2 tunnels, static' "$work/got"; then
	ok "-n checks and writes nothing"
else
	nok "-n checks and writes nothing"
fi

# --cgw-outside takes an IPv4 address: anything else is a usage error.
for bad in 198.51.100 0.0.0.0 outside_interface; do
	if run -n -o out --cgw-outside "$bad" "$json"; then st=0; else st=$?; fi
	if [ "$st" -eq 2 ] && grep -q -- "--cgw-outside $bad: expected an IPv4 address" \
	    "$work/got"; then
		ok "--cgw-outside $bad: usage error"
	else
		nok "--cgw-outside $bad: usage error"
		cat "$work/got"
	fi
done

# No pre-shared key from any input ever reaches stdout or stderr.
leaks=0
for k in $(cat "$here"/expected/*/*.conf | sed -n 's/.*psk "\(.*\)"/\1/p') \
    xlk6lMNzd4CNRP8YUX4PlRLVL4pV1FWS NCN1B7Xzjv0NnGOLxFQJMnWBG8FlJnzT \
    bIben5l33KgXpzShJdwNKlO3rG3ryq01 hygwCMlU3vlnNj5XnniE1a4okEXAMPLE \
    plain-text-password1 pre-shared-key; do
	if grep -qF -- "$k" "$work/all-output"; then
		leaks=$((leaks + 1))
	fi
done
if [ "$leaks" -eq 0 ]; then
	ok "no pre-shared key printed"
else
	nok "$leaks pre-shared keys printed"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
