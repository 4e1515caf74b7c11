/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: the failover decision (src/cgwd/failover.c), as sequences
 * of events and the decisions they must produce.
 */
#include "cgwd/failover.h"
#include "unit.h"

#include <stdio.h>

static struct fo_conn c;
static const struct fo_config cfg = { .misses = 3, .holddown_ms = 10000 };

/* Both tunnels up and answering at time 0. */
static void
both_up(void)
{
	fo_init(&c, &cfg);
	fo_child(&c, 0, true, 0);
	fo_child(&c, 1, true, 0);
	fo_probe(&c, 0, true, 0);
	fo_probe(&c, 1, true, 0);
}

static void
test_bringup_is_immediate(void)
{
	fo_init(&c, &cfg);
	CHECK(!fo_usable(&c, 0));
	CHECK(!fo_child(&c, 0, true, 0));	/* no probe answer yet */
	CHECK(!c.t[0].answered_child);		/* make-before-break waits */
	CHECK(fo_probe(&c, 0, true, 100));	/* first answer: usable */
	CHECK(fo_usable(&c, 0) && c.t[0].state == FO_UP);
	CHECK(c.t[0].answered_child);
	fo_child(&c, 0, true, 150);		/* a second CHILD_SA: same */
	CHECK(c.t[0].answered_child);
	/* Tunnel 2 never came up: AWS does not use it either, no pull. */
	CHECK(!fo_pull_return(&c, 0) && !fo_pull_return(&c, 1));
	CHECK(!fo_shut(&c, 1));
}

static void
test_probe_loss_needs_misses_in_a_row(void)
{
	both_up();
	CHECK(!fo_probe(&c, 0, false, 1000));
	CHECK(!fo_probe(&c, 0, false, 1200));
	CHECK(!fo_probe(&c, 0, true, 1400));	/* answered: count resets */
	CHECK(!fo_probe(&c, 0, false, 1600));
	CHECK(!fo_probe(&c, 0, false, 1800));
	CHECK(fo_usable(&c, 0));
	CHECK(fo_probe(&c, 0, false, 2000));	/* third in a row */
	CHECK(!fo_usable(&c, 0) && fo_usable(&c, 1));
	CHECK(fo_pull_return(&c, 1) && !fo_pull_return(&c, 0));
	CHECK(fo_shut(&c, 0) && !fo_shut(&c, 1));
	CHECK(c.t[0].failovers == 1);
}

static void
test_child_down_is_immediate(void)
{
	both_up();
	CHECK(fo_child(&c, 1, false, 500));
	CHECK(!fo_usable(&c, 1) && fo_pull_return(&c, 0));
}

static void
test_holddown_after_failure(void)
{
	both_up();
	fo_child(&c, 0, false, 1000);
	fo_child(&c, 0, true, 2000);
	CHECK(fo_probe(&c, 0, true, 2100));	/* healthy, but held down */
	CHECK(c.t[0].state == FO_HOLDDOWN && !fo_usable(&c, 0));
	/* not shut in its hold-down: cgwd lets its session run, its
	 * routes less preferred; the other pulls the return path */
	CHECK(!fo_shut(&c, 0) && fo_pull_return(&c, 1));
	CHECK(!fo_tick(&c, 11000));
	CHECK(fo_tick(&c, 12100));		/* 10 s healthy: back */
	CHECK(fo_usable(&c, 0) && !fo_pull_return(&c, 1));
}

static void
test_flapping_restarts_holddown(void)
{
	both_up();
	fo_child(&c, 0, false, 1000);
	fo_child(&c, 0, true, 2000);
	fo_probe(&c, 0, true, 2000);
	fo_child(&c, 0, false, 8000);		/* flaps inside the hold-down */
	fo_child(&c, 0, true, 9000);
	fo_probe(&c, 0, true, 9000);
	CHECK(!fo_tick(&c, 12500));		/* 10 s after the first return: no */
	CHECK(!fo_usable(&c, 0));
	CHECK(fo_tick(&c, 19000));		/* 10 s after the last: yes */
	CHECK(c.t[0].failovers == 1);		/* never used in between */
}

