/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: health: probes and CHILD_SA state in, failover actions out
 *
 * Feeds the failover decision (failover.c) with each tunnel's CHILD_SA
 * state and probe results, and carries out what it decides.  One way:
 * the handlers of charon's events, the probes and FRR's answers only
 * record what changed (failover's state, and which connection has
 * something due); health_settle(), run by the loop once its wake-up's
 * events are all in, acts on it, one policy write to bgpd for all of it.
 *
 * - BGP connections: a tunnel that dies has its interface taken down at
 *   once, the fastest signal there is (its /30 goes, bgpd drops the
 *   session and zebra the routes, on-prem->VPC moves in well under a
 *   second); its BGP neighbor is shut down and the surviving tunnel
 *   announces the more-specifics that pull VPC->on-prem over (frr.c).
 *   Once bgpd has the shutdown, the interface comes back up so probes
 *   can tell when the tunnel works again; when it answers again, in its
 *   hold-down, the neighbor is unshut with its routes less preferred
 *   (frr_conf.h), and preferred again after the hold-down.  A neighbor
 *   is shut only while another tunnel is in use (failover.h).
 * - A tunnel through which nothing answers gets a new IKE_SA beside its
 *   old one after a second (make-before-break, reinit_due).
 * - Static connections: the VPC prefixes are routed (netlink) through
 *   the first usable tunnel.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "cgwd/loop.h"
#include "cgwd/tunnel_if.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

/* The interface is up while the CHILD_SA is, except for the moment
 * between a failure and bgpd having shut the tunnel's neighbor. */
void
tunnel_sync_link(struct cgwd *d, struct tunnel *t)
{
	bool want = t->child_up && !t->link_hold_down;
	char op[64];
	int r;

	if (!t->ifindex || t->link_up == want)
		return;
	r = tunnel_if_set_up(d->kernel, t->ifindex, want);
	snprintf(op, sizeof(op), "set interface %s %s", t->conf->ifname,
	    want ? "up" : "down");
	tunnel_kernel_answer(d, t, r, KERNEL_OBJ_LINK, op);
	if (r < 0)
		return;
	t->link_up = want;
}

/* A static-routing connection's routes to the VPC, through its first
 * usable tunnel (replace: moving them is one message each, no gap).  Also
 * what puts them back after someone deleted one, or the kernel flushed
 * them with a link set down. */
void
health_static_routes(struct cgwd *d, size_t ci)
{
	struct tunnel *pair = &d->tunnels[ci * CGW_TUNNELS];
	const struct cgw_conn_conf *conn = pair[0].conn;
	struct tunnel *via = NULL;

	if (conn->routing != CGW_ROUTING_STATIC || !d->fo)
		return;
	for (int k = 0; k < CGW_TUNNELS && !via; k++)
		if (fo_usable(&d->fo[ci], k) && pair[k].ifindex)
			via = &pair[k];
	if (!via)
		return;		/* nothing better to offer: leave them */
	for (size_t i = 0; i < conn->n_static_routes; i++) {
		struct kernel_route4 r = {
			.dst = conn->static_routes[i].addr.v4,
			.plen = conn->static_routes[i].len,
			.ifindex = via->ifindex,
			.metric = 50,
		};
		int e = d->kernel->ops->route4_replace(d->kernel, &r);
		char op[96], a[CGW_ADDRSTRLEN];

		if (e < 0) {
			snprintf(op, sizeof(op), "route %s/%u via %s",
			    cgw_addr4_str(r.dst, a), r.plen, via->conf->ifname);
			tunnel_kernel_answer(d, via, e, KERNEL_OBJ_ROUTE, op);
			return;	/* the rest would fail alike: at the retry */
		}
	}
	/* all in: a route refused before, through either tunnel, is not now */
	for (int k = 0; k < CGW_TUNNELS; k++)
		tunnel_kernel_answer(d, &pair[k], 0, KERNEL_OBJ_ROUTE, NULL);
}

static void verdicts_save(struct cgwd *d);

/* What a connection's events call for, done at the settle (the end of the
 * loop's wake-up): its failover verdicts carried out, its interfaces'
 * link state checked. */
enum { SETTLE_VERDICTS = 1, SETTLE_LINKS = 2 };

static void
settle_later(struct cgwd *d, size_t ci, unsigned int what)
{
	d->settle[ci] |= (uint8_t)what;
}

