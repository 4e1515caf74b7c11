/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the metrics, as Prometheus's text exposition format
 *
 * Pure code: a view of every configured tunnel goes in (metrics.c fills
 * it from cgwd's state and the kernel's interface counters), the text
 * comes out.  What makes the series worth alerting on:
 * - every configured tunnel has every series of its kind, 0 when down,
 *   never missing (an exporter reading SAs has no series for a tunnel
 *   without SAs, and no alert fires on a series that is not there);
 * - the labels are the configuration's, not the SAs': vpn_id, tunnel (1
 *   or 2) and outside_ip (AWS's TunnelIpAddress, as CloudWatch has it),
 *   the same across rekeys and restarts;
 * - states are one series per value (1 for the current one), with AWS's
 *   four values for IKE and CHILD_SAs and BGP's six.
 * docs/monitoring.md describes each family.
 */
#ifndef CGW_METRICS_TEXT_H
#define CGW_METRICS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cgwd/tally.h"

/* The four states AWS's tunnel logs use for IKE and IPsec SAs. */
enum metrics_sa_state {
	METRICS_SA_ESTABLISHED, METRICS_SA_REKEYING, METRICS_SA_NEGOTIATING,
	METRICS_SA_DOWN, METRICS_SA_STATES
};
/* charon's name of an IKE_SA or CHILD_SA state ("" = none) as one of
 * them. */
enum metrics_sa_state metrics_sa_state(const char *charon_state);

struct metrics_tunnel {
	const char *vpn_id;		/* the connection's id */
	unsigned int tunnel;		/* 1 or 2 */
	char outside_ip[16];		/* AWS's endpoint */
	bool bgp;			/* the connection uses BGP */
	bool up;			/* AWS's TunnelState */
	bool usable;			/* failover: may carry traffic */
	enum metrics_sa_state ike, child;
	/* the xfrm interface's counters; absent (no interface): 0 */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	/* BGP: FRR's state name ("" = bgpd has no such neighbor) */
	const char *bgp_state;
	uint32_t prefixes_accepted, prefixes_advertised, prefix_limit;
	uint64_t bgp_uptime_s;
	/* probes */
	uint64_t probes_sent, probes_lost;
	unsigned int probe_loss_pct;	/* of the last 8 */
	const struct tunnel_tally *tally;
	/* diagnose's first finding: a stable key, 0 ok 1 warning 2 fault */
	const char *diag_cause;
	unsigned int diag_severity;
};

/* An inbound endpoint address of the dns block, as cgwd's probes see it. */
struct metrics_dns_endpoint {
	char addr[16];
	bool up;			/* answers (false until it has) */
	bool forwarded;			/* in unbound's forward list */
	uint32_t rtt_us;		/* the last answer's round trip */
	uint64_t sent, answered;	/* probes */
};

/* The resolver's side (absent without a dns block: no dns families). */
struct metrics_dns {
	const struct metrics_dns_endpoint *ep;
	size_t n;
	bool unbound_ok;		/* takes cgw's commands, answers on
					 * every listen address */
};

struct metrics_view {
	const char *version;		/* cgw's */
	const char *swan_version;	/* "" = charon not connected yet */
	const char *frr_version;	/* "" = unknown */
	uint64_t start_time_s;		/* cgwd's, unix time */
	const struct metrics_tunnel *t;
	size_t n;
	const struct metrics_dns *dns;	/* NULL: no dns block */
};

/* Writes the exposition; returns -1 on a write error. */
int metrics_text(FILE *out, const struct metrics_view *v);

#endif
