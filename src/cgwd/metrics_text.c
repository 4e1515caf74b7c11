/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the text exposition (see metrics_text.h)
 *
 * Each family: its HELP and TYPE lines, then one sample per tunnel (or
 * per tunnel and value), all of a family together as the format wants.
 */
#include "cgwd/metrics_text.h"

#include <string.h>

enum metrics_sa_state
metrics_sa_state(const char *s)
{
	static const struct { const char *name; enum metrics_sa_state st; } map[] = {
		/* IKE_SA */
		{ "ESTABLISHED", METRICS_SA_ESTABLISHED },
		{ "CONNECTING", METRICS_SA_NEGOTIATING },
		{ "CREATED", METRICS_SA_NEGOTIATING },
		{ "PASSIVE", METRICS_SA_NEGOTIATING },
		{ "REKEYING", METRICS_SA_REKEYING },
		{ "REKEYED", METRICS_SA_REKEYING },
		/* CHILD_SA */
		{ "INSTALLED", METRICS_SA_ESTABLISHED },
		{ "INSTALLING", METRICS_SA_NEGOTIATING },
		{ "UPDATING", METRICS_SA_ESTABLISHED },
		{ "ROUTED", METRICS_SA_NEGOTIATING },
	};

	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].st;
	return METRICS_SA_DOWN;		/* "", DELETING, DESTROYING, DELETED */
}

static const char *const sa_state_names[METRICS_SA_STATES] = {
	"Established", "Rekeying", "Negotiating", "Down",
};
static const char *const bgp_states[] = {
	"Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established",
};