static void
test_both_down_no_pull(void)
{
	both_up();
	fo_child(&c, 0, false, 100);
	fo_child(&c, 1, false, 100);
	CHECK(!fo_pull_return(&c, 0) && !fo_pull_return(&c, 1));
	/* nothing in use to keep routing on: neither is shut, so BGP comes
	 * back with whichever tunnel does first */
	CHECK(!fo_shut(&c, 0) && !fo_shut(&c, 1));
	fo_child(&c, 1, true, 5000);
	fo_probe(&c, 1, true, 5100);
	CHECK(fo_usable(&c, 1) && fo_shut(&c, 0) && !fo_shut(&c, 1));
}

static void
test_isolated_losses_never_fail_over(void)
{
	/* 2 % random loss, misses 3: a loss pattern with no three in a row
	 * must never fail over. */
	unsigned int seed = 12345, fails = 0;

	both_up();
	for (uint64_t t = 0; t < 300000; t += 20) {
		seed = seed * 1103515245u + 12345u;
		bool lost = (seed >> 16) % 100 < 2;

		/* Force isolation: never lose two in a row here. */
		if (lost && c.t[0].lost > 0)
			lost = false;
		if (fo_probe(&c, 0, !lost, t))
			fails++;
	}
	CHECK(fails == 0 && c.t[0].failovers == 0);
}

static void
test_drain_for_reset(void)
{
	both_up();
	CHECK(fo_drain(&c, 0, true, 100));	/* out of use at once */
	CHECK(fo_shut(&c, 0) && fo_pull_return(&c, 1));
	CHECK(fo_drain(&c, 0, false, 200));	/* into the hold-down... */
	CHECK(!fo_usable(&c, 0));		/* ...back only after it */
	CHECK(c.t[0].state == FO_HOLDDOWN);
	CHECK(fo_tick(&c, 10300) && fo_usable(&c, 0));
}

static uint32_t rng = 12345;

/* 2 % loss each way: a probe's echo or its answer lost. */
static bool
lossy_answer(unsigned int pct)
{
	bool lost = false;

	for (int way = 0; way < 2; way++) {
		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		lost |= rng % 10000 < pct * 100;
	}
	return !lost;
}

/* One tunnel probed every 100 ms for `hours` at pct % loss each way:
 * how many times it failed over. */
static unsigned int
failovers_at_loss(const struct fo_config *cf, unsigned int pct,
    unsigned int hours)
{
	static struct fo_conn fc;

	fo_init(&fc, cf);
	fo_child(&fc, 0, true, 0);
	fo_child(&fc, 1, true, 0);
	fo_probe(&fc, 1, true, 0);
	for (uint64_t t = 0; t < (uint64_t)hours * 3600000; t += 100)
		fo_probe(&fc, 0, lossy_answer(pct), t);
	return fc.t[0].failovers;
}

static void
test_random_loss_2pct_each_way(void)
{
	struct fo_config fixed = { .misses = 3, .max_misses = 3,
	    .holddown_ms = 10000 };
	unsigned int adaptive, old;

	/* Expected per tunnel and day, with q = 1 - 0.98^2 = 3.96 % lost
	 * per probe and 864,000 probes: three in a row (the fixed rule)
	 * 864000 q^3 (1-q) ~ 51; five in a row (what the rule asks for at
	 * that loss) 864000 q^5 (1-q) ~ 0.08. */
	rng = 12345;
	old = failovers_at_loss(&fixed, 2, 24);
	rng = 12345;
	adaptive = failovers_at_loss(&cfg, 2, 24);
	fprintf(stderr, "2%% loss each way, one day: %u failovers with 3 in a row, %u adaptive\n",
	    old, adaptive);
	CHECK(old > 20);
	CHECK(adaptive <= 1);
}

