/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the failover decision (see failover.h)
 */
#include "cgwd/failover.h"

#include <string.h>

void
fo_init(struct fo_conn *c, const struct fo_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	if (c->cfg.misses == 0)
		c->cfg.misses = 1;
	if (c->cfg.max_misses < c->cfg.misses)
		c->cfg.max_misses = c->cfg.max_misses ? c->cfg.misses :
		    2 * c->cfg.misses;
}

unsigned int
fo_misses_needed(const struct fo_conn *c, int i)
{
	const struct fo_tunnel *t = &c->t[i];
	/* Few probes seen: count them as at least half the window, so an
	 * early loss or two do not make a fresh tunnel look lossy (a lossy
	 * one shows within a minute). */
	uint32_t seen = t->seen_w > FO_LOSS_WINDOW / 2 ? t->seen_w :
	    FO_LOSS_WINDOW / 2;
	double q = (double)t->lost_w / seen;
	double run = 1;
	unsigned int k;

	for (k = 0; k < c->cfg.misses; k++)
		run *= q;
	for (; k < c->cfg.max_misses && run * FO_FALSE_RUN_INV > 1; k++)
		run *= q;
	return k;
}

/* In a loss run, and traffic came in all the same. */
static bool
carries_traffic(const struct fo_tunnel *t)
{
	return t->child_up && t->lost && t->traffic_ticks >= FO_TRAFFIC_TICKS;
}

/* Its probes fail, but it or another tunnel of the connection shows that
 * it is the probes, not the tunnels (see failover.h).  The other tunnel
 * counts while in a loss run, not only once dead by it: the two runs
 * start together and one of them is stepped first. */
static bool
filtered(const struct fo_conn *c, const struct fo_tunnel *t)
{
	if (!t->child_up || t->probe_ok)
		return false;
	for (int k = 0; k < FO_TUNNELS; k++)
		if (carries_traffic(&c->t[k]))
			return true;
	return false;
}

static bool
healthy(const struct fo_conn *c, const struct fo_tunnel *t)
{
	return t->child_up && !t->drained && (t->probe_ok || filtered(c, t));
}

/* Another tunnel of the connection is in use. */
static bool
other_usable(const struct fo_conn *c, const struct fo_tunnel *t)
{
	for (int k = 0; k < FO_TUNNELS; k++)
		if (&c->t[k] != t && c->t[k].state == FO_UP)
			return true;
	return false;
}

/* ...and its probes are answered: an alternative worth protecting. */
static bool
other_working(const struct fo_conn *c, const struct fo_tunnel *t)
{
	for (int k = 0; k < FO_TUNNELS; k++)
		if (&c->t[k] != t && c->t[k].state == FO_UP &&
		    c->t[k].probe_ok)
			return true;
	return false;
}

/* Only the probes say it is dead: its CHILD_SA is there. */
static bool
probes_only(const struct fo_tunnel *t)
{
	return t->child_up && !t->drained && !t->probe_ok;
}

/* Its probe losses are its replacement's (failover.h). */
static bool
replacement_loss(const struct fo_tunnel *t, uint64_t now)
{
	return probes_only(t) && t->replacing &&
	    now - t->replacing_since < FO_REPLACE_MS;
}

static void
enter(struct fo_tunnel *t, enum fo_state s, uint64_t now)
{
	if (t->state == FO_UP && s == FO_DOWN) {
		t->failovers++;
		t->failed_before = true;
	}
	t->state = s;
	t->since_ms = now;
}

/* Moves one tunnel's state machine; true if its state changed (usable or
 * not, and in or out of the hold-down, which has its own BGP policy). */
static bool
step(struct fo_conn *c, struct fo_tunnel *t, uint64_t now)
{
	enum fo_state was = t->state;

	t->probes_failing = probes_only(t);
	t->probes_filtered = filtered(c, t);
	switch (t->state) {
	case FO_UP:
		/* Probe evidence alone never takes the last tunnel in use
		 * out: with both probed dead but their SAs up, the probes
		 * (ICMP filtered on the way) are more likely wrong than
		 * both tunnels, and there is nowhere better to go. */
		if (healthy(c, t)) {
			t->kept_last = false;
			break;
		}
		if (replacement_loss(t, now))
			break;
		if (probes_only(t) && !other_usable(c, t)) {
			t->kept_last = true;
			break;
		}
		/* Kept as the last, and another is back: a new run starts
		 * rather than the old one counting, since both paths tend to
		 * come back together and the other's answer lags by a probe
		 * (taking it out now would reset its BGP session for it). */
		if (t->kept_last && probes_only(t)) {
			t->kept_last = false;
			t->probe_ok = true;
			t->lost = t->traffic_ticks = 0;
			break;
		}
		t->kept_last = false;
		enter(t, FO_DOWN, now);
		break;
	case FO_DOWN:
		/* The hold-down protects a working alternative from a
		 * flapping tunnel; without one it only prolongs an outage. */
		if (healthy(c, t))
			enter(t, t->failed_before && c->cfg.holddown_ms &&
			    other_working(c, t) ? FO_HOLDDOWN : FO_UP, now);
		break;
	case FO_HOLDDOWN:
		if (!healthy(c, t))
			enter(t, FO_DOWN, now);
		else if (now - t->since_ms >= c->cfg.holddown_ms ||
		    !other_working(c, t))
			enter(t, FO_UP, now);
		break;
	}
	return was != t->state;
}