/* This tunnel's link (not its pair's: before charon's first listing the
 * other's CHILD_SA is not known yet, and its working link must stay). */
static void
settle_link_later(struct cgwd *d, struct tunnel *t)
{
	t->link_due = true;
	settle_later(d, t->conn_idx, SETTLE_LINKS);
}

/* A failover off t is complete: traffic moved on cgw's side. */
static void
failover_done(struct cgwd *d, struct tunnel *t, const char *how)
{
	uint64_t now = cgw_mono_ms();

	t->fail_pending = false;
	t->tally.last_detection_ms = (uint32_t)(t->fail_verdict_ms - t->fail_t0_ms);
	t->tally.last_outage_ms = (uint32_t)(now - t->fail_t0_ms);
	if (!t->tally.last_outage_ms)
		t->tally.last_outage_ms = 1;	/* 0 means none */
	event_note(d, t, "failover", "%s: traffic moved off it (%s): detected in "
	    "%u ms, moved in %u ms", tally_failover_key(t->fail_cause), how,
	    t->tally.last_detection_ms, t->tally.last_outage_ms);
}

/* What a change of tunnel k's usability is counted and kept as.  A
 * failover starts when another tunnel of the connection takes over; it
 * is done when bgpd has the policy that moves the traffic (BGP), or at
 * once (static: adopt_verdicts moves the routes). */
static void
note_usable(struct cgwd *d, struct tunnel *t, const struct fo_tunnel *ft,
    bool other_usable, bool bgp)
{
	uint64_t now = cgw_mono_ms();

	if (t->usable && !fo_usable(&d->fo[t->conn_idx], (int)t->conf->index - 1)) {
		enum tally_failover cause = !t->child_up ? TALLY_FO_IPSEC_DOWN :
		    ft->drained ? TALLY_FO_RESET : TALLY_FO_PROBE_LOSS;

		t->tally.failovers[cause]++;
		event_note(d, t, "unusable", "%s: %u probes lost in a row%s",
		    tally_failover_key(cause), ft->lost,
		    other_usable ? "" : "; no other tunnel to move to");
		if (!other_usable)
			return;
		t->fail_pending = true;
		t->fail_cause = cause;
		t->fail_verdict_ms = now;
		t->fail_t0_ms = t->probe.lost_run && cause != TALLY_FO_RESET ?
		    now - probe_lost_for_ms(&t->probe) : now;
		t->fail_gen = d->frr_gen + 1;	/* this settle's policy write */
		if (!bgp)
			failover_done(d, t, "routes moved");
	} else if (!t->usable && fo_usable(&d->fo[t->conn_idx], (int)t->conf->index - 1)) {
		t->fail_pending = false;	/* back before bgpd confirmed */
		event_note(d, t, "usable", "%s", ft->failed_before ?
		    "healthy through its hold-down: in use again" : "in use");
	}
	if (!t->held && ft->state == FO_HOLDDOWN)
		event_note(d, t, "holddown", "answering again: back in use after "
		    "%llu s of health", (unsigned long long)d->fo[t->conn_idx].cfg.holddown_ms / 1000);
}

/* The failover verdicts of connection ci onto its tunnels; true when
 * bgpd's policy is to be written (static connections are routed here). */
static bool
adopt_verdicts(struct cgwd *d, size_t ci)
{
	struct tunnel *pair = &d->tunnels[ci * CGW_TUNNELS];
	struct fo_conn *fo = &d->fo[ci];
	bool bgp = pair[0].conn->routing == CGW_ROUTING_BGP && d->frr_enabled;

	for (int k = 0; k < CGW_TUNNELS; k++) {
		struct tunnel *t = &pair[k];
		bool shut = fo_shut(fo, k);

		if (shut != t->shut || fo_usable(fo, k) != t->usable)
			log_info(LOG_HM, "%s: %s (%u probes lost in a row, rtt %u us)",
			    t->name, fo_state_name(fo->t[k].state),
			    fo->t[k].lost, t->probe.rtt_us);
		note_usable(d, t, &fo->t[k], fo_usable(fo, 1 - k), bgp);
		/* A drained tunnel (reset) still works: its link stays up so
		 * what AWS sends over it until it follows the more-specifics
		 * still arrives. */
		if (bgp && shut && !t->shut && !fo->t[k].drained) {
			t->link_hold_down = true;
			t->hold_gen = d->frr_gen + 1;
			tunnel_sync_link(d, t);
		}
		t->shut = shut;
		t->held = fo->t[k].state == FO_HOLDDOWN;
		t->judged = fo->t[k].failed_before;
		t->usable = fo_usable(fo, k);
		t->pull_return = fo_pull_return(fo, k);
	}
	if (!bgp)
		health_static_routes(d, ci);
	return bgp;
}

