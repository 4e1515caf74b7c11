/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: cgw's part of the FRR configuration (src/cgwd/frr_conf.c).
 * The text itself was checked against a real bgpd (every line accepted);
 * here: the policy it encodes.
 */
#include <stdlib.h>
#include <string.h>

#include "cgwd/frr_conf.h"
#include "lib/xalloc.h"
#include "unit.h"
#include "unit_conf.h"

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
render(const struct cgw_conf *c, const struct frr_policy *pol, size_t *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*n = frr_conf_write(f, c, pol);
	fclose(f);
	return buf;
}

static struct cgw_conf *
load_with(const char *conn_extra, const char *box_extra)
{
	const char *at = strstr(conf_text, "connection");
	const char *tun = strstr(conf_text, " tunnel 1");
	char *text = xasprintf("gateway {\n%s%.*s%.*s%s\n%s",
	    box_extra, (int)(at - conf_text) - 10, conf_text + 10,
	    (int)(tun - at), at, conn_extra, tun);
	struct cgw_conf *c = unit_conf(text);

	free(text);
	return c;
}

/* active-standby: the standby gets less local preference in and a longer
 * AS path out, the preferred tunnel neither; ECMP when asked; the
 * failover fast path never touches the routing policy. */
static void
test_active_standby(void)
{
	struct frr_policy none[2] = { { 0, -1, false, false }, { 0, -1, false, false } };
	struct frr_policy pull2[2] = { { 0, 1, false, false }, { 1, 0, false, false } };
	struct cgw_conf *c = load_with(" policy active-standby\n", " ecmp 2\n");
	char *t, *buf = NULL;
	size_t n, len = 0;
	FILE *f;

	CHECK(c->conns->policy == CGW_POLICY_ACTIVE_STANDBY &&
	    c->conns->preferred_tunnel == 1 && c->box.ecmp == 2);
	CHECK(cgw_conn_standby(c->conns) == 1);
	t = render(c, none, &n);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-2 permit 15\n"
	    " match ip address prefix-list CGW-ON-PREM\n"
	    " set as-path prepend 65000 65000\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 permit 15\n"
	    " match ip address prefix-list CGW-NONE\n") != NULL);
	CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-2 permit 10\n"
	    " set local-preference 50\n") != NULL);
	CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-1 permit 10\n"
	    " set local-preference 100\n") != NULL);
	/* The failover entry 10 comes first: the more-specifics, when
	 * pulled over the standby, are announced without the prepend. */
	CHECK_BEFORE(t, "route-map CGW-OUT-cgw-bcdef0-2 deny 10\n",
	    "route-map CGW-OUT-cgw-bcdef0-2 permit 15\n");
	CHECK(strstr(t, "  maximum-paths 2\n") != NULL);
	free(t);

	f = open_memstream(&buf, &len);
	frr_policy_write(f, c, pull2);
	fclose(f);
	CHECK(strstr(buf, "route-map CGW-OUT-cgw-bcdef0-2 permit 10\n") != NULL);
	CHECK(strstr(buf, " 15\n") == NULL && strstr(buf, "CGW-IN") == NULL);
	CHECK(strstr(buf, "soft in") == NULL);
	free(buf);

	/* No verdict yet on tunnel 2 (a restarted cgwd): its entry 10 is
	 * left as bgpd has it, more-specifics and all. */
	{
		struct frr_policy undecided[2] = { { 0, -1, false, false },
		    { -1, -1, false, false } };

		f = open_memstream(&buf, &len);
		frr_policy_write(f, c, undecided);
		fclose(f);
		CHECK(strstr(buf, "route-map CGW-OUT-cgw-bcdef0-1 deny 10\n") != NULL);
		CHECK(strstr(buf, "route-map CGW-OUT-cgw-bcdef0-2 ") == NULL);
		CHECK(strstr(buf, "shutdown") == NULL);
		free(buf);
	}

	/* Tunnel 1 (the preferred one) in its hold-down: its session runs,
	 * its routes made less preferred like the standby's, re-read
	 * inbound; lifted, they are preferred again. */
	{
		struct frr_policy held[2] = { { false, 0, true, true },
		    { true, 0, false, false } };

		f = open_memstream(&buf, &len);
		frr_policy_write(f, c, held);
		fclose(f);
		CHECK(strstr(buf, "route-map CGW-OUT-cgw-bcdef0-1 permit 15\n"
		    " match ip address prefix-list CGW-ON-PREM\nexit\n") != NULL);
		CHECK(strstr(buf, "route-map CGW-IN-cgw-bcdef0-1 permit 10\n"
		    " set local-preference 50\n") != NULL);
		CHECK(strstr(buf, "CGW-IN-cgw-bcdef0-2") == NULL);
		CHECK(strstr(buf, "no neighbor 169.254.10.1 shutdown") != NULL);
		CHECK(strstr(buf, "clear bgp ipv4 unicast 169.254.10.1 soft in\n") != NULL);
		CHECK(strstr(buf, "169.254.20.1 soft in") == NULL);
		free(buf);
		held[0].held = false;
		f = open_memstream(&buf, &len);
		frr_policy_write(f, c, held);
		fclose(f);
		CHECK(strstr(buf, "route-map CGW-OUT-cgw-bcdef0-1 permit 15\n"
		    " match ip address prefix-list CGW-NONE\nexit\n") != NULL);
		CHECK(strstr(buf, " set local-preference 100\n") != NULL);
		free(buf);
		/* a whole write has it too */
		held[0].held = true;
		t = render(c, held, &n);
		CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-1 permit 10\n"
		    " set local-preference 50\n") != NULL);
		free(t);
	}
	cgw_conf_free(c);

	/* preferred-tunnel 2: the roles swap. */
	c = load_with(" policy active-standby preferred-tunnel 2\n", "");
	CHECK(cgw_conn_standby(c->conns) == 0);
	t = render(c, none, &n);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 permit 15\n"
	    " match ip address prefix-list CGW-ON-PREM\n") != NULL);
	CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-1 permit 10\n"
	    " set local-preference 50\n") != NULL);
	CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-2 permit 10\n"
	    " set local-preference 100\n") != NULL);
	CHECK(strstr(t, "  maximum-paths 1\n") != NULL);
	free(t);
	cgw_conf_free(c);
}