/* A label value, escaped as the format requires. */
static void
label_value(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void
family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{vpn_id=...,tunnel=...,outside_ip=...[,key="val"] */
static void
sample_start(FILE *out, const char *name, const struct metrics_tunnel *t)
{
	fprintf(out, "%s{vpn_id=\"", name);
	label_value(out, t->vpn_id);
	fprintf(out, "\",tunnel=\"%u\",outside_ip=\"%s\"", t->tunnel, t->outside_ip);
}

static void
sample_u64(FILE *out, const char *name, const struct metrics_tunnel *t,
    const char *key, const char *val, unsigned long long v)
{
	sample_start(out, name, t);
	if (key) {
		fprintf(out, ",%s=\"", key);
		label_value(out, val);
		fputc('"', out);
	}
	fprintf(out, "} %llu\n", v);
}

static void
sample_f(FILE *out, const char *name, const struct metrics_tunnel *t,
    const char *key, const char *val, double v)
{
	sample_start(out, name, t);
	if (key) {
		fprintf(out, ",%s=\"", key);
		label_value(out, val);
		fputc('"', out);
	}
	fprintf(out, "} %.6g\n", v);
}

/* One family of one plain value per tunnel; get() reads it. */
#define PER_TUNNEL(out, v, name, type, help, expr) do {			\
	family(out, name, type, help);					\
	for (size_t i_ = 0; i_ < (v)->n; i_++) {			\
		const struct metrics_tunnel *t = &(v)->t[i_];		\
		sample_u64(out, name, t, NULL, NULL,			\
		    (unsigned long long)(expr));			\
	}								\
} while (0)

static void
states(FILE *out, const struct metrics_view *v)
{
	PER_TUNNEL(out, v, "cgw_tunnel_state", "gauge",
	    "1 when the tunnel is UP as AWS means it (BGP connections: IPsec up and the BGP session Established; static: IPsec up), else 0",
	    t->up);
	PER_TUNNEL(out, v, "cgw_tunnel_usable", "gauge",
	    "1 when failover lets the tunnel carry traffic (its probes are answered, it is out of its hold-down)",
	    t->usable);
	family(out, "cgw_tunnel_ike_state", "gauge",
	    "The IKE (phase 1) SA's state, AWS's four values: 1 for the current one");
	for (size_t i = 0; i < v->n; i++)
		for (int s = 0; s < METRICS_SA_STATES; s++)
			sample_u64(out, "cgw_tunnel_ike_state", &v->t[i], "state",
			    sa_state_names[s], v->t[i].ike == (enum metrics_sa_state)s);
	family(out, "cgw_tunnel_ipsec_state", "gauge",
	    "The IPsec (phase 2, CHILD) SA's state, AWS's four values: 1 for the current one");
	for (size_t i = 0; i < v->n; i++)
		for (int s = 0; s < METRICS_SA_STATES; s++)
			sample_u64(out, "cgw_tunnel_ipsec_state", &v->t[i], "state",
			    sa_state_names[s], v->t[i].child == (enum metrics_sa_state)s);
}

static void
traffic(FILE *out, const struct metrics_view *v)
{
	PER_TUNNEL(out, v, "cgw_tunnel_receive_bytes_total", "counter",
	    "Bytes that came in through the tunnel, decrypted (its xfrm interface; AWS's TunnelDataOut)",
	    t->rx_bytes);
	PER_TUNNEL(out, v, "cgw_tunnel_transmit_bytes_total", "counter",
	    "Bytes sent into the tunnel, before encryption (its xfrm interface; AWS's TunnelDataIn)",
	    t->tx_bytes);
	PER_TUNNEL(out, v, "cgw_tunnel_receive_packets_total", "counter",
	    "Packets that came in through the tunnel", t->rx_packets);
	PER_TUNNEL(out, v, "cgw_tunnel_transmit_packets_total", "counter",
	    "Packets sent into the tunnel", t->tx_packets);
	PER_TUNNEL(out, v, "cgw_tunnel_receive_errors_total", "counter",
	    "Receive errors the kernel counted on the tunnel's interface", t->rx_errors);
	PER_TUNNEL(out, v, "cgw_tunnel_transmit_errors_total", "counter",
	    "Transmit errors the kernel counted on the tunnel's interface (e.g. no SA to send with)",
	    t->tx_errors);
	PER_TUNNEL(out, v, "cgw_tunnel_receive_drops_total", "counter",
	    "Packets the kernel dropped on receive on the tunnel's interface", t->rx_dropped);
	PER_TUNNEL(out, v, "cgw_tunnel_transmit_drops_total", "counter",
	    "Packets the kernel dropped on transmit on the tunnel's interface", t->tx_dropped);
}

static void
ike(FILE *out, const struct metrics_view *v)
{
	static const char *const phase[TALLY_PHASES] = { "ike", "ipsec" };
	static const char *const by[TALLY_INITIATORS] = { "cgw", "aws" };

	family(out, "cgw_rekeys_total", "counter",
	    "Rekeys completed, by phase (ike, ipsec) and by who started them (cgw, aws)");
	for (size_t i = 0; i < v->n; i++)
		for (int p = 0; p < TALLY_PHASES; p++)
			for (int w = 0; w < TALLY_INITIATORS; w++) {
				sample_start(out, "cgw_rekeys_total", &v->t[i]);
				fprintf(out, ",phase=\"%s\",initiator=\"%s\"} %llu\n",
				    phase[p], by[w],
				    (unsigned long long)v->t[i].tally->rekeys[p][w]);
			}
	family(out, "cgw_sa_established_total", "counter",
	    "IKE and IPsec SAs established afresh (not by a rekey), by phase");
	for (size_t i = 0; i < v->n; i++)
		for (int p = 0; p < TALLY_PHASES; p++)
			sample_u64(out, "cgw_sa_established_total", &v->t[i], "phase",
			    phase[p], v->t[i].tally->established[p]);
	family(out, "cgw_ike_failures_total", "counter",
	    "IKE and IPsec negotiations that failed, by cause (diagnose names the fix)");
	for (size_t i = 0; i < v->n; i++)
		for (unsigned int a = 0; a <= CGW_ALERT_REPLACED; a++)
			if (tally_failure_key(a))
				sample_u64(out, "cgw_ike_failures_total", &v->t[i],
				    "cause", tally_failure_key(a),
				    v->t[i].tally->failures[a]);
	PER_TUNNEL(out, v, "cgw_dpd_timeouts_total", "counter",
	    "Established IKE SAs given up because the peer stopped answering (dead peer detection)",
	    t->tally->dpd_timeouts);
}

static void
bgp(FILE *out, const struct metrics_view *v)
{
	const size_t n_states = sizeof(bgp_states) / sizeof(bgp_states[0]);

	family(out, "cgw_bgp_session_state", "gauge",
	    "The BGP session's FSM state over the tunnel (BGP connections): 1 for the current one; Idle when bgpd has no such neighbor");
	for (size_t i = 0; i < v->n; i++) {
		const struct metrics_tunnel *t = &v->t[i];
		bool known = false;

		if (!t->bgp)
			continue;
		for (size_t s = 0; s < n_states; s++)
			known |= t->bgp_state && strcmp(t->bgp_state, bgp_states[s]) == 0;
		for (size_t s = 0; s < n_states; s++)
			sample_u64(out, "cgw_bgp_session_state", t, "state", bgp_states[s],
			    known ? strcmp(t->bgp_state, bgp_states[s]) == 0 : s == 0);
	}
#define PER_BGP(name, type, help, expr) do {				\
	family(out, name, type, help);					\
	for (size_t i_ = 0; i_ < v->n; i_++)				\
		if (v->t[i_].bgp)					\
			sample_u64(out, name, &v->t[i_], NULL, NULL,	\
			    (unsigned long long)(expr));		\
} while (0)
	PER_BGP("cgw_bgp_session_uptime_seconds", "gauge",
	    "Seconds since the BGP session was Established (0 when it is not)",
	    v->t[i_].bgp_uptime_s);
	PER_BGP("cgw_bgp_prefixes_accepted", "gauge",
	    "Prefixes bgpd holds from AWS over the session, after cgw's filter",
	    v->t[i_].prefixes_accepted);
	PER_BGP("cgw_bgp_prefixes_advertised", "gauge",
	    "Prefixes bgpd advertises to AWS over the session (failover's more-specifics included)",
	    v->t[i_].prefixes_advertised);
	PER_BGP("cgw_bgp_prefix_limit", "gauge",
	    "How many prefixes AWS accepts from the customer gateway before it tears the session down",
	    v->t[i_].prefix_limit);
#undef PER_BGP
}

