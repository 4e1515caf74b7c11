#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test: the manual pages render cleanly (mandoc -T lint, warnings count).
srcdir=${srcdir:-$(dirname "$0")/..}
status=0 n=0
for m in "$srcdir"/docs/*.[0-9]; do
	n=$((n + 1))
	out=$(mandoc -T lint -W warning "$m" 2>&1)
	if [ -n "$out" ]; then echo "$out"; status=1; fi
done
echo "$n manual pages checked"
exit $status
