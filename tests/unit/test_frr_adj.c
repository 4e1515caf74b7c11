/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: reading bgpd's adj-rib-out (src/cgwd/frr_adj.c), from the
 * texts FRR 8.4 prints for `show bgp ipv4 unicast neighbors A
 * advertised-routes json`.
 */
#include <stdlib.h>

#include "cgwd/frr_adj.h"
#include "lib/cgw_msg.h"
#include "unit.h"

/* A neighbor that is Established, as bgpd printed it in the lab. */
static const char established[] =
    "{\n  \"bgpTableVersion\":4,\n  \"bgpLocalRouterId\":\"192.0.2.10\",\n"
    "  \"defaultLocPrf\":100,\n  \"localAS\":65000,\n"
    "  \"bgpStatusCodes\":{\n    \"valid\":\"*\",\n    \"best\":\">\"\n  },\n"
    "  \"advertisedRoutes\":{\n"
    "    \"10.1.0.0/16\":{\n      \"addrPrefix\":\"10.1.0.0\",\n"
    "      \"prefixLen\":16,\n      \"network\":\"10.1.0.0/16\",\n"
    "      \"nextHop\":\"0.0.0.0\",\n      \"metric\":0,\n      \"weight\":32768,\n"
    "      \"path\":\"\",\n      \"bgpOriginCode\":\"i\",\n"
    "      \"appliedStatusSymbols\":{\n        \"*\":true,\n        \">\":true\n      }\n    },\n"
    "    \"10.1.128.0/17\":{\n      \"addrPrefix\":\"10.1.128.0\",\n      \"prefixLen\":17\n    }\n"
    "  },\n  \"totalPrefixCounter\":2,\n  \"filteredPrefixCounter\":0\n}\n";

static const char shut[] =
    "{\n  \"advertisedRoutes\":{\n  },\n  \"totalPrefixCounter\":0,\n"
    "  \"filteredPrefixCounter\":0\n}\n";

static const char no_neighbor[] =
    "{\n  \"warning\":\"No such neighbor in this view/vrf\"\n}\n";

static struct cgw_prefix
pfx(const char *s)
{
	struct cgw_prefix p;

	if (cgw_prefix_parse(s, &p, false) != 0)
		abort();
	return p;
}

int
main(void)
{
	struct frr_adj_out a = { 0 };
	struct cgw_prefix p;

	CHECK(frr_adj_parse(established, &a) == 0);
	CHECK(a.n == 2);
	p = pfx("10.1.0.0/16");
	CHECK(frr_adj_has(&a, &p));
	p = pfx("10.1.128.0/17");
	CHECK(frr_adj_has(&a, &p));
	p = pfx("10.1.0.0/17");
	CHECK(!frr_adj_has(&a, &p));
	CHECK(a.note[0] == '\0');

	/* a shut neighbor: read, nothing advertised */
	CHECK(frr_adj_parse(shut, &a) == 0);
	CHECK(a.n == 0 && a.note[0] == '\0');

	/* a neighbor bgpd does not have: read, nothing, and bgpd's words */
	CHECK(frr_adj_parse(no_neighbor, &a) == 0);
	CHECK(a.n == 0 && strstr(a.note, "No such neighbor") != NULL);

	/* what is not bgpd's JSON is an error, with nothing kept from before */
	CHECK(frr_adj_parse(established, &a) == 0 && a.n == 2);
	CHECK(frr_adj_parse("% Unknown command: show bgp ipv4 unicast neighbors", &a) < 0);
	CHECK(a.n == 0 && strstr(a.note, "not a JSON object") != NULL);
	CHECK(frr_adj_parse("", &a) < 0);
	CHECK(frr_adj_parse("[1, 2]", &a) < 0);
	CHECK(frr_adj_parse("{\"totalPrefixCounter\":0}", &a) < 0);
	CHECK(strstr(a.note, "no advertisedRoutes") != NULL);
	CHECK(frr_adj_parse("{\"advertisedRoutes\":[]}", &a) < 0);

	/* entries: their own fields win; the key serves older releases */
	CHECK(frr_adj_parse("{\"advertisedRoutes\":{\"10.9.0.0/16\":{}}}", &a) == 0);
	p = pfx("10.9.0.0/16");
	CHECK(a.n == 1 && frr_adj_has(&a, &p));
	CHECK(frr_adj_parse("{\"advertisedRoutes\":{\"x\":{\"addrPrefix\":\"10.8.0.0\","
	    "\"prefixLen\":15}}}", &a) == 0);
	p = pfx("10.8.0.0/15");
	CHECK(a.n == 1 && frr_adj_has(&a, &p));
	/* unreadable ones are skipped and named; the rest is kept */
	CHECK(frr_adj_parse("{\"advertisedRoutes\":{\"bogus\":{},"
	    "\"10.7.0.0/16\":{\"prefixLen\":99,\"addrPrefix\":\"10.7.0.0\"},"
	    "\"10.6.0.0/16\":{}}}", &a) == 0);
	CHECK(a.n == 1 && strstr(a.note, "cannot read") != NULL);
	/* IPv6 is not an IPv4 route */
	CHECK(frr_adj_parse("{\"advertisedRoutes\":{\"fd00::/64\":{}}}", &a) == 0);
	CHECK(a.n == 0);

	/* show routes' lines: the model in order, as bgpd has it, then what
	 * bgpd sends beyond it */
	{
		struct cgw_prefix want[2] = { pfx("10.1.0.0/16"), pfx("10.5.0.0/16") };
		struct frr_adj_line l[4];

		CHECK(frr_adj_parse(established, &a) == 0);	/* 10.1/16, 10.1.128/17 */
		CHECK(frr_adj_compare(want, 2, &a, l) == 3);
		CHECK(cgw_prefix_equal(&l[0].prefix, &want[0]) && l[0].bgpd == CGW_BGPD_SENT);
		CHECK(cgw_prefix_equal(&l[1].prefix, &want[1]) && l[1].bgpd == CGW_BGPD_NOT_SENT);
		p = pfx("10.1.128.0/17");
		CHECK(cgw_prefix_equal(&l[2].prefix, &p) && l[2].bgpd == CGW_BGPD_UNEXPECTED);
		/* bgpd not read: the model alone, every line unread */
		CHECK(frr_adj_compare(want, 2, NULL, l) == 2);
		CHECK(l[0].bgpd == CGW_BGPD_UNREAD && l[1].bgpd == CGW_BGPD_UNREAD);
		/* a shut tunnel wants nothing: whatever bgpd sends is unexpected */
		CHECK(frr_adj_compare(want, 0, &a, l) == 2);
		CHECK(l[0].bgpd == CGW_BGPD_UNEXPECTED && l[1].bgpd == CGW_BGPD_UNEXPECTED);
		/* nothing wanted, nothing sent: no line */
		CHECK(frr_adj_parse(shut, &a) == 0);
		CHECK(frr_adj_compare(want, 0, &a, l) == 0);
	}

	frr_adj_clear(&a);
	CHECK(a.prefixes == NULL && a.n == 0);
	return unit_summary();
}