/* A dead tunnel: every probe lost.  Clean history: misses probes; after
 * hours at 2 % loss each way: at most max_misses (2 x misses). */
static unsigned int
probes_to_detect(bool lossy_history)
{
	unsigned int n = 0;
	uint64_t t = 0;

	both_up();
	for (; lossy_history && t < 600000; t += 100)
		fo_probe(&c, 0, lossy_answer(2), t);
	/* make sure the outage starts after an answer */
	fo_probe(&c, 0, true, t);
	while (fo_usable(&c, 0) && n < 100) {
		t += 100;
		n++;
		fo_probe(&c, 0, false, t);
	}
	return n;
}

static void
test_detection_clean_and_lossy(void)
{
	unsigned int clean, lossy;

	rng = 777;
	clean = probes_to_detect(false);
	lossy = probes_to_detect(true);
	CHECK(clean == 3);
	CHECK(lossy == 5);	/* q ~ 4 %: q^4 > 1e-6 > q^5 */
	CHECK(fo_misses_needed(&c, 1) == 3);	/* the clean tunnel */
}

/* A real outage does not teach the loss estimate: afterwards a clean
 * path is still judged on misses. */
static void
test_outage_not_learned(void)
{
	both_up();
	for (uint64_t t = 100; t <= 1000; t += 100)
		fo_probe(&c, 0, false, t);	/* dead */
	CHECK(!fo_usable(&c, 0));
	fo_probe(&c, 0, true, 1100);
	fo_tick(&c, 20000);
	CHECK(fo_usable(&c, 0));
	CHECK(c.t[0].lost_w == 0);
	CHECK(fo_misses_needed(&c, 0) == 3);
	/* ...while isolated losses are: 40 in 1000 probes is 4 %. */
	for (int i = 0; i < 1000; i++)
		fo_probe(&c, 0, i % 25 != 0, 20000 + 100 * (uint64_t)i);
	CHECK(fo_misses_needed(&c, 0) == 5);
	CHECK(fo_usable(&c, 0));
}

/* ICMP to both AWS inside addresses dropped, IKE/ESP/BGP fine: the first
 * tunnel to miss its probes goes (the other still answers), the last one
 * in use stays, saying its probes fail. */
static void
test_probes_never_take_the_last_tunnel(void)
{
	both_up();
	for (uint64_t t = 1000; t <= 3000; t += 100) {
		fo_probe(&c, 0, false, t);
		fo_probe(&c, 1, false, t + 50);
	}
	CHECK(!fo_usable(&c, 0) && fo_shut(&c, 0));
	CHECK(fo_usable(&c, 1) && !fo_shut(&c, 1));
	CHECK(c.t[1].probes_failing && c.t[1].state == FO_UP);
	CHECK(fo_pull_return(&c, 1));
	CHECK(!fo_tick(&c, 60000) && fo_usable(&c, 1));
	/* Its CHILD_SA going is not probe evidence: out it goes. */
	CHECK(fo_child(&c, 1, false, 61000));
	CHECK(!fo_usable(&c, 1) && !c.t[1].probes_failing);

	/* Alone from the start (tunnel 2 never came up): it stays too. */
	fo_init(&c, &cfg);
	fo_child(&c, 0, true, 0);
	fo_probe(&c, 0, true, 0);
	for (uint64_t t = 100; t <= 1000; t += 100)
		fo_probe(&c, 0, false, t);
	CHECK(fo_usable(&c, 0) && c.t[0].probes_failing);
	/* ...until the other tunnel works: then the probes are believed,
	 * from a new run on. */
	fo_child(&c, 1, true, 1100);
	CHECK(fo_probe(&c, 1, true, 1100));
	for (uint64_t t = 1200; t <= 1400; t += 100)
		fo_probe(&c, 0, false, t);
	CHECK(fo_usable(&c, 0));
	fo_probe(&c, 0, false, 1500);
	CHECK(!fo_usable(&c, 0) && fo_usable(&c, 1));
}