/* The one place where what the events changed is acted on.  An action
 * can call for another (no bgpd to write to releases the links held for
 * it): a few rounds, until nothing is left. */
void
health_settle(struct cgwd *d)
{
	size_t n_conns = d->n_tunnels / CGW_TUNNELS;

	if (!d->settle)
		return;
	for (int round = 0; round < 4; round++) {
		bool any = false, verdicts = false, policy = false;

		for (size_t ci = 0; ci < n_conns; ci++) {
			unsigned int what = d->settle[ci];

			if (!what)
				continue;
			any = true;
			d->settle[ci] = 0;
			/* Links first: a static route goes through an
			 * interface that is up.  Only where an event asked:
			 * before charon's first listing child_up is false,
			 * and a verdict must not take a working link down
			 * (adopt_verdicts holds down what it shuts). */
			for (int k = 0; (what & SETTLE_LINKS) && k < CGW_TUNNELS; k++) {
				struct tunnel *t = &d->tunnels[ci * CGW_TUNNELS + k];

				if (t->link_due) {
					t->link_due = false;
					tunnel_sync_link(d, t);
				}
			}
			if (what & SETTLE_VERDICTS) {
				verdicts = true;
				policy |= adopt_verdicts(d, ci);
			}
		}
		if (!any)
			return;
		if (verdicts)
			verdicts_save(d);
		if (policy)
			frr_apply_policy(d);
	}
}

/* The tunnels out of service after a failure, by name, in the runtime
 * directory: a reload or restart re-executes cgwd, and the next one must
 * not take such a tunnel for one coming up for the first time (it would
 * withdraw the more-specifics keeping AWS's return path off it, while
 * AWS's BGP session over it may still be up on its hold timer). */
static char *
verdicts_path(const struct cgwd *d)
{
	return xasprintf("%s/failover.state", d->run_dir);
}

/* Written when the set changes, not on every apply (most applies are
 * probe ticks that change nothing). */
static void
verdicts_save(struct cgwd *d)
{
	char *path, *tmp, *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool ok = false;

	if (!f) {
		log_errno(LOG_HM, -errno, "failover state");
		return;
	}
	for (size_t i = 0; i < d->n_tunnels; i++)
		if (fo_failed(&d->fo[d->tunnels[i].conn_idx],
		    (int)d->tunnels[i].conf->index - 1))
			fprintf(f, "%s\n", d->tunnels[i].name);
	fclose(f);
	if (d->verdicts_saved && strcmp(d->verdicts_saved, text) == 0) {
		free(text);
		return;
	}
	path = verdicts_path(d);
	tmp = xasprintf("%s.new", path);
	if ((f = fopen(tmp, "we"))) {
		ok = fputs(text, f) >= 0;
		ok = fclose(f) == 0 && ok;
	}
	if (!ok || rename(tmp, path) < 0) {
		log_errno(LOG_HM, -errno, "write %s", path);
		free(text);	/* not saved: try again at the next apply */
	} else {
		free(d->verdicts_saved);
		d->verdicts_saved = text;
	}
	free(tmp);
	free(path);
}

void
health_restore_verdicts(struct cgwd *d)
{
	char *path = verdicts_path(d), name[CGW_NAME_MAX + 2];
	FILE *f = fopen(path, "re");

	free(path);
	if (!f)
		return;		/* first start, or a reboot */
	while (fgets(name, sizeof(name), f)) {
		struct tunnel *t;

		name[strcspn(name, "\n")] = '\0';
		/* changed too: its new settings must prove healthy as well */
		if (!(t = tunnel_by_name(d, name)))
			continue;
		log_info(LOG_HM, "%s: out of service before the restart: stays so until healthy",
		    t->name);
		fo_restore_failed(&d->fo[t->conn_idx], (int)t->conf->index - 1,
		    cgw_mono_ms());
		settle_later(d, t->conn_idx, SETTLE_VERDICTS);
	}
	fclose(f);
	health_settle(d);	/* before FRR's first apply */
}

