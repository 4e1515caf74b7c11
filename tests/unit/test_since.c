/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of cgwctl show events --since (lib/since.c).
 */
#include <stdlib.h>
#include <time.h>

#include "lib/since.h"
#include "unit.h"

int
main(void)
{
	const uint64_t now = 1796357832000ull;
	uint64_t t;
	struct tm tm = { .tm_year = 2026 - 1900, .tm_mon = 11, .tm_mday = 4,
	    .tm_hour = 3, .tm_min = 0, .tm_sec = 5, .tm_isdst = -1 };
	uint64_t local = (uint64_t)mktime(&tm) * 1000;

	CHECK(cgw_since_parse("90s", now, &t) == 0 && t == now - 90000);
	CHECK(cgw_since_parse("10m", now, &t) == 0 && t == now - 600000);
	CHECK(cgw_since_parse("2h", now, &t) == 0 && t == now - 7200000);
	CHECK(cgw_since_parse("1d", now, &t) == 0 && t == now - 86400000);
	CHECK(cgw_since_parse("@1796357832", now, &t) == 0 && t == now);
	CHECK(cgw_since_parse("2026-12-04 03:00:05", now, &t) == 0 && t == local);
	CHECK(cgw_since_parse("2026-12-04T03:00:05", now, &t) == 0 && t == local);
	CHECK(cgw_since_parse("2026-12-04 03:00", now, &t) == 0 && t == local - 5000);
	CHECK(cgw_since_parse("99999999d", now, &t) < 0);	/* past a century */
	CHECK(cgw_since_parse("10", now, &t) < 0);		/* no unit */
	CHECK(cgw_since_parse("10x", now, &t) < 0);
	CHECK(cgw_since_parse("-5m", now, &t) < 0);
	CHECK(cgw_since_parse("@", now, &t) < 0);
	CHECK(cgw_since_parse("@12x", now, &t) < 0);
	CHECK(cgw_since_parse("2026-13-04", now, &t) < 0);
	CHECK(cgw_since_parse("2026-12-04 03:00 junk", now, &t) < 0);
	CHECK(cgw_since_parse("", now, &t) < 0);
	return unit_summary();
}
