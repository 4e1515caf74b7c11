/*
 * Unit tests: the failover decision (src/cgwd/failover.c), as sequences
 * of events and the decisions they must produce.
 */
#include "cgwd/failover.h"
#include "unit.h"

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
	CHECK(fo_probe(&c, 0, true, 100));	/* first answer: usable */
	CHECK(fo_usable(&c, 0) && c.t[0].state == FO_UP);
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
	CHECK(!fo_probe(&c, 0, true, 2100));	/* healthy, but held down */
	CHECK(c.t[0].state == FO_HOLDDOWN && !fo_usable(&c, 0));
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
	CHECK(!fo_drain(&c, 0, false, 200));	/* back only after hold-down */
	CHECK(c.t[0].state == FO_HOLDDOWN);
	CHECK(fo_tick(&c, 10300) && fo_usable(&c, 0));
}

int
main(void)
{
	test_bringup_is_immediate();
	test_probe_loss_needs_misses_in_a_row();
	test_child_down_is_immediate();
	test_holddown_after_failure();
	test_flapping_restarts_holddown();
	test_both_down_no_pull();
	test_isolated_losses_never_fail_over();
	test_drain_for_reset();
	return unit_summary();
}