/* Both paths cut, then restored: the first tunnel to answer is used at
 * once, and the one kept as the last is not taken out for the probe its
 * answer lags behind; if it keeps failing, it goes after a new run. */
static void
test_kept_last_gets_a_new_run(void)
{
	both_up();
	for (uint64_t t = 1000; t <= 3000; t += 100) {
		fo_probe(&c, 0, false, t);
		fo_probe(&c, 1, false, t);
	}
	CHECK(!fo_usable(&c, 0) && fo_usable(&c, 1) && c.t[1].kept_last);
	CHECK(fo_probe(&c, 0, true, 3100));	/* tunnel 1's path is back */
	CHECK(fo_usable(&c, 0) && fo_usable(&c, 1) && !fo_shut(&c, 1));
	fo_probe(&c, 1, true, 3110);		/* ...and tunnel 2's */
	CHECK(fo_usable(&c, 1) && c.t[1].failovers == 0);

	/* tunnel 2's path stays cut: out after a new run */
	both_up();
	for (uint64_t t = 1000; t <= 3000; t += 100) {
		fo_probe(&c, 0, false, t);
		fo_probe(&c, 1, false, t);
	}
	fo_probe(&c, 0, true, 3100);
	CHECK(fo_usable(&c, 1));
	fo_probe(&c, 1, false, 3200);
	fo_probe(&c, 1, false, 3300);
	CHECK(fo_usable(&c, 1));
	fo_probe(&c, 1, false, 3400);
	CHECK(!fo_usable(&c, 1) && fo_shut(&c, 1) && fo_pull_return(&c, 0));
}

/* The hold-down only protects a working alternative. */
static void
test_no_holddown_without_alternative(void)
{
	/* Both CHILD_SAs gone (outside link down), then back: each is used
	 * as soon as it answers. */
	both_up();
	fo_child(&c, 0, false, 1000);
	fo_child(&c, 1, false, 1000);
	fo_child(&c, 0, true, 21000);
	CHECK(fo_probe(&c, 0, true, 21100));
	CHECK(fo_usable(&c, 0) && c.t[0].state == FO_UP);
	/* The second back while the first works: it waits its hold-down. */
	fo_child(&c, 1, true, 21200);
	CHECK(fo_probe(&c, 1, true, 21300));
	CHECK(c.t[1].state == FO_HOLDDOWN && !fo_usable(&c, 1));

	/* Held down while the other works; the other dies: used at once. */
	both_up();
	fo_child(&c, 0, false, 1000);
	fo_child(&c, 0, true, 2000);
	fo_probe(&c, 0, true, 2100);
	CHECK(c.t[0].state == FO_HOLDDOWN);
	CHECK(fo_child(&c, 1, false, 3000));
	CHECK(fo_usable(&c, 0) && !fo_usable(&c, 1));
	CHECK(fo_pull_return(&c, 0));
}

/* One probe interval as health.c steps it: every tunnel's traffic
 * evidence first, then the probes.  traffic[k]: packets other than probe
 * answers came in over tunnel k in the interval before. */
static void
interval(uint64_t t, const bool lost[2], const bool traffic[2])
{
	for (int k = 0; k < 2; k++)
		if (traffic[k])
			fo_traffic(&c, k, t);
	for (int k = 0; k < 2; k++)
		fo_probe(&c, k, !lost[k], t);
}

/* ICMP to both inside addresses dropped, traffic on one tunnel only (AWS
 * sends the VPC's answers over it): neither is taken out, both show the
 * probes filtered, and once the probes are answered nothing is left. */