void
health_child(struct cgwd *d, struct tunnel *t)
{
	if (!d->fo) {
		tunnel_sync_link(d, t);
		return;
	}
	/* the interface follows the CHILD_SA either way */
	settle_link_later(d, t);
	if (fo_child(&d->fo[t->conn_idx], t->conf->index - 1, t->child_up,
	    cgw_mono_ms()))
		settle_later(d, t->conn_idx, SETTLE_VERDICTS);
}

/* Between the two, failover puts the probes' losses down to the
 * replacement (failover.h). */
void
health_replacing(struct cgwd *d, struct tunnel *t, bool replacing)
{
	int k = (int)t->conf->index - 1;
	struct fo_conn *fo;
	uint64_t now = cgw_mono_ms();

	if (!d->fo)
		return;
	fo = &d->fo[t->conn_idx];
	if (replacing)
		log_info(LOG_HM, "%s: the new charon replaces the SAs the old "
		    "one left: probe loss until its CHILD_SA is in is the "
		    "replacement's", t->name);
	else if (fo->t[k].replacing)
		log_info(LOG_HM, "%s: new CHILD_SA in %llu ms after the new "
		    "charon took the tunnel, at most %u probes lost in a row",
		    t->name, (unsigned long long)(now -
		    fo->t[k].replacing_since), fo->t[k].replace_lost);
	if (fo_replacing(fo, k, replacing, now))
		settle_later(d, t->conn_idx, SETTLE_VERDICTS);
}

/* cgwctl reset: make before break.  The tunnel is first taken out of
 * use like a failed one (traffic, both directions, moves to the other
 * tunnel), and only when bgpd has that and AWS has had a second to follow
 * are its SAs torn down and started afresh. */
void
health_reset(struct cgwd *d, struct tunnel *t)
{
	struct fo_conn *fo = &d->fo[t->conn_idx];
	int k = (int)t->conf->index - 1;
	bool bgp = t->conn->routing == CGW_ROUTING_BGP && d->frr_enabled;
	bool other_ok = fo_usable(fo, 1 - k);
	unsigned int next_gen = d->frr_gen + 1;	/* the apply below */

	fo_drain(fo, k, true, cgw_mono_ms());
	/* now, not at the end of the wake-up: next_gen is this apply's */
	settle_later(d, t->conn_idx, SETTLE_VERDICTS);
	health_settle(d);
	if (bgp && other_ok)
		t->reset_gen = next_gen;
	else
		t->reset_at_ms = cgw_mono_ms();	/* nowhere to move traffic to */
}

static void
reset_due(struct cgwd *d, struct tunnel *t, uint64_t now)
{
	if (!t->reset_at_ms || now < t->reset_at_ms)
		return;
	t->reset_at_ms = 0;
	log_info(LOG_CTL, "%s: traffic moved off: resetting its SAs", t->name);
	charon_tunnel_cmd(d, CGW_MSG_TERMINATE, t);
	charon_tunnel_cmd(d, CGW_MSG_INITIATE, t);
	t->last_initiate = time(NULL);
	if (fo_drain(&d->fo[t->conn_idx], t->conf->index - 1, false, now))
		settle_later(d, t->conn_idx, SETTLE_VERDICTS);
}

void
health_frr_applied(struct cgwd *d, unsigned int gen, bool confirmed)
{
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (t->reset_gen && t->reset_gen <= gen) {
			t->reset_gen = 0;
			t->reset_at_ms = cgw_mono_ms() + 1000;
		}
		if (t->fail_pending && t->fail_gen <= gen && confirmed)
			failover_done(d, t, "bgpd has the new policy");
		else if (t->fail_pending && t->fail_gen <= gen) {
			/* no outage measured: nothing confirmed the move */
			t->fail_pending = false;
			event_note(d, t, "failover", "%s: taken out of use; bgpd's "
			    "vtysh session closed before it confirmed the new "
			    "policy: no outage measured", tally_failover_key(t->fail_cause));
		}
		if (t->link_hold_down && t->hold_gen <= gen) {
			t->link_hold_down = false;
			if (d->settle)
				settle_link_later(d, t);
			else
				tunnel_sync_link(d, t);
		}
	}
}

void
health_probe_reset(struct cgwd *d, struct tunnel *t)
{
	if (t->probe.fd >= 0) {
		loop_del_fd(d->loop, t->probe.fd);
		probe_close(&t->probe);	/* probe_timer opens it again */
	}
}