int
main(void)
{
	struct cgw_conf *c = cgw_conf_new();
	struct cgw_diag d;
	struct cgw_prefix p, half[2];
	char a[CGW_ADDRSTRLEN], b[CGW_ADDRSTRLEN];
	struct frr_policy none[2] = { { 0, -1, false, false }, { 0, -1, false, false } };
	struct frr_policy pull2[2] = { { 0, 1, false, false }, { 1, 0, false, false } };
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
	CHECK(strstr(t, "  network 10.11.0.128/25 route-map CGW-NET\n") != NULL);
	CHECK_BEFORE(t, "route-map CGW-NET permit 10\n", "  network ");
	CHECK(strstr(t, "permit 10.10.128.0/17\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 deny 10\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-2 deny 10\n") != NULL);
	CHECK(strstr(t, "ip prefix-list CGW-ON-PREM seq 10 permit 10.11.0.0/24\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 permit 20\n match ip address prefix-list CGW-ON-PREM\n") != NULL);
	/* Default policy: equal attributes both ways, one path. */
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-1 permit 15\n"
	    " match ip address prefix-list CGW-NONE\n") != NULL);
	CHECK(strstr(t, "route-map CGW-OUT-cgw-bcdef0-2 permit 15\n"
	    " match ip address prefix-list CGW-NONE\n") != NULL);
	CHECK(strstr(t, "ip prefix-list CGW-NONE seq 5 deny any\n") != NULL);
	CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-1 permit 10\n"
	    " set local-preference 100\n") != NULL);
	CHECK(strstr(t, "route-map CGW-IN-cgw-bcdef0-2 permit 10\n"
	    " set local-preference 100\n") != NULL);
	CHECK(strstr(t, "  neighbor 169.254.10.1 route-map CGW-IN-cgw-bcdef0-1 in\n") != NULL);
	CHECK(strstr(t, "  maximum-paths 1\n") != NULL);
	CHECK(strstr(t, "clear bgp ipv4 unicast 169.254.10.1 soft in\n") != NULL);
	/* ...from the routes kept, never by a route refresh. */
	CHECK(strstr(t, "  neighbor 169.254.10.1 soft-reconfiguration inbound\n") != NULL);
	/* Each route-map is defined before a neighbor refers to it. */
	CHECK_BEFORE(t, "route-map CGW-IN-cgw-bcdef0-2 permit 10\n",
	    "route-map CGW-IN-cgw-bcdef0-2 in\n");
	/* Never delete what a neighbor references. */
	CHECK(strstr(t, "no route-map") == NULL);
	CHECK(strstr(t, "no set") == NULL);
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
		CHECK_BEFORE(buf, "route-map", "shutdown");
		CHECK(strstr(buf, "clear bgp ipv4 unicast 169.254.20.1 soft out\n") != NULL);
		CHECK(strstr(buf, "clear bgp ipv4 unicast 169.254.10.1") == NULL);
		CHECK(strstr(buf, "network") == NULL);
		free(buf);
	}
	cgw_diag_clear(&d);
	cgw_conf_free(c);
	test_active_standby();
	return unit_summary();
}
