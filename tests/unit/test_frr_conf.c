/*
 * Unit tests: cgw's part of the FRR configuration (src/cgwd/frr_conf.c).
 * The text itself was checked against a real bgpd (every line accepted);
 * here: the policy it encodes.
 */
#include <stdlib.h>
#include <string.h>

#include "cgwd/frr_conf.h"
#include "unit.h"

static const char conf_text[] =
    "gateway {\n outside-interface eth0\n local-asn 65000\n"
    " router-id 198.51.100.2\n advertise 10.10.0.0/16\n advertise 10.11.0.0/24\n}\n"
    "connection \"vpn-0123456789abcdef0\" {\n"
    " tunnel 1 {\n  aws-outside 203.0.113.10\n  cgw-outside 198.51.100.2\n"
    "  inside 169.254.10.0/30\n  psk \"Abcdefgh_1.x\"\n"
    "  bgp remote-asn 64999 keepalive 10 hold 30\n }\n"
    " tunnel 2 {\n  aws-outside 203.0.113.20\n  cgw-outside 198.51.100.2\n"
    "  inside 169.254.20.0/30\n  psk \"zyxwvuts_2\"\n }\n}\n";

static char *
render(const struct cgw_conf *c, const bool *pull, size_t *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*n = frr_conf_write(f, c, pull);
	fclose(f);
	return buf;
}

int
main(void)
{
	struct cgw_conf *c = cgw_conf_new();
	struct cgw_diag d;
	struct cgw_prefix p, half[2];
	char a[CGW_ADDRSTRLEN], b[CGW_ADDRSTRLEN];
	struct frr_policy none[2] = { { false, -1 }, { false, -1 } };
	struct frr_policy pull2[2] = { { false, 1 }, { true, 0 } };
	size_t n;
	char *t;

	cgw_diag_init(&d);
	cgw_conf_parse_buffer(c, "t", conf_text, strlen(conf_text), &d);
	CHECK(d.n == 0);

	cgw_prefix_parse("10.10.0.0/16", &p, false);
	CHECK(frr_more_specifics(&p, half));
	CHECK(strcmp(cgw_prefix_str(&half[0], a), "10.10.0.0/17") == 0);
	CHECK(strcmp(cgw_prefix_str(&half[1], b), "10.10.128.0/17") == 0);
	cgw_prefix_parse("10.0.0.1/32", &p, false);
	CHECK(!frr_more_specifics(&p, half));

	t = render(c, none, &n);
	CHECK(n == 2);
	CHECK(strstr(t, "router bgp 65000\n") != NULL);
	CHECK(strstr(t, " bgp router-id 198.51.100.2\n") != NULL);
	CHECK(strstr(t, " neighbor 169.254.10.1 remote-as 64999\n") != NULL);
	CHECK(strstr(t, " neighbor 169.254.20.1 remote-as 64512\n") != NULL);
	CHECK(strstr(t, " neighbor 169.254.10.1 timers 10 30\n") != NULL);
	CHECK(strstr(t, " neighbor 169.254.10.1 timers connect 1\n") != NULL);
	CHECK(strstr(t, "  network 10.11.0.128/25\n") != NULL);
	CHECK(strstr(t, "permit 10.10.128.0/17\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 deny 10\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-2 deny 10\n") != NULL);
	CHECK(strstr(t, "ip prefix-list CGW-ON-PREM seq 10 permit 10.11.0.0/24\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 permit 20\n match ip address prefix-list CGW-ON-PREM\n") != NULL);
	/* Never delete what a neighbor references. */
	CHECK(strstr(t, "no route-map") == NULL);
	/* Untouched shutdown state unless failover says so. */
	CHECK(strstr(t, "shutdown") == NULL);
	free(t);

	t = render(c, pull2, &n);
	CHECK(n == 6);		/* 2 prefixes + 4 more-specifics */
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 deny 10\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-2 permit 10\n") != NULL);
	CHECK(strstr(t, " neighbor 169.254.10.1 shutdown\n") != NULL);
	CHECK(strstr(t, " no neighbor 169.254.20.1 shutdown\n") != NULL);
	free(t);

	/* The fast path: only policy, return path first, no clear of a
	 * shut neighbor. */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		frr_policy_write(f, c, pull2);
		fclose(f);
		CHECK(strstr(buf, "route-map CGW-OUT-cgw-bcdef0-2 permit 10\n") != NULL);
		CHECK(strstr(buf, " neighbor 169.254.10.1 shutdown\n") != NULL);
		CHECK(strstr(buf, "route-map") < strstr(buf, "shutdown"));
		CHECK(strstr(buf, "clear bgp ipv4 unicast 169.254.20.1 soft out\n") != NULL);
		CHECK(strstr(buf, "clear bgp ipv4 unicast 169.254.10.1") == NULL);
		CHECK(strstr(buf, "network") == NULL);
		free(buf);
	}
	cgw_diag_clear(&d);
	cgw_conf_free(c);
	return unit_summary();
}
