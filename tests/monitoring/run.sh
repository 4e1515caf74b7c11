#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The metrics, their documentation and the alert rules, checked with
# Prometheus's own promtool:
#   - the exposition cgwd writes (test_metrics_text's, from the same code)
#     passes `promtool check metrics` (format and naming lint);
#   - every family in it is documented in docs/monitoring.md, and every
#     cgw_ series the rules, the dashboard and the docs name exists;
#   - the alert rules pass `promtool check rules` and their unit tests
#     (`promtool test rules`);
#   - the Grafana dashboard is valid JSON.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$srcdir}
need_top=$srcdir
. "$srcdir/tests/need.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; }

missing=$(need_missing test | grep promtool)
if [ -n "$missing" ]; then
	echo "not ok - promtool missing: $missing (packaging/deps.sh)"
	exit 1
fi

expo=$work/metrics.txt
if "$builddir/tests/unit/test_metrics_text" "$expo" >/dev/null && [ -s "$expo" ]; then
	ok "exposition written"
else
	not_ok "exposition written"
fi
if promtool check metrics <"$expo" >"$work/lint" 2>&1; then
	ok "promtool check metrics"
else
	sed 's/^/# /' "$work/lint"; not_ok "promtool check metrics"
fi

families=$(sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$expo")
[ -n "$families" ] || not_ok "families found in the exposition"
undocumented=""
for f in $families; do
	grep -q "\`$f\`" "$srcdir/docs/monitoring.md" || undocumented="$undocumented $f"
done
if [ -z "$undocumented" ]; then ok "every family documented"; else not_ok "undocumented in docs/monitoring.md:$undocumented"; fi

# every cgw_ name used elsewhere is one cgwd exposes (histogram suffixes
# included)
known=$(for f in $families; do echo "$f"; echo "${f}_bucket"; echo "${f}_sum"; echo "${f}_count"; done)
unknown=""
for file in etc/prometheus/cgw-alerts.yml etc/grafana/cgw-dashboard.json docs/monitoring.md; do
	for n in $(grep -o 'cgw_[a-z_]*[a-z]' "$srcdir/$file" | sort -u); do
		echo "$known" | grep -qx "$n" || unknown="$unknown $file:$n"
	done
done
if [ -z "$unknown" ]; then ok "rules, dashboard and docs name only exposed series"; else not_ok "no such series:$unknown"; fi

cp "$srcdir/etc/prometheus/cgw-alerts.yml" "$srcdir/tests/monitoring/cgw-alerts.test.yml" "$work/"
if promtool check rules "$work/cgw-alerts.yml" >"$work/out" 2>&1; then
	ok "promtool check rules"
else
	sed 's/^/# /' "$work/out"; not_ok "promtool check rules"
fi
if (cd "$work" && promtool test rules cgw-alerts.test.yml) >"$work/out" 2>&1; then
	ok "promtool test rules"
else
	sed 's/^/# /' "$work/out"; not_ok "promtool test rules"
fi
if python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["panels"]' \
    "$srcdir/etc/grafana/cgw-dashboard.json" 2>"$work/out"; then
	ok "dashboard JSON"
else
	sed 's/^/# /' "$work/out"; not_ok "dashboard JSON"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
