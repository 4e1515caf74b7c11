/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the failover decision
 *
 * Pure code, no I/O, no clock of its own: health events for the tunnels of
 * one VPN connection go in, with the time; whether each tunnel may carry
 * traffic comes out, and whether the surviving tunnel must pull the
 * return path over (more-specifics).  cgwd turns the decisions into link
 * state and BGP announcements; tests feed event sequences.
 *
 * A tunnel is usable when its CHILD_SA is installed and in-band probes to
 * AWS's inside address get answers.  It turns unusable at once when the
 * CHILD_SA goes or enough probes in a row are lost: `misses` on a clean
 * path; on a path that has been losing probes at random, as many more
 * (up to `max_misses`) as it takes for random loss at the rate seen to
 * produce that run less than once in FO_FALSE_RUN_INV probes (about once
 * a day per tunnel at 10 probes a second).  Random loss of q per probe
 * makes a run of k about q^k per probe, a dead tunnel makes every run
 * long: so a clean path keeps the fastest detection and a lossy one
 * pays a probe interval or two for not failing over at random.  The
 * loss rate is learned from runs that ended with an answer, over the
 * last thousand or two probes.  A tunnel that
 * failed comes back only after it has been healthy for `holddown_ms`
 * without interruption, so a flapping tunnel is not used instead of a
 * working one; with no other tunnel working, and when it comes up for the
 * first time (bring-up must be fast), it is used at once.
 *
 * Probe loss alone (the CHILD_SA still up) never takes the last tunnel in
 * use out: probes can be filtered while IKE, ESP and BGP are fine, and
 * with no other tunnel in use there is nothing better.  It shows as
 * probes_failing.  When another tunnel is back, the one kept starts a new
 * loss run instead of going at once: both paths tend to come back
 * together, and its first answer may lag the other's by a probe.
 *
 * Nor does it take out a tunnel that demonstrably still carries traffic:
 * packets other than the probes' answers came in over it in
 * FO_TRAFFIC_TICKS separate probe intervals of the loss run (a cut path
 * or blocked ESP delivers nothing, so fast failover is untouched).  The
 * probes are then filtered (ICMP to AWS's inside address dropped on the
 * way), and since the tunnels of a connection end at the same VGW, a
 * tunnel whose probes fail while another's are shown filtered is taken to
 * have filtered probes too: probes_filtered.  While they are, probes
 * cannot tell a dead tunnel, and BGP's hold timer and DPD do it.
 *
 * Nor, for FO_REPLACE_MS, one whose SAs are being replaced under it: a
 * new charon (the old one died) negotiates SAs the kernel still has from
 * the old one, AWS drops its old ones when it installs the new, and what
 * is in flight until ours are in is lost.  That loss is the replacement's,
 * not the path's, and every tunnel the dead charon held is in the same
 * exchange, so moving traffic gains nothing; taking the tunnel out would
 * cost its BGP session and a hold-down.  The new CHILD_SA starts a new
 * loss run.
 */
#ifndef CGW_FAILOVER_H
#define CGW_FAILOVER_H

#include <stdbool.h>
#include <stdint.h>

#define FO_TUNNELS 2

/* A run of losses this improbable under the loss rate seen means dead. */
#define FO_FALSE_RUN_INV 1000000u
#define FO_LOSS_WINDOW 1024u		/* probes in the loss estimate (x1-2) */
/* Probe intervals with traffic in that show a loss run is not the path:
 * two, so one stray packet (a BGP keepalive at the wrong moment) is not
 * taken for a working tunnel. */
#define FO_TRAFFIC_TICKS 2u
/* How long a replacement's loss is excused (fo_replacing): the exchange
 * takes a round trip or two and charon's work, seconds on a busy box. */
#define FO_REPLACE_MS 5000u

struct fo_config {
	unsigned int misses;		/* lost probes in a row = dead, clean path */
	unsigned int max_misses;	/* ... lossy path; 0 = 2 x misses */
	uint64_t holddown_ms;		/* healthy this long before reuse */
};

enum fo_state {
	FO_DOWN,			/* never up, or failed and not healthy */
	FO_HOLDDOWN,			/* healthy again, waiting out the hold-down */
	FO_UP,
};

struct fo_tunnel {
	enum fo_state state;
	bool child_up;
	bool probe_ok;			/* last probe answered */
	bool answered_child;		/* ...once, since the CHILD_SA came up */
	uint64_t child_since;		/* when the CHILD_SA came up */
	bool drained;			/* taken out by the operator (reset) */
	bool probes_failing;		/* dead by probes alone (SA up) */
	bool probes_filtered;		/* ...but traffic shows it is not */
	bool kept_last;			/* in use on probe loss as the last */
	bool replacing;			/* its SAs being replaced under it */
	uint64_t replacing_since;
	unsigned int replace_lost;	/* longest loss run in the replacement */
	unsigned int lost;		/* probes lost in a row */
	unsigned int traffic_ticks;	/* intervals of the run with traffic in */
	unsigned int need;		/* lost in a row that mean dead, this run */
	uint32_t seen_w, lost_w;	/* loss estimate: probes, losses survived */
	bool failed_before;		/* hold-down applies */
	uint64_t since_ms;		/* when state was entered */
	unsigned int failovers;		/* UP -> DOWN transitions */
};

struct fo_conn {
	struct fo_config cfg;
	struct fo_tunnel t[FO_TUNNELS];
};

void fo_init(struct fo_conn *c, const struct fo_config *cfg);
/* Each returns true if any tunnel's state changed (usable, hold-down). */
bool fo_child(struct fo_conn *c, int i, bool up, uint64_t now_ms);
bool fo_probe(struct fo_conn *c, int i, bool answered, uint64_t now_ms);
/* Packets other than the probes' answers came in over tunnel i during the
 * last probe interval. */
bool fo_traffic(struct fo_conn *c, int i, uint64_t now_ms);
bool fo_tick(struct fo_conn *c, uint64_t now_ms);
/* Takes a tunnel out of use on purpose (before a reset), or gives it back
 * (it then returns like a failed tunnel, after the hold-down). */
bool fo_drain(struct fo_conn *c, int i, bool drained, uint64_t now_ms);
/* Tunnel i's SAs are being replaced under it (a new charon was handed a
 * tunnel whose kernel SAs the old one left), or no longer: the new
 * CHILD_SA is in, or the replacement was given up. */
bool fo_replacing(struct fo_conn *c, int i, bool replacing, uint64_t now_ms);

/* A restarted cgwd (reload, restart) learns that tunnel i was out of
 * service before: it stays out until healthy again, as if it had just
 * failed, so the hold-down and the pull of the return path carry over. */
bool fo_restore_failed(struct fo_conn *c, int i, uint64_t now_ms);
/* Tunnel i is out of service after a failure (for fo_restore_failed). */
bool fo_failed(const struct fo_conn *c, int i);

bool fo_usable(const struct fo_conn *c, int i);
/* Losses in a row that would make tunnel i dead now, given the random
 * loss seen on it. */
unsigned int fo_misses_needed(const struct fo_conn *c, int i);
/* Tunnel i must attract the return path with more-specifics: it is usable
 * and another tunnel of the connection failed and is not back. */
bool fo_pull_return(const struct fo_conn *c, int i);
/* Tunnel i failed and is not healthy again, and another is in use: keep
 * routing off it (its BGP neighbor shut).  In its hold-down it is not
 * shut (cgwd makes its routes less preferred instead). */
bool fo_shut(const struct fo_conn *c, int i);
const char *fo_state_name(enum fo_state s);

#endif
