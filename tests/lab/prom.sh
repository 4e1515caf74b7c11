# SPDX-License-Identifier: GPL-2.0-or-later
# prom.sh (sourced): Debian's Prometheus server in namespace cgw, scraping
# cgwd's /metrics every second, and its HTTP API read back.
#
#   prom_start            start it; wait until it has scraped cgwd once
#   prom_query EXPR       the value of an instant query, one line per
#                         series ("" when there is none)
#   prom_samples EXPR[RANGE]
#                         the raw samples of a range selector, "TIME VALUE"
#                         per line (TIME: unix seconds, ms precision)
#   prom_wait SECS DESC EXPR OP VALUE
#                         until every series of EXPR compares so (awk)

PROM_DIR=$LAB_RUN/prometheus
PROM_ADDR=127.0.0.1:9090
PROM_SCRAPE_S=1

prom_start() {
	local pid
	mkdir -p "$PROM_DIR/data"
	cat >"$PROM_DIR/prometheus.yml" <<-EOF2
	global:
	  scrape_interval: ${PROM_SCRAPE_S}s
	  evaluation_interval: ${PROM_SCRAPE_S}s
	scrape_configs:
	  - job_name: cgw
	    static_configs:
	      - targets: ["127.0.0.1:$CGW_METRICS_PORT"]
	EOF2
	promtool check config "$PROM_DIR/prometheus.yml" >"$PROM_DIR/check.out" 2>&1 ||
		{ sed 's/^/# /' "$PROM_DIR/check.out"; return 1; }
	ip netns exec cgw prometheus --config.file="$PROM_DIR/prometheus.yml" \
		--storage.tsdb.path="$PROM_DIR/data" --web.listen-address="$PROM_ADDR" \
		--log.level=warn >"$PROM_DIR/prometheus.log" 2>&1 </dev/null &
	pid=$!
	lab_track prometheus "$pid"
	lab_wait 60 "Prometheus scraped cgwd" eval '[ "$(prom_query "up{job=\"cgw\"}")" = 1 ]' ||
		{ tail -20 "$PROM_DIR/prometheus.log" | sed 's/^/# /'; return 1; }
}

prom_query() {
	ip netns exec cgw python3 - "$PROM_ADDR" "$1" <<-'EOF2'
	import json, sys, urllib.parse, urllib.request
	url = "http://%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
	r = json.load(urllib.request.urlopen(url, timeout=5))
	if r["status"] != "success":
	    sys.exit("query failed: %s" % r)
	for s in r["data"]["result"]:
	    if "values" in s:
	        for t, v in s["values"]:
	            print("%.3f %s" % (t, v))
	    else:
	        print(s["value"][1])
	EOF2
}
prom_samples() { prom_query "$1"; }

# prom_check EXPR OP VALUE: every series of EXPR compares so (and there is one)
prom_check() {
	local v
	v=$(prom_query "$1") && [ -n "$v" ] &&
		echo "$v" | awk -v x="$3" "{ if (!(\$1 $2 x)) bad = 1 } END { exit bad }"
}
prom_wait() { # SECS DESC EXPR OP VALUE
	lab_wait "$1" "$2" prom_check "$3" "$4" "$5"
}