static void
probe_readable(void *arg, int fd, uint32_t events)
{
	struct tunnel *t = arg;
	struct cgwd *d = t->d;

	uint32_t answered = t->probe.answered;
	int r;

	(void)fd;
	(void)events;
	r = probe_recv(&t->probe);
	for (uint32_t n = answered; n != t->probe.answered; n++)
		tally_rtt(&t->tally, t->probe.rtt_us);
	if (r &&
	    fo_probe(&d->fo[t->conn_idx], t->conf->index - 1, true, cgw_mono_ms()))
		settle_later(d, t->conn_idx, SETTLE_VERDICTS);
}

#define PROBE_BIG_EVERY_MS 3000

/* Whether packets other than the probes' answers came in over the tunnel
 * since the last call (the interface's counter, read only during a loss
 * run: the first call of a run sets the baseline). */
static bool
traffic_in(struct cgwd *d, struct tunnel *t)
{
	struct kernel_link l;
	bool in;
	int r;

	if (!t->probe.lost_run) {
		t->rx_valid = false;
		return false;
	}
	r = d->kernel->ops->link_get(d->kernel, t->conf->ifname, &l);
	if (r < 0) {
		/* the monitor reports and repairs a missing interface */
		t->rx_valid = false;
		return false;
	}
	in = t->rx_valid &&
	    l.rx_packets - t->rx_packets > t->probe.echo_in - t->rx_echo_in;
	t->rx_packets = l.rx_packets;
	t->rx_echo_in = t->probe.echo_in;
	t->rx_valid = true;
	return in;
}

/* Make-before-break: a tunnel through which nothing has answered for this
 * long while its CHILD_SA stands (an AWS endpoint replaced loses its SAs
 * without a DELETE; a path cut) gets a new IKE_SA beside the old one, at
 * once rather than when dead peer detection gives up some 30 s later.
 * An attempt the peer refuses (a replaced endpoint answers NO_PROPOSAL_
 * CHOSEN until its configuration is loaded) is made again every second for
 * the first 20 s, then every 8 s, for as long as the loss run lasts (an
 * attempt asked for while one is still retransmitting starts nothing, so
 * time, not attempts, sets the pace): measured in
 * the lab, one refused attempt left the tunnel to dead peer detection, UP
 * 21.9 s after the endpoint was back.  The plugin starts none while one is
 * still coming up (it retransmits by itself), and a peer that answers IKE
 * but not the probes costs one IKE_SA per 8 s.  A CHILD_SA through which
 * nothing has ever answered gets one after 10 s, then every 30 s: a new
 * tunnel is still being answered in its first seconds, but one whose SAs
 * stand while ESP goes nowhere (measured once in the lab, after two
 * IKE_SAs came up at once) is not left so while dead peer detection,
 * which only sees IKE, is content. */
#define REINIT_AFTER_MS 1000
#define REINIT_RETRY_MS 1000
#define REINIT_FAST_FOR_MS 20000
#define REINIT_SLOW_RETRY_MS 8000
#define REINIT_UNANSWERED_MS 10000
#define REINIT_UNANSWERED_RETRY_MS 30000

static void
reinit_due(struct cgwd *d, struct tunnel *t)
{
	const struct fo_tunnel *ft = &d->fo[t->conn_idx].t[t->conf->index - 1];
	uint32_t lost_ms, first_ms, retry_ms;

	if (!t->probe.lost_run) {
		t->reinit_tries = 0;
		t->reinit_at_ms = 0;
		return;
	}
	if (!t->child_up || ft->probe_ok || ft->probes_filtered ||
	    ft->replacing || d->plugin_fd < 0)
		return;
	lost_ms = probe_lost_for_ms(&t->probe);
	first_ms = REINIT_AFTER_MS;
	retry_ms = lost_ms < REINIT_FAST_FOR_MS ? REINIT_RETRY_MS :
	    REINIT_SLOW_RETRY_MS;
	if (!ft->answered_child) {
		first_ms = REINIT_UNANSWERED_MS;
		retry_ms = REINIT_UNANSWERED_RETRY_MS;
		/* the run may have begun before this CHILD_SA: count from it */
		if (cgw_mono_ms() - ft->child_since < lost_ms)
			lost_ms = (uint32_t)(cgw_mono_ms() - ft->child_since);
	}
	if (lost_ms < first_ms || lost_ms < t->reinit_at_ms)
		return;
	t->reinit_tries++;
	t->reinit_at_ms = lost_ms + retry_ms;
	if (t->reinit_tries == 1)
		log_info(LOG_HM, "%s: nothing answered through the tunnel for "
		    "%u ms: a new IKE_SA beside the old one", t->name, lost_ms);
	else
		log_info(LOG_HM, "%s: nothing answered through the tunnel for "
		    "%u ms: a new IKE_SA beside the old one (attempt %u)",
		    t->name, lost_ms, t->reinit_tries);
	charon_tunnel_cmd(d, CGW_MSG_REINITIATE, t);
}