static void
probes(FILE *out, const struct metrics_view *v)
{
	family(out, "cgw_probe_rtt_seconds", "histogram",
	    "Round trips of the in-band probes to AWS's inside address, through the tunnel");
	for (size_t i = 0; i < v->n; i++) {
		const struct tunnel_tally *ty = v->t[i].tally;
		unsigned long long cum = 0;
		char le[24];

		for (int b = 0; b < TALLY_RTT_BUCKETS; b++) {
			cum += ty->rtt_bucket[b];
			snprintf(le, sizeof(le), "%g", tally_rtt_le_us[b] / 1e6);
			sample_u64(out, "cgw_probe_rtt_seconds_bucket", &v->t[i], "le", le, cum);
		}
		cum += ty->rtt_bucket[TALLY_RTT_BUCKETS];
		sample_u64(out, "cgw_probe_rtt_seconds_bucket", &v->t[i], "le", "+Inf", cum);
		/* exact: a sum of days of round trips keeps its microseconds */
		sample_start(out, "cgw_probe_rtt_seconds_sum", &v->t[i]);
		fprintf(out, "} %llu.%06llu\n",
		    (unsigned long long)(ty->rtt_sum_us / 1000000),
		    (unsigned long long)(ty->rtt_sum_us % 1000000));
		sample_u64(out, "cgw_probe_rtt_seconds_count", &v->t[i], NULL, NULL,
		    ty->rtt_count);
	}
	PER_TUNNEL(out, v, "cgw_probes_sent_total", "counter",
	    "In-band probes sent through the tunnel", t->probes_sent);
	PER_TUNNEL(out, v, "cgw_probes_lost_total", "counter",
	    "In-band probes not answered before the next one went", t->probes_lost);
	family(out, "cgw_probe_loss_ratio", "gauge",
	    "Share of the last 8 probes that were lost, 0 to 1");
	for (size_t i = 0; i < v->n; i++)
		sample_f(out, "cgw_probe_loss_ratio", &v->t[i], NULL, NULL,
		    v->t[i].probe_loss_pct / 100.0);
}

static void
failover(FILE *out, const struct metrics_view *v)
{
	family(out, "cgw_failovers_total", "counter",
	    "Times the tunnel was taken out of use, by cause (probe-loss, ipsec-down, reset)");
	for (size_t i = 0; i < v->n; i++)
		for (int c = 0; c < TALLY_FO_CAUSES; c++)
			sample_u64(out, "cgw_failovers_total", &v->t[i], "cause",
			    tally_failover_key((enum tally_failover)c),
			    v->t[i].tally->failovers[c]);
	family(out, "cgw_failover_last_detection_seconds", "gauge",
	    "The last failover off this tunnel: from the first unanswered probe to the verdict (0 also when the CHILD_SA's going told at once)");
	for (size_t i = 0; i < v->n; i++)
		sample_f(out, "cgw_failover_last_detection_seconds", &v->t[i], NULL,
		    NULL, v->t[i].tally->last_detection_ms / 1000.0);
	family(out, "cgw_failover_last_outage_seconds", "gauge",
	    "The last failover off this tunnel: from the first unanswered probe until traffic was moved on cgw's side (bgpd has the new policy, or the routes moved); 0 = none yet");
	for (size_t i = 0; i < v->n; i++)
		sample_f(out, "cgw_failover_last_outage_seconds", &v->t[i], NULL,
		    NULL, v->t[i].tally->last_outage_ms / 1000.0);
}