static void
test_filtered_probes_keep_both_tunnels(void)
{
	static const bool both[2] = { true, true };
	static const bool none[2] = { false, false };

	for (int busy = 0; busy < 2; busy++) {
		bool traffic[2] = { busy == 0, busy == 1 };

		both_up();
		for (uint64_t t = 1000; t <= 61000; t += 100) {
			interval(t, both, traffic);
			CHECK(fo_usable(&c, 0) && fo_usable(&c, 1));
		}
		CHECK(!fo_shut(&c, 0) && !fo_shut(&c, 1));
		CHECK(!fo_pull_return(&c, 0) && !fo_pull_return(&c, 1));
		CHECK(c.t[0].probes_filtered && c.t[1].probes_filtered);
		CHECK(c.t[0].failovers == 0 && c.t[1].failovers == 0);
		interval(61100, none, none);
		CHECK(!c.t[0].probes_filtered && !c.t[1].probes_filtered);
		CHECK(!c.t[0].probes_failing && !c.t[1].probes_failing);
	}
}

/* A cut path delivers nothing: failover as fast as ever.  A single stray
 * packet (a keepalive in flight) in the run does not stop it. */
static void
test_cut_path_still_fails_over(void)
{
	static const bool one[2] = { true, false };
	static const bool none[2] = { false, false };
	static const bool stray[2] = { true, false };

	both_up();
	interval(1000, one, none);
	interval(1100, one, stray);
	CHECK(fo_usable(&c, 0));
	interval(1200, one, none);		/* third in a row */
	CHECK(!fo_usable(&c, 0) && fo_shut(&c, 0) && fo_pull_return(&c, 1));
	CHECK(!c.t[0].probes_filtered);
}

/* Idle tunnels, ICMP dropped: the first to miss its probes fails over (no
 * evidence yet); when keepalives through the other show that the probes
 * are what fails, the first is back at once (nothing working to protect
 * with a hold-down). */
static void
test_filtered_idle_tunnels_recover(void)
{
	static const bool both[2] = { true, true };
	static const bool none[2] = { false, false };
	static const bool on2[2] = { false, true };

	both_up();
	for (uint64_t t = 1000; t <= 1300; t += 100)
		interval(t, both, none);
	CHECK(!fo_usable(&c, 0) && fo_usable(&c, 1));
	interval(4000, both, on2);
	CHECK(!fo_usable(&c, 0));
	interval(9000, both, on2);
	CHECK(fo_usable(&c, 0) && fo_usable(&c, 1));
	CHECK(!fo_shut(&c, 0) && c.t[0].probes_filtered);
}

/* The evidence ends with the run: after the probes were answered once, a
 * new run needs new evidence. */
static void
test_traffic_evidence_is_per_run(void)
{
	static const bool one[2] = { true, false };
	static const bool none[2] = { false, false };
	static const bool on1[2] = { true, false };

	both_up();
	interval(1000, one, none);
	interval(1100, one, on1);
	interval(1200, one, on1);
	CHECK(fo_usable(&c, 0) && c.t[0].probes_filtered);
	interval(1300, none, none);		/* answered */
	CHECK(c.t[0].traffic_ticks == 0 && !c.t[0].probes_filtered);
	for (uint64_t t = 1400; t <= 1600; t += 100)
		interval(t, one, none);
	CHECK(!fo_usable(&c, 0));
	/* and traffic outside any run changes nothing */
	both_up();
	CHECK(!fo_traffic(&c, 0, 2000) && c.t[0].traffic_ticks == 0);
}

/* cgwd restarted (a reload) while tunnel 0 was out of service: the new
 * one starts knowing it, so tunnel 1 pulls the return path as soon as it
 * is up, tunnel 0 stays shut, and it comes back only after the hold-down. */
static void
test_restored_failure(void)
{
	fo_init(&c, &cfg);
	fo_child(&c, 0, true, 0);	/* its old SAs, still listed */
	fo_child(&c, 1, true, 0);
	fo_restore_failed(&c, 0, 0);
	CHECK(fo_failed(&c, 0) && !fo_failed(&c, 1));
	CHECK(!fo_usable(&c, 0));
	fo_probe(&c, 1, true, 100);
	CHECK(fo_usable(&c, 1) && fo_pull_return(&c, 1));
	CHECK(fo_shut(&c, 0));
	/* nothing answers through it: it stays out */
	fo_probe(&c, 0, false, 200);
	fo_tick(&c, 5000);
	CHECK(!fo_usable(&c, 0) && fo_pull_return(&c, 1));
	/* its new SAs answer: hold-down, then back */
	CHECK(fo_probe(&c, 0, true, 6000));
	CHECK(c.t[0].state == FO_HOLDDOWN && fo_pull_return(&c, 1));
	CHECK(fo_tick(&c, 16000));
	CHECK(fo_usable(&c, 0) && !fo_pull_return(&c, 1) && !fo_failed(&c, 0));
}

