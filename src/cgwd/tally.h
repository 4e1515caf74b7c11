/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: what happened to a tunnel, counted
 *
 * The counters behind cgw's metrics (metrics_text.h) that no outside part
 * keeps for us: charon reports each rekey and failure once, as an event;
 * the probes' round trips and failover's verdicts are cgw's own.  They
 * start at zero with each cgwd (Prometheus counters may reset; rate()
 * knows), while the traffic counters come from the kernel's interface and
 * run on across restarts and rekeys.
 */
#ifndef CGW_TALLY_H
#define CGW_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/cgw_msg.h"

enum tally_phase { TALLY_IKE, TALLY_CHILD, TALLY_PHASES };
enum tally_initiator { TALLY_BY_CGW, TALLY_BY_AWS, TALLY_INITIATORS };
/* Why a tunnel was taken out of use (failover.c's verdict). */
enum tally_failover {
	TALLY_FO_PROBE_LOSS,		/* SAs up, nothing answered */
	TALLY_FO_IPSEC_DOWN,		/* the CHILD_SA went */
	TALLY_FO_RESET,			/* cgwctl reset: drained on purpose */
	TALLY_FO_CAUSES
};
/* Upper bounds of the probe round-trip histogram, in microseconds: AWS's
 * endpoints are a few ms to a few hundred ms away. */
#define TALLY_RTT_BUCKETS 11
static const uint32_t tally_rtt_le_us[TALLY_RTT_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000,
};

struct tunnel_tally {
	uint64_t rekeys[TALLY_PHASES][TALLY_INITIATORS];
	uint64_t established[TALLY_PHASES];
	/* IKE failures by charon's alert (enum cgw_msg_alert) */
	uint64_t failures[CGW_ALERT_REPLACED + 1];
	uint64_t dpd_timeouts;		/* an established IKE_SA's peer gone */
	/* probes, counted here: the probe's own counts start again with
	 * its socket (a new interface) */
	uint64_t probes_sent, probes_lost;
	uint64_t rtt_bucket[TALLY_RTT_BUCKETS + 1];	/* last: +Inf */
	uint64_t rtt_count;
	uint64_t rtt_sum_us;
	uint64_t failovers[TALLY_FO_CAUSES];
	/* the last failover off this tunnel; 0 = none yet */
	uint32_t last_detection_ms, last_outage_ms;
};

static inline void
tally_rtt(struct tunnel_tally *t, uint32_t rtt_us)
{
	unsigned int i = 0;

	while (i < TALLY_RTT_BUCKETS && rtt_us > tally_rtt_le_us[i])
		i++;
	t->rtt_bucket[i]++;
	t->rtt_count++;
	t->rtt_sum_us += rtt_us;
}

/* The label values of the failure causes (docs/monitoring.md); NULL for
 * alerts that are not failures. */
static inline const char *
tally_failure_key(unsigned int alert)
{
	switch (alert) {
	case CGW_ALERT_AUTH_FAILED: return "auth-failed";
	case CGW_ALERT_PROPOSAL_MISMATCH_IKE: return "proposal-mismatch-ike";
	case CGW_ALERT_PROPOSAL_MISMATCH_CHILD: return "proposal-mismatch-child";
	case CGW_ALERT_TS_MISMATCH: return "ts-mismatch";
	case CGW_ALERT_RETRANSMIT_TIMEOUT: return "peer-timeout";
	case CGW_ALERT_INSTALL_FAILED: return "install-failed";
	case CGW_ALERT_PEER_INIT_UNREACHABLE: return "peer-unreachable";
	case CGW_ALERT_OTHER: return "other";
	default: return NULL;
	}
}

static inline const char *
tally_failover_key(enum tally_failover c)
{
	static const char *const k[TALLY_FO_CAUSES] = {
		"probe-loss", "ipsec-down", "reset",
	};

	return c < TALLY_FO_CAUSES ? k[c] : "?";
}

#endif