static void
diagnosis(FILE *out, const struct metrics_view *v)
{
	static const char *const sev[] = { "ok", "warning", "fault" };

	family(out, "cgw_tunnel_diagnosis_info", "gauge",
	    "What cgwctl diagnose names first for the tunnel (cause \"ok\" when nothing is wrong)");
	for (size_t i = 0; i < v->n; i++) {
		const struct metrics_tunnel *t = &v->t[i];

		sample_start(out, "cgw_tunnel_diagnosis_info", t);
		fputs(",cause=\"", out);
		label_value(out, t->diag_cause ? t->diag_cause : "ok");
		fprintf(out, "\",severity=\"%s\"} 1\n",
		    sev[t->diag_severity < 3 ? t->diag_severity : 2]);
	}
}

/* name{endpoint="A"} V */
static void
dns_sample(FILE *out, const char *name, const struct metrics_dns_endpoint *e,
    const char *value)
{
	fprintf(out, "%s{endpoint=\"", name);
	label_value(out, e->addr);
	fprintf(out, "\"} %s\n", value);
}

static void
dns(FILE *out, const struct metrics_dns *dn)
{
	char val[32];

	if (!dn)
		return;
#define PER_EP(name, type, help, fmt, expr) do {			\
	family(out, name, type, help);					\
	for (size_t i_ = 0; i_ < dn->n; i_++) {				\
		const struct metrics_dns_endpoint *e_ = &dn->ep[i_];	\
		snprintf(val, sizeof(val), fmt, expr);			\
		dns_sample(out, name, e_, val);				\
	}								\
} while (0)
	PER_EP("cgw_dns_endpoint_up", "gauge",
	    "1 while the inbound endpoint address answers cgw's probes through the tunnels",
	    "%d", e_->up ? 1 : 0);
	PER_EP("cgw_dns_endpoint_forwarded", "gauge",
	    "1 while the address is in unbound's forward list for cgw's zones",
	    "%d", e_->forwarded ? 1 : 0);
	PER_EP("cgw_dns_endpoint_rtt_seconds", "gauge",
	    "Round trip of the last probe the address answered",
	    "%.6f", e_->rtt_us / 1e6);
	PER_EP("cgw_dns_probes_sent_total", "counter",
	    "DNS queries cgw sent to the address as probes",
	    "%llu", (unsigned long long)e_->sent);
	PER_EP("cgw_dns_probes_answered_total", "counter",
	    "Probes the address answered (any rcode)",
	    "%llu", (unsigned long long)e_->answered);
#undef PER_EP
	family(out, "cgw_dns_unbound_up", "gauge",
	    "1 while unbound takes cgw's commands and answers on every listen address");
	fprintf(out, "cgw_dns_unbound_up %d\n", dn->unbound_ok ? 1 : 0);
}

int
metrics_text(FILE *out, const struct metrics_view *v)
{
	family(out, "cgw_build_info", "gauge",
	    "cgw's version and the strongSwan and FRR it runs with (\"\" until known)");
	fputs("cgw_build_info{version=\"", out);
	label_value(out, v->version);
	fputs("\",strongswan=\"", out);
	label_value(out, v->swan_version);
	fputs("\",frr=\"", out);
	label_value(out, v->frr_version);
	fputs("\"} 1\n", out);
	family(out, "cgw_start_time_seconds", "gauge",
	    "When this cgwd started, unix time");
	fprintf(out, "cgw_start_time_seconds %llu\n",
	    (unsigned long long)v->start_time_s);
	states(out, v);
	traffic(out, v);
	ike(out, v);
	bgp(out, v);
	probes(out, v);
	failover(out, v);
	diagnosis(out, v);
	dns(out, v->dns);
	return ferror(out) ? -1 : 0;
}