static void
probe_timer(void *arg)
{
	struct cgwd *d = arg;
	uint64_t now = cgw_mono_ms();
	size_t n_conns = d->n_tunnels / CGW_TUNNELS;
	bool *changed = xcalloc(n_conns ? n_conns : 1, sizeof(bool));
	bool *lost = xcalloc(d->n_tunnels ? d->n_tunnels : 1, sizeof(bool));
	unsigned int big_every = PROBE_BIG_EVERY_MS / d->conf->box.probe_interval_ms;

	if (big_every == 0)
		big_every = 1;
	/* Two passes: every tunnel's traffic evidence is in before any loss
	 * is counted, since one tunnel's evidence speaks for the other's
	 * probes (failover.h). */
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		if (t->probe.fd < 0 && t->ifindex) {
			int r = probe_open(&t->probe, t->conf->ifname,
			    (uint16_t)(getpid() ^ (i << 8)));

			if (r < 0)
				continue;
			loop_add_fd(d->loop, t->probe.fd, EPOLLIN,
			    probe_readable, t);
		}
		reset_due(d, t, now);
		if (t->probe.fd < 0)
			continue;
		lost[i] = probe_send(&t->probe, t->conf->inside_remote);
		t->tally.probes_sent++;
		t->tally.probes_lost += lost[i] == 1;
		/* One full-size probe every few seconds, for diagnose's MTU
		 * check; health never counts it. */
		if (t->child_up && t->probe.sent % big_every == 0)
			probe_send_big(&t->probe, t->conf->inside_remote,
			    t->conf->mtu);
		if (traffic_in(d, t) && t->child_up)
			changed[t->conn_idx] |= fo_traffic(&d->fo[t->conn_idx],
			    t->conf->index - 1, now);
	}
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct tunnel *t = &d->tunnels[i];

		/* Losses while the CHILD_SA is gone mean nothing new. */
		if (lost[i] && t->child_up)
			changed[t->conn_idx] |= fo_probe(&d->fo[t->conn_idx],
			    t->conf->index - 1, false, now);
	}
	free(lost);
	for (size_t ci = 0; ci < n_conns; ci++)
		if (fo_tick(&d->fo[ci], now) || changed[ci])
			settle_later(d, ci, SETTLE_VERDICTS);
	for (size_t i = 0; i < d->n_tunnels; i++)
		reinit_due(d, &d->tunnels[i]);
	free(changed);
}

int
health_start(struct cgwd *d)
{
	const struct cgw_box_conf *box = &d->conf->box;
	struct fo_config cfg = {
		.misses = box->probe_misses,
		.holddown_ms = (uint64_t)box->holddown_s * 1000,
	};
	size_t n_conns = d->n_tunnels / CGW_TUNNELS;
	int r;

	d->fo = xcalloc(n_conns ? n_conns : 1, sizeof(*d->fo));
	d->settle = xcalloc(n_conns ? n_conns : 1, sizeof(*d->settle));
	for (size_t ci = 0; ci < n_conns; ci++)
		fo_init(&d->fo[ci], &cfg);
	for (size_t i = 0; i < d->n_tunnels; i++) {
		d->tunnels[i].probe.fd = -1;
		d->tunnels[i].d = d;
		d->tunnels[i].conn_idx = i / CGW_TUNNELS;
	}
	r = loop_add_timer(d->loop, box->probe_interval_ms, probe_timer, d);
	return r < 0 ? log_errno(LOG_HM, r, "probe timer") : 0;
}

void
health_stop(struct cgwd *d)
{
	for (size_t i = 0; i < d->n_tunnels; i++)
		probe_close(&d->tunnels[i].probe);
	free(d->fo);
	d->fo = NULL;
	free(d->settle);
	d->settle = NULL;
	free(d->verdicts_saved);
	d->verdicts_saved = NULL;
}