/* After a charon crash the new charon replaces the SAs the old one left:
 * the loss until its CHILD_SA is in takes no tunnel out, for a while. */
static void
test_replacement_loss(void)
{
	both_up();
	CHECK(!fo_replacing(&c, 0, true, 1000));
	CHECK(!fo_replacing(&c, 1, true, 1000));
	for (uint64_t t = 1100; t <= 1800; t += 100) {
		CHECK(!fo_probe(&c, 0, false, t));
		if (t <= 1200)
			fo_probe(&c, 1, false, t);
	}
	CHECK(fo_usable(&c, 0) && !fo_shut(&c, 0) && c.t[0].probes_failing);
	CHECK(c.t[0].replace_lost == 8 && c.t[1].replace_lost == 2);
	CHECK(!fo_replacing(&c, 1, false, 1250));	/* tunnel 2's is in */
	fo_probe(&c, 1, true, 1300);
	CHECK(fo_usable(&c, 0) && fo_usable(&c, 1));
	/* tunnel 1's is in: a new run judges the new SAs, the old one is
	 * not learned as random loss */
	CHECK(!fo_replacing(&c, 0, false, 1900));
	CHECK(c.t[0].probe_ok && c.t[0].lost == 0 && c.t[0].lost_w == 0);
	CHECK(!fo_probe(&c, 0, false, 2000));
	CHECK(!fo_probe(&c, 0, false, 2100));
	CHECK(fo_probe(&c, 0, false, 2200));	/* the new SAs do not work */
	CHECK(!fo_usable(&c, 0) && fo_shut(&c, 0) && c.t[0].failovers == 1);

	/* No new CHILD_SA within FO_REPLACE_MS: judged as any tunnel. */
	both_up();
	fo_replacing(&c, 0, true, 1000);
	fo_replacing(&c, 1, true, 1000);
	fo_replacing(&c, 1, false, 1200);
	fo_probe(&c, 1, true, 1200);
	for (uint64_t t = 1100; t < 1000 + FO_REPLACE_MS; t += 100)
		fo_probe(&c, 0, false, t);
	CHECK(fo_usable(&c, 0));
	CHECK(fo_tick(&c, 1000 + FO_REPLACE_MS));
	CHECK(!fo_usable(&c, 0) && fo_shut(&c, 0));

	/* A CHILD_SA that goes ends the replacement: out at once. */
	both_up();
	fo_replacing(&c, 0, true, 1000);
	CHECK(fo_child(&c, 0, false, 1100));
	CHECK(!c.t[0].replacing && !fo_usable(&c, 0));
}

int
main(void)
{
	test_restored_failure();
	test_bringup_is_immediate();
	test_probe_loss_needs_misses_in_a_row();
	test_child_down_is_immediate();
	test_holddown_after_failure();
	test_flapping_restarts_holddown();
	test_both_down_no_pull();
	test_isolated_losses_never_fail_over();
	test_drain_for_reset();
	test_random_loss_2pct_each_way();
	test_detection_clean_and_lossy();
	test_outage_not_learned();
	test_probes_never_take_the_last_tunnel();
	test_no_holddown_without_alternative();
	test_kept_last_gets_a_new_run();
	test_filtered_probes_keep_both_tunnels();
	test_cut_path_still_fails_over();
	test_filtered_idle_tunnels_recover();
	test_traffic_evidence_is_per_run();
	test_replacement_loss();
	return unit_summary();
}
