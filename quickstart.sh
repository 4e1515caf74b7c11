#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's two commands, on a fresh Debian 12 machine, as root:
#
#   ./quickstart.sh demo   the lab: a simulated AWS side and a customer
#                          gateway, both tunnels UP, then a failover
#   ./quickstart.sh test   the whole test suite (unit, golden, fuzz smoke
#                          runs under ASan/UBSan, and the lab)
#
# Each installs the Debian packages it needs (packaging/deps.sh), builds
# out of tree in build/, and runs.
set -eu
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

step() { printf '\n==> %s\n' "$*"; }

build() {	# dir, configure args...
	dir=$1; shift
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		step "autoreconf"
		autoreconf -fi >/dev/null
	fi
	mkdir -p "$dir"
	# A tree configured differently (another compiler, sanitizers) is
	# rebuilt from scratch; the prepared strongSwan source is kept.
	if [ -f "$dir/Makefile" ] && [ "$(cat "$dir/.configure-args" 2>/dev/null || echo '?')" != "$*" ]; then
		step "reconfiguring $dir from scratch ($*)"
		find "$dir" -mindepth 1 -maxdepth 1 ! -name strongswan-src -exec rm -rf {} +
	fi
	# The charon plugin builds against Debian's strongSwan source,
	# configured as Debian does (first run: about a minute).
	step "strongSwan source for the charon plugin"
	(cd "$dir" && ../packaging/strongswan-src.sh >/dev/null)
	if [ ! -f "$dir/Makefile" ] || [ configure -nt "$dir/Makefile" ]; then
		step "configure $*"
		(cd "$dir" && ../configure -q "$@")
		echo "$*" >"$dir/.configure-args"
	fi
	step "make ($dir)"
	make -C "$dir" -j"$(nproc)" >/dev/null
}

case "${1:-}" in
build)	# what the demo and the benchmarks use
	step "installing Debian packages (first run only; about a minute)"
	packaging/deps.sh lab
	build build
	;;
demo)
	step "installing Debian packages (first run only; about a minute)"
	packaging/deps.sh lab
	build build
	step "the lab: a simulated AWS side and cgw (VM boot: about 10 s)"
	CGW_BUILDDIR=$top/build LAB_WORKDIR=$top/build/tests/lab/.work \
	    LAB_GATEWAY=${LAB_GATEWAY:-cgw} exec tests/lab/run --demo
	;;
test)
	step "installing Debian packages (first run only; about a minute)"
	packaging/deps.sh lab
	# Tests run under ASan/UBSan, and clang adds libFuzzer smoke runs.
	build build-check CC=clang --enable-sanitizers --enable-fuzzing
	step "make check"
	make -C build-check check
	;;
*)
	echo "usage: $0 demo|test|build" >&2
	exit 2
	;;
esac
