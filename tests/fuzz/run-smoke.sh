#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs fuzz targets over their seed corpus (tests/fuzz/corpus/NAME).
# As a test (no argument): every target, briefly (FUZZ_SECONDS, default 10
# per target with libFuzzer; a plain replay otherwise).  With a target
# path: that one.  A crash or sanitizer report fails.
set -eu
srcdir=${srcdir:-$(dirname "$0")/../..}
builddir=${builddir:-.}
secs=${FUZZ_SECONDS:-10}
targets=${1:-"fuzz_conf fuzz_import_json fuzz_import_xml fuzz_import_text fuzz_frr_running fuzz_frr_adj fuzz_nft_watch fuzz_event_log fuzz_since fuzz_dns_wire"}

status=0
for t in $targets; do
	name=$(basename "$t")
	bin=$builddir/tests/fuzz/$name
	[ -x "$t" ] && bin=$t
	corpus=$srcdir/tests/fuzz/corpus/${name#fuzz_}
	if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
		echo "FAIL $name: no seed corpus in $corpus"
		status=1
		continue
	fi
	work=$(mktemp -d)
	if "$bin" -help=1 2>&1 | grep -q libFuzzer; then
		# A fresh copy of the corpus, so runs never write into the tree.
		cp -r "$corpus"/. "$work"/
		out=$("$bin" -max_total_time="$secs" -max_len=65536 \
		    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		    -artifact_prefix="$work/" "$work" 2>&1) || {
			echo "$out" | tail -40
			echo "FAIL $name (crash input kept in $work)"
			status=1
			continue
		}
		echo "ok $name: $(echo "$out" | grep -a -m1 'stat::number_of_executed_units' | awk '{print $2}') executions in ${secs}s, no crash"
	else
		"$bin" "$corpus" || { echo "FAIL $name"; status=1; continue; }
		echo "ok $name: corpus replayed (no libFuzzer in this build)"
	fi
	rm -rf "$work"
done
exit $status