/* One tunnel's event can change what the other may do (its alternative
 * came or went): every tunnel steps. */
static bool
step_all(struct fo_conn *c, uint64_t now)
{
	bool changed = false;

	for (int i = 0; i < FO_TUNNELS; i++)
		changed |= step(c, &c->t[i], now);
	return changed;
}

bool
fo_child(struct fo_conn *c, int i, bool up, uint64_t now_ms)
{
	struct fo_tunnel *t = &c->t[i];

	if (up != t->child_up) {
		t->answered_child = false;
		t->child_since = now_ms;
	}
	t->child_up = up;
	if (!up) {
		/* Probes through a gone SA say nothing: start over. */
		t->probe_ok = false;
		t->lost = 0;
		t->traffic_ticks = 0;
		t->replacing = false;
	}
	return step_all(c, now_ms);
}

bool
fo_replacing(struct fo_conn *c, int i, bool replacing, uint64_t now_ms)
{
	struct fo_tunnel *t = &c->t[i];

	if (!replacing && t->replacing && t->state == FO_UP && t->lost) {
		/* The new SAs are in: the run so far was the replacement's,
		 * a new one judges them. */
		t->probe_ok = true;
		t->lost = 0;
		t->traffic_ticks = 0;
	}
	if (replacing)
		t->replace_lost = 0;
	t->replacing = replacing;
	t->replacing_since = now_ms;
	return step_all(c, now_ms);
}

bool
fo_probe(struct fo_conn *c, int i, bool answered, uint64_t now_ms)
{
	struct fo_tunnel *t = &c->t[i];

	if (answered) {
		/* A run that ended in an answer was random loss: learn its
		 * rate (a run that made the tunnel dead is not counted). */
		if (t->lost && t->lost < t->need) {
			t->lost_w += t->lost;
			t->seen_w += t->lost;
		}
		t->seen_w++;
		if (t->seen_w >= 2 * FO_LOSS_WINDOW) {
			t->seen_w /= 2;
			t->lost_w /= 2;
		}
		t->lost = 0;
		t->traffic_ticks = 0;
		t->probe_ok = true;
		t->answered_child = true;
	} else {
		/* The bar is set when a run starts, from the loss seen
		 * before it: a real outage must not raise its own bar. */
		if (t->lost == 0)
			t->need = fo_misses_needed(c, i);
		if (++t->lost >= t->need)
			t->probe_ok = false;
		if (t->replacing && t->lost > t->replace_lost)
			t->replace_lost = t->lost;
	}
	return step_all(c, now_ms);
}

bool
fo_traffic(struct fo_conn *c, int i, uint64_t now_ms)
{
	struct fo_tunnel *t = &c->t[i];

	/* Only a loss run needs the evidence; outside one, nothing to do. */
	if (!t->lost)
		return false;
	if (t->traffic_ticks < FO_TRAFFIC_TICKS)
		t->traffic_ticks++;
	return step_all(c, now_ms);
}

bool
fo_drain(struct fo_conn *c, int i, bool drained, uint64_t now_ms)
{
	c->t[i].drained = drained;
	return step_all(c, now_ms);
}

bool
fo_tick(struct fo_conn *c, uint64_t now_ms)
{
	return step_all(c, now_ms);
}

bool
fo_restore_failed(struct fo_conn *c, int i, uint64_t now_ms)
{
	struct fo_tunnel *t = &c->t[i];

	t->failed_before = true;
	t->probe_ok = false;	/* an answer must come first */
	t->kept_last = false;
	t->state = FO_DOWN;
	t->since_ms = now_ms;
	return step_all(c, now_ms);
}

bool
fo_failed(const struct fo_conn *c, int i)
{
	return c->t[i].failed_before && c->t[i].state != FO_UP;
}

bool
fo_usable(const struct fo_conn *c, int i)
{
	return c->t[i].state == FO_UP;
}

bool
fo_pull_return(const struct fo_conn *c, int i)
{
	if (!fo_usable(c, i))
		return false;
	/* Only against a tunnel that failed: one that never came up is not
	 * used by AWS either, so there is no return path to pull. */
	for (int k = 0; k < FO_TUNNELS; k++)
		if (k != i && !fo_usable(c, k) && c->t[k].failed_before)
			return true;
	return false;
}

bool
fo_shut(const struct fo_conn *c, int i)
{
	/* Shutting keeps routing on the alternative; in the hold-down the
	 * session runs, its routes less preferred (frr_conf.h), so it is up
	 * for AWS as soon as the tunnel is.  With no alternative in use there
	 * is nothing to keep it on (one shut before is unshut), and a session
	 * left to bgpd comes back by itself (connect retry, 1 s) the moment
	 * its tunnel does, where one unshut then first waits out bgpd's
	 * start timer. */
	return c->t[i].state == FO_DOWN && c->t[i].failed_before &&
	    other_usable(c, &c->t[i]);
}

const char *
fo_state_name(enum fo_state s)
{
	switch (s) {
	case FO_UP:
		return "up";
	case FO_HOLDDOWN:
		return "hold-down";
	default:
		return "down";
	}
}
