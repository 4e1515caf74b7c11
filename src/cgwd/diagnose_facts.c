/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnose's facts, gathered from cgwd's state
 *
 * The one place that knows where each fact of struct diag_facts lives
 * in cgwd (configuration, the last SA listing, events, probes, bgpd),
 * so diagnose.c stays a pure function of them.
 */
#include "cgwd/cgwd.h"

#include <stdio.h>
#include <string.h>

#include "cgwd/diagnose.h"
#include "cgwd/frr_conf.h"
#include "lib/addr.h"

void
tunnel_diag_facts(struct cgwd *d, const struct tunnel *t,
    struct diag_facts *f)
{
	const struct cgw_tunnel_conf *c = t->conf;

	memset(f, 0, sizeof(*f));
	f->index = c->index;
	cgw_addr4_str(c->aws_outside, f->aws_outside);
	cgw_addr4_str(c->cgw_outside, f->cgw_outside);
	cgw_addr4_str(c->inside_remote, f->aws_inside);
	f->p1_lifetime = c->phase1.lifetime;
	f->p2_lifetime = c->phase2.lifetime;
	f->rekey_margin = c->rekey_margin;
	f->rekey_fuzz = c->rekey_fuzz;
	f->mtu = c->mtu;
	f->bgp = t->conn->routing == CGW_ROUTING_BGP && !d->frr_off;
	f->local_asn = tunnel_local_asn(d, t);
	f->aws_asn = c->aws_asn;
	f->prefix_limit = (unsigned int)frr_prefix_limit(t->conn);
	/* the most this tunnel announces: during a failover it adds the
	 * more-specifics of every on-prem prefix */
	f->advertised = (unsigned int)d->conf->box.n_advertise * 3;

	/* t->ike_up means "an IKE_SA exists" (keep-up's question); diagnose
	 * asks whether one is established, which the listing says */
	f->ike_up = t->ike_up;
	if (t->have_sa)
		f->ike_up = strncmp(t->sa.ike_state_name, "ESTABLISHED", 16) == 0 ||
		    strncmp(t->sa.ike_state_name, "REKEYING", 16) == 0;
	f->child_up = t->child_up;
	f->alert = t->diag.alert;
	f->alert_rekeying = t->diag.alert_rekeying;
	snprintf(f->alert_detail, sizeof(f->alert_detail), "%s",
	    t->diag.alert_detail);
	f->retransmits = t->diag.retransmits;
	f->ike_in_s = UINT32_MAX;
	if (t->have_sa && t->sa.ike_state_name[0]) {
		f->ike_in_s = t->sa.ike_in_s;
		snprintf(f->ts_local, sizeof(f->ts_local), "%.64s",
		    t->sa.ts_local);
		snprintf(f->ts_remote, sizeof(f->ts_remote), "%.64s",
		    t->sa.ts_remote);
	}
	f->peer_rekey_child_age = t->diag.peer_rekey_child_age;
	f->peer_rekey_ike_age = t->diag.peer_rekey_ike_age;

	f->probes_sent = t->probe.sent;
	f->lost_run = t->probe.lost_run;
	f->lost_for_ms = probe_lost_for_ms(&t->probe);
	f->loss_pct = probe_loss_pct(&t->probe);
	f->rtt_us = t->probe.rtt_us;
	f->big_sent = t->probe.big_sent;
	f->big_lost_run = t->probe.big_lost_run;
	f->probes_filtered = d->fo &&
	    d->fo[t->conn_idx].t[t->conf->index - 1].probes_filtered;

	snprintf(f->bgp_state, sizeof(f->bgp_state), "%s",
	    t->bgp_seen ? t->bgp_state : "");
	f->bgp_wait_s = tunnel_bgp_wait_s(t, time(NULL));
	snprintf(f->bgp_reset, sizeof(f->bgp_reset), "%s", t->diag.bgp_reset);
	snprintf(f->bgp_code, sizeof(f->bgp_code), "%s", t->diag.bgp_code);
	snprintf(f->bgp_reason, sizeof(f->bgp_reason), "%s",
	    t->diag.bgp_reason);
	f->bgp_read_ms = t->bgp_read_ms;
	f->routes_sent = t->routes_sent;
	snprintf(f->mss_refused, sizeof(f->mss_refused), "%s",
	    d->clamp.refused);
	if (t->diag.kernel_op[0]) {
		snprintf(f->kernel_op, sizeof(f->kernel_op), "%s", t->diag.kernel_op);
		snprintf(f->kernel_error, sizeof(f->kernel_error), "%s",
		    strerror(-t->diag.kernel_err));
		snprintf(f->outside_if, sizeof(f->outside_if), "%s",
		    d->conf->box.outside_interface ? d->conf->box.outside_interface : "");
		f->outside_if_missing = t->diag.outside_if_missing;
	}
	if (d->frr_refused.at) {
		snprintf(f->frr_refused_cmd, sizeof(f->frr_refused_cmd), "%s",
		    d->frr_refused.cmd);
		snprintf(f->frr_refused, sizeof(f->frr_refused), "%s",
		    d->frr_refused.answer);
	}
}

/* All findings of one tunnel, as DIAGNOSIS records. */
int
diagnose_send(struct cgwd *d, const struct tunnel *t, struct msgout *q,
    uint32_t seq)
{
	struct diag_facts f;
	struct diag_finding out[6];
	struct cgw_msg_diagnosis m;
	int n;

	tunnel_diag_facts(d, t, &f);
	n = diag_evaluate(&f, out, 6);
	for (int i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		snprintf(m.connection, sizeof(m.connection), "%s", t->conn->id);
		m.index = t->conf->index;
		snprintf(m.ifname, sizeof(m.ifname), "%s", t->conf->ifname);
		snprintf(m.cause, sizeof(m.cause), "%s",
		    diag_cause_key(out[i].cause));
		m.severity = out[i].severity;
		snprintf(m.text, sizeof(m.text), "%s", out[i].text);
		if (msgout_put(q, CGW_MSG_DIAGNOSIS, seq, &m, sizeof(m)) < 0)
			return -1;
	}
	return 0;
}
