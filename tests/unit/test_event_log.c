/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the event history's ring and line format (event_log.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/event_log.h"
#include "unit.h"

static void
test_ring(void)
{
	struct event_log l;

	event_log_init(&l, 3);
	for (int i = 0; i < 5; i++) {
		char cause[16];

		snprintf(cause, sizeof(cause), "n%d", i);
		event_log_add(&l, 1000 + i, "vpn-1-1", "child-up", cause);
	}
	CHECK(l.n == 3);
	CHECK(strcmp(event_log_at(&l, 0)->cause, "n2") == 0);	/* oldest kept */
	CHECK(strcmp(event_log_at(&l, 2)->cause, "n4") == 0);
	CHECK(event_log_at(&l, 3) == NULL);
	event_log_free(&l);
}

static void
test_line_round_trip(void)
{
	struct event_log a, b;
	char line[EVENT_LINE_MAX], text[4 * EVENT_LINE_MAX] = "";
	char long_cause[600];

	memset(long_cause, 'x', sizeof(long_cause) - 1);
	long_cause[sizeof(long_cause) - 1] = '\0';
	event_log_init(&a, 10);
	event_log_init(&b, 10);
	/* tabs and newlines in the text cannot split the line */
	event_log_add(&a, 1796357832430ull, "vpn-0a-1", "failover",
	    "probe-loss:\ttraffic\nmoved");
	event_log_add(&a, 5, NULL, "reload", "");
	event_log_add(&a, 6, "vpn-0a-2", "bgp", long_cause);	/* cut to fit */
	for (size_t i = 0; i < a.n; i++) {
		size_t n = event_rec_line(event_log_at(&a, i), line);

		CHECK(n > 0 && line[n - 1] == '\n');
		CHECK(memchr(line, '\n', n - 1) == NULL);
		strcat(text, line);
	}
	CHECK(event_log_parse(&b, text, strlen(text)) == 0);
	CHECK(b.n == 3);
	CHECK(b.n == 3 && event_log_at(&b, 0)->at_ms == 1796357832430ull);
	CHECK(b.n == 3 && strcmp(event_log_at(&b, 0)->cause,
	    "probe-loss: traffic moved") == 0);
	CHECK(b.n == 3 && strcmp(event_log_at(&b, 1)->tunnel, "-") == 0);
	CHECK(b.n == 3 && strlen(event_log_at(&b, 2)->cause) == EVENT_CAUSE_MAX - 1);
	event_log_free(&a);
	event_log_free(&b);
}

static void
test_parse_malformed(void)
{
	static const char text[] =
	    "100\tvpn-1-1\tchild-up\tok one\n"
	    "\n"
	    "x100\tvpn-1-1\tchild-up\tnot a time\n"
	    "101\tvpn-1-1\tno-such-event\tunknown key\n"
	    "102\tvpn-1-1\tchild-up\n"			/* three fields */
	    "103\tvpn-1-1\tchild-up\ta\tb\n"		/* five */
	    "104\t\tchild-up\tno tunnel\n"
	    "105\tvpn-1-1\tbgp\tok two\n"
	    "106\tvpn-1-1\tbgp\tcut by a crash";	/* no newline */
	struct event_log l;
	size_t skipped;

	event_log_init(&l, 10);
	skipped = event_log_parse(&l, text, sizeof(text) - 1);
	CHECK(skipped == 6);
	CHECK(l.n == 2);
	CHECK(l.n == 2 && strcmp(event_log_at(&l, 0)->cause, "ok one") == 0);
	CHECK(l.n == 2 && strcmp(event_log_at(&l, 1)->cause, "ok two") == 0);
	/* NUL bytes inside a line */
	CHECK(event_log_parse(&l, "107\tv\tbgp\ta\0b\n", 14) == 1);
	CHECK(l.n == 2);
	event_log_free(&l);
}

static void
test_keys(void)
{
	CHECK(event_key_known("failover"));
	CHECK(event_key_known("tunnel-down"));
	CHECK(!event_key_known("Failover"));
	CHECK(!event_key_known(""));
}

int
main(void)
{
	test_ring();
	test_line_round_trip();
	test_parse_malformed();
	test_keys();
	return unit_summary();
}
