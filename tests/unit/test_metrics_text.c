/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the metrics' text exposition (metrics_text.c).  With a
 * file name argument, also writes the exposition there, for promtool
 * (tests/monitoring/run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/metrics_text.h"
#include "unit.h"

static struct tunnel_tally tally[2];
static struct metrics_tunnel tunnels[2];
/* one inbound endpoint address answers, the other is down and out */
static const struct metrics_dns_endpoint dns_ep[2] = {
	{ .addr = "10.2.0.53", .up = true, .forwarded = true, .rtt_us = 12345,
	  .sent = 100, .answered = 99 },
	{ .addr = "10.2.1.53", .sent = 100, .answered = 40 },
};
static const struct metrics_dns dns = { .ep = dns_ep, .n = 2 };

static char *
render(const struct metrics_view *v, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	CHECK(f != NULL);
	CHECK(metrics_text(f, v) == 0);
	fclose(f);
	return text;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void
setup(void)
{
	memset(tunnels, 0, sizeof(tunnels));
	memset(tally, 0, sizeof(tally));
	for (int i = 0; i < 2; i++) {
		tunnels[i].vpn_id = "vpn-0123456789abcdef0";
		tunnels[i].tunnel = (unsigned int)i + 1;
		snprintf(tunnels[i].outside_ip, sizeof(tunnels[i].outside_ip),
		    "203.0.113.%d", 10 * (i + 1));
		tunnels[i].bgp = true;
		tunnels[i].tally = &tally[i];
		tunnels[i].prefix_limit = 100;
	}
	/* tunnel 1 UP; tunnel 2 down, its BGP Active, probes lost */
	tunnels[0].up = tunnels[0].usable = true;
	tunnels[0].ike = METRICS_SA_ESTABLISHED;
	tunnels[0].child = METRICS_SA_REKEYING;
	tunnels[0].bgp_state = "Established";
	tunnels[0].bgp_uptime_s = 42;
	tunnels[0].rx_bytes = 123456789012ull;
	tunnels[0].diag_cause = "ok";
	tunnels[1].ike = METRICS_SA_DOWN;
	tunnels[1].child = METRICS_SA_DOWN;
	tunnels[1].bgp_state = "Active";
	tunnels[1].probe_loss_pct = 100;
	tunnels[1].diag_cause = "path-dead";
	tunnels[1].diag_severity = 2;
	tally_rtt(&tally[0], 800);		/* <= 1 ms */
	tally_rtt(&tally[0], 30000);		/* <= 50 ms */
	tally_rtt(&tally[0], 9000000);		/* +Inf only */
	tally[0].rekeys[TALLY_CHILD][TALLY_BY_AWS] = 3;
	tally[1].failovers[TALLY_FO_PROBE_LOSS] = 1;
	tally[1].last_detection_ms = 1260;
	tally[1].last_outage_ms = 1480;
	tally[1].failures[CGW_ALERT_AUTH_FAILED] = 2;
}

static void
test_series(const char *text)
{
	/* every configured tunnel has its state, 0 when down */
	CHECK(strstr(text, "cgw_tunnel_state{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"1\",outside_ip=\"203.0.113.10\"} 1\n"));
	CHECK(strstr(text, "cgw_tunnel_state{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"2\",outside_ip=\"203.0.113.20\"} 0\n"));
	/* four SA states per tunnel and phase, exactly one of them 1 */
	CHECK(count(text, "cgw_tunnel_ike_state{") == 8);
	CHECK(count(text, "cgw_tunnel_ipsec_state{") == 8);
	CHECK(strstr(text, "tunnel=\"1\",outside_ip=\"203.0.113.10\",state=\"Rekeying\"} 1\n"));
	CHECK(strstr(text, "cgw_tunnel_ike_state{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"2\",outside_ip=\"203.0.113.20\",state=\"Down\"} 1\n"));
	/* BGP's six states, one 1 each */
	CHECK(count(text, "cgw_bgp_session_state{") == 12);
	CHECK(strstr(text, "tunnel=\"2\",outside_ip=\"203.0.113.20\",state=\"Active\"} 1\n"));
	CHECK(strstr(text, "tunnel=\"2\",outside_ip=\"203.0.113.20\",state=\"Established\"} 0\n"));
	CHECK(strstr(text, "cgw_tunnel_receive_bytes_total{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"1\",outside_ip=\"203.0.113.10\"} 123456789012\n"));
	/* the histogram is cumulative; +Inf is the count */
	CHECK(strstr(text, "tunnel=\"1\",outside_ip=\"203.0.113.10\",le=\"0.001\"} 1\n"));
	CHECK(strstr(text, "tunnel=\"1\",outside_ip=\"203.0.113.10\",le=\"0.05\"} 2\n"));
	CHECK(strstr(text, "tunnel=\"1\",outside_ip=\"203.0.113.10\",le=\"2.5\"} 2\n"));
	CHECK(strstr(text, "tunnel=\"1\",outside_ip=\"203.0.113.10\",le=\"+Inf\"} 3\n"));
	CHECK(strstr(text, "cgw_probe_rtt_seconds_count{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"1\",outside_ip=\"203.0.113.10\"} 3\n"));
	/* the sum exact, to the microsecond */
	CHECK(strstr(text, "cgw_probe_rtt_seconds_sum{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"1\",outside_ip=\"203.0.113.10\"} 9.030800\n"));
	CHECK(strstr(text, "cgw_probe_loss_ratio{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"2\",outside_ip=\"203.0.113.20\"} 1\n"));
	CHECK(strstr(text, "phase=\"ipsec\",initiator=\"aws\"} 3\n"));
	CHECK(strstr(text, "tunnel=\"2\",outside_ip=\"203.0.113.20\",cause=\"probe-loss\"} 1\n"));
	CHECK(strstr(text, "tunnel=\"2\",outside_ip=\"203.0.113.20\",cause=\"auth-failed\"} 2\n"));
	CHECK(strstr(text, "cgw_failover_last_outage_seconds{vpn_id=\"vpn-0123456789abcdef0\",tunnel=\"2\",outside_ip=\"203.0.113.20\"} 1.48\n"));
	CHECK(strstr(text, "cause=\"path-dead\",severity=\"fault\"} 1\n"));
	CHECK(strstr(text, "cgw_build_info{version=\"9.9\",strongswan=\"5.9.8\",frr=\"8.4.4\"} 1\n"));
	/* each family announced once, before its samples */
	CHECK(count(text, "# TYPE cgw_tunnel_state gauge\n") == 1);
	CHECK_BEFORE(text, "# TYPE cgw_probe_rtt_seconds histogram", "cgw_probe_rtt_seconds_bucket");
	/* the resolver's side: per address, and unbound (here: not ok) */
	CHECK(strstr(text, "cgw_dns_endpoint_up{endpoint=\"10.2.0.53\"} 1\n"));
	CHECK(strstr(text, "cgw_dns_endpoint_up{endpoint=\"10.2.1.53\"} 0\n"));
	CHECK(strstr(text, "cgw_dns_endpoint_forwarded{endpoint=\"10.2.1.53\"} 0\n"));
	CHECK(strstr(text, "cgw_dns_endpoint_rtt_seconds{endpoint=\"10.2.0.53\"} 0.012345\n"));
	CHECK(strstr(text, "cgw_dns_probes_answered_total{endpoint=\"10.2.1.53\"} 40\n"));
	CHECK(strstr(text, "cgw_dns_unbound_up 0\n"));
}

static void
test_static_and_escaping(void)
{
	struct metrics_view v = { .version = "9.9", .swan_version = "",
	    .frr_version = "", .t = tunnels, .n = 1 };
	char *text;
	size_t len;

	tunnels[0].bgp = false;
	tunnels[0].vpn_id = "odd\"id\\x";
	text = render(&v, &len);
	/* no dns block: no dns families */
	CHECK(strstr(text, "cgw_dns_") == NULL);
	/* no BGP series for a static connection */
	CHECK(count(text, "cgw_bgp_session_state{") == 0);
	CHECK(strstr(text, "vpn_id=\"odd\\\"id\\\\x\"") != NULL);
	free(text);
	tunnels[0].bgp = true;
	tunnels[0].bgp_state = "";	/* bgpd has no such neighbor */
	text = render(&v, &len);
	CHECK(strstr(text, "state=\"Idle\"} 1\n") != NULL);
	CHECK(count(text, "cgw_bgp_session_state{") == 6);
	free(text);
}

static void
test_sa_state_names(void)
{
	CHECK(metrics_sa_state("ESTABLISHED") == METRICS_SA_ESTABLISHED);
	CHECK(metrics_sa_state("INSTALLED") == METRICS_SA_ESTABLISHED);
	CHECK(metrics_sa_state("REKEYING") == METRICS_SA_REKEYING);
	CHECK(metrics_sa_state("CONNECTING") == METRICS_SA_NEGOTIATING);
	CHECK(metrics_sa_state("INSTALLING") == METRICS_SA_NEGOTIATING);
	CHECK(metrics_sa_state("DELETING") == METRICS_SA_DOWN);
	CHECK(metrics_sa_state("") == METRICS_SA_DOWN);
	CHECK(metrics_sa_state(NULL) == METRICS_SA_DOWN);
}

int
main(int argc, char **argv)
{
	struct metrics_view v = { .version = "9.9", .swan_version = "5.9.8",
	    .frr_version = "8.4.4", .start_time_s = 1796357832, .t = tunnels,
	    .n = 2, .dns = &dns };
	char *text;
	size_t len;

	setup();
	text = render(&v, &len);
	test_series(text);
	if (argc > 1) {
		FILE *f = fopen(argv[1], "w");

		CHECK(f && fwrite(text, 1, len, f) == len);
		if (f)
			fclose(f);
	}
	free(text);
	test_static_and_escaping();
	test_sa_state_names();
	return unit_summary();
}
