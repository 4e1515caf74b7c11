/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: address and prefix parsing (src/lib/addr.c).
 */
#include <arpa/inet.h>
#include <string.h>

#include "lib/addr.h"
#include "unit.h"

static const char *
roundtrip(const char *s, bool allow_host)
{
	static char buf[CGW_ADDRSTRLEN];
	struct cgw_prefix p;

	if (cgw_prefix_parse(s, &p, allow_host) < 0)
		return "ERR";
	return cgw_prefix_str(&p, buf);
}

int
main(void)
{
	struct cgw_prefix a, b;
	uint8_t len;

	CHECK(strcmp(roundtrip("10.0.0.0/16", false), "10.0.0.0/16") == 0);
	CHECK(strcmp(roundtrip("10.0.0.1/16", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.1/16", true), "10.0.0.0/16") == 0);
	CHECK(strcmp(roundtrip("169.254.10.0/30", false), "169.254.10.0/30") == 0);
	CHECK(strcmp(roundtrip("0.0.0.0/0", false), "0.0.0.0/0") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0/33", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0/-1", false), "ERR") == 0);
	/* strtol skips blanks and takes a sign: none of that is a length
	 * (found by fuzz_frr_adj: "/   -6" became 250 and a bad shift) */
	CHECK(strcmp(roundtrip("36.1.0.0/   -6", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0/ 8", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0/+8", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0/8 ", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0/", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0.0", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("10.0.0/8", false), "ERR") == 0);
	CHECK(strcmp(roundtrip("fd00::/8", false), "fd00::/8") == 0);
	CHECK(strcmp(roundtrip("fd00::1/126", true), "fd00::/126") == 0);
	CHECK(strcmp(roundtrip("fd00::/129", false), "ERR") == 0);

	CHECK(cgw_mask4_parse("255.255.255.252", &len) == 0 && len == 30);
	CHECK(cgw_mask4_parse("0.0.0.0", &len) == 0 && len == 0);
	CHECK(cgw_mask4_parse("255.0.255.0", &len) < 0);

	cgw_prefix_parse("10.0.0.0/8", &a, false);
	cgw_prefix_parse("10.20.0.0/16", &b, false);
	CHECK(cgw_prefix_overlap(&a, &b) && cgw_prefix_overlap(&b, &a));
	cgw_prefix_parse("11.0.0.0/8", &b, false);
	CHECK(!cgw_prefix_overlap(&a, &b));
	CHECK(!cgw_prefix_equal(&a, &b));
	return unit_summary();
}
