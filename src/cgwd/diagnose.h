/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnose: from what cgwd has seen to a cause and its fix
 *
 * cgwd keeps, per tunnel, the facts an engineer would dig out of charon's
 * log, bgpd and a few pings: the last IKE alert (and whether a CHILD_SA
 * was up, i.e. it was a rekey that failed), unanswered IKE retransmits,
 * when the peer last sent any IKE message, the selectors AWS agreed to,
 * rekeys AWS started before our lifetime ran out, the in-band probes
 * (small ones for health, one full-MTU probe every few seconds) and
 * bgpd's last NOTIFICATION.  diag_evaluate() is a pure function of those
 * facts, so every cause is unit-tested (tests/unit/test_diagnose.c) and
 * produced for real by a lab test that creates the fault.
 *
 * The cause keys are stable (scripts and docs/troubleshooting.md use
 * them); the text names the cause and the fix in one sentence.
 */
#ifndef CGW_DIAGNOSE_H
#define CGW_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum diag_cause {
	DIAG_OK = 0,
	DIAG_PSK,		/* psk-mismatch */
	DIAG_IKE_PROPOSAL,	/* ike-proposal-mismatch */
	DIAG_CHILD_PROPOSAL,	/* child-proposal-mismatch (incl. PFS) */
	DIAG_LIFETIME,		/* lifetime-mismatch */
	DIAG_TS,		/* ts-mismatch */
	DIAG_IKE_UNREACHABLE,	/* ike-unreachable */
	DIAG_ESP_BLOCKED,	/* esp-blocked */
	DIAG_PATH_DOWN,		/* path-down: nothing answers, not yet known why */
	DIAG_MTU,		/* mtu */
	DIAG_BGP_ASN,		/* bgp-asn-mismatch */
	DIAG_BGP_DOWN,		/* bgp-down */
	DIAG_PREFIX_LIMIT,	/* prefix-limit */
	DIAG_IPSEC_DOWN,	/* ipsec-down: down, no cause seen yet */
	DIAG_PROBES_FILTERED,	/* probes-filtered: only ICMP fails */
	DIAG_BGP_REFUSED,	/* bgp-config-refused: bgpd refused cgw's */
	DIAG_KERNEL_REFUSED,	/* kernel-refused: the kernel refused cgw's */
	DIAG_MSS_MISSING,	/* mss-clamp-missing: nftables refused it */
	DIAG_CAUSE_MAX
};

enum diag_severity { DIAG_INFO = 0, DIAG_WARNING, DIAG_FAULT };

/* The IKE alerts as the plugin reports them (enum cgw_msg_alert). */
struct diag_facts {
	/* the tunnel's configuration */
	unsigned int index;		/* 1 or 2 */
	char aws_outside[16], cgw_outside[16];	/* dotted quads */
	char aws_inside[16];
	unsigned int p1_lifetime, p2_lifetime;	/* seconds */
	unsigned int rekey_margin, rekey_fuzz;	/* seconds, percent */
	unsigned int mtu;
	bool force_encap;
	bool bgp;
	uint32_t local_asn, aws_asn;
	unsigned int prefix_limit;	/* AWS's: 100 (VGW) or 1000 (TGW) */
	unsigned int advertised;	/* prefixes we announce, at most */

	/* IPsec, from the plugin */
	bool ike_up, child_up;
	uint32_t alert;			/* last CGW_ALERT_*, 0 = none */
	bool alert_rekeying;		/* a CHILD_SA was up: a rekey failed */
	char alert_detail[256];
	unsigned int retransmits;	/* unanswered since the peer last spoke */
	uint32_t ike_in_s;		/* since the peer's last IKE message;
					 * UINT32_MAX = never / unknown */
	char ts_local[64], ts_remote[64];	/* negotiated selectors */
	uint32_t peer_rekey_child_age;	/* AWS rekeyed the CHILD_SA this old */
	uint32_t peer_rekey_ike_age;	/* ...or the IKE_SA; 0 = not seen */

	/* in-band probes */
	uint32_t probes_sent;
	uint32_t lost_run;		/* small probes lost in a row */
	uint32_t lost_for_ms;		/* since the first of them was sent */
	unsigned int loss_pct;		/* of the last 8 */
	uint32_t rtt_us;
	uint32_t big_sent, big_lost_run;	/* full-MTU probes */
	/* failover: traffic through the connection's tunnels shows that
	 * the probes, not the tunnels, fail (failover.h) */
	bool probes_filtered;

	/* BGP, from bgpd */
	char bgp_state[16];		/* "" = unknown */
	uint32_t bgp_wait_s;		/* IPsec up this long, BGP not */
	char bgp_reset[48];		/* lastResetDueTo */
	char bgp_code[8];		/* lastErrorCodeSubcode, e.g. "0202" */
	char bgp_reason[96];		/* lastNotificationReason */
	uint32_t bgp_read_ms;		/* since bgpd last read from AWS;
					 * UINT32_MAX = unknown */
	uint32_t routes_sent;
	/* bgpd's last refusal of a command of cgw's ("" = none) */
	char frr_refused_cmd[96], frr_refused[128];

	/* the kernel's last refusal of a change of cgw's to this tunnel's
	 * objects ("" = none, or put right since) */
	char kernel_op[96];		/* e.g. "create interface cgw-1a2b3c-1" */
	char kernel_error[64];		/* strerror */
	char outside_if[16];		/* cgw.conf's outside-interface... */
	bool outside_if_missing;	/* ...which the kernel does not have */
	/* nftables' refusal of cgw's MSS clamp (the box's, "" = in place) */
	char mss_refused[160];
};

struct diag_finding {
	enum diag_cause cause;
	enum diag_severity severity;
	char text[512];
};

/* Fills up to max findings, the most important first; returns how many
 * (at least 1: DIAG_OK when nothing is wrong). */
int diag_evaluate(const struct diag_facts *f, struct diag_finding *out,
    int max);
/* "psk-mismatch", ... */
const char *diag_cause_key(enum diag_cause c);

/* Earliest moment (SA age, seconds) at which cgw itself would rekey an SA
 * of this lifetime: a rekey by the peer before that means AWS's lifetime
 * is the shorter one. */
unsigned int diag_own_rekey_min(unsigned int lifetime, unsigned int margin,
    unsigned int fuzz);

#endif
