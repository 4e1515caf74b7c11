#!/bin/sh
# Golden tests of the configuration check: for each NAME.conf here,
# `cgwd -nv -f NAME.conf` (on a 0600 copy) must print exactly NAME.ok (the
# PSKs as comments saying they are hidden),
# whose first line is the expected exit status.  Directories NAME.d/ hold
# a cgw.conf with includes.  UPDATE=1 rewrites the .ok files (review the
# diff before committing them).
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
cgwd=$builddir/src/cgwd/cgwd
here=$srcdir/tests/config
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass=0 fail=0
check() {	# name, command...; runs in $work
	name=$1; shift
	got=$work/got
	(cd "$work" && "$@") >"$got.out" 2>&1
	{ echo "exit $?"; cat "$got.out"; } >"$got"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$got" "$here/$name.ok"
	fi
	if diff -u "$here/$name.ok" "$got"; then
		pass=$((pass + 1)); echo "ok - $name"
	else
		fail=$((fail + 1)); echo "not ok - $name"
	fi
}

for f in "$here"/*.conf; do
	name=$(basename "$f" .conf)
	cp "$f" "$work/$name.conf"
	chmod 600 "$work/$name.conf"
	check "$name" "$cgwd" -nv -f "$name.conf"
done

for d in "$here"/*.d; do
	name=$(basename "$d")
	cp -r "$d" "$work/$name"
	find "$work/$name" -type f -exec chmod 600 {} +
	check "$name" "$cgwd" -nv -f "$name/cgw.conf"
done

# A file holding PSKs that others can read is refused, whatever it says.
cp "$here/ok-minimal.conf" "$work/readable.conf"
chmod 644 "$work/readable.conf"
check secrecy-readable "$cgwd" -n -f readable.conf
# -nv hides the PSKs (the goldens above); --show-secrets prints them.
check secrets-shown "$cgwd" -nv --show-secrets -f ok-minimal.conf
# A missing file is a clear error.
check missing-file "$cgwd" -n -f does-not-exist.conf

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
