/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests: cgw.conf parser, validator and printer (src/conf).
 *
 * A valid configuration is checked clean and round-trips through the
 * printer; then one rule at a time is broken and the error, with its line,
 * must appear.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/xalloc.h"
#include "unit.h"

static const char good[] =
    "# a box with one VPN connection\n"				/* 1 */
    "gateway {\n"						/* 2 */
    "\toutside-interface eth0\n"				/* 3 */
    "\tlocal-address 198.51.100.2\n"				/* 4 */
    "\tlocal-asn 65000\n"					/* 5 */
    "\tadvertise 10.10.0.0/16\n"				/* 6 */
    "}\n"							/* 7 */
    "connection \"vpn-0123456789abcdef0\" {\n"			/* 8 */
    "\trouting bgp\n"						/* 9 */
    "\ttunnel 1 {\n"						/* 10 */
    "\t\taws-outside 203.0.113.10\n"				/* 11 */
    "\t\tcgw-outside 198.51.100.2\n"				/* 12 */
    "\t\tinside 169.254.10.0/30\n"				/* 13 */
    "\t\tpsk \"Abcdefgh_1.x\"\n"				/* 14 */
    "\t}\n"							/* 15 */
    "\ttunnel 2 {\n"						/* 16 */
    "\t\taws-outside 203.0.113.20\n"				/* 17 */
    "\t\tcgw-outside 198.51.100.2\n"				/* 18 */
    "\t\tinside 169.254.20.0/30\n"				/* 19 */
    "\t\tpsk \"zyxwvuts_2\"\n"					/* 20 */
    "\t\tphase1 encryption aes256gcm16 integrity sha384 dh-group 20 lifetime 14400\n" /* 21 */
    "\t\tphase2 encryption aes256gcm16 integrity none pfs-group 20 lifetime 1800\n"   /* 22 */
    "\t}\n"							/* 23 */
    "}\n";							/* 24 */

static struct cgw_diag diag;

static struct cgw_conf *
load(const char *text)
{
	struct cgw_conf *conf = cgw_conf_new();

	cgw_diag_clear(&diag);
	cgw_conf_parse_buffer(conf, "t.conf", text, strlen(text), &diag);
	if (diag.n == 0)
		cgw_conf_validate(conf, &diag);
	return conf;
}

/* Replaces the first occurrence of from with to in good. */
static char *
mutate(const char *from, const char *to)
{
	const char *at = strstr(good, from);

	if (!at) {
		fprintf(stderr, "mutate: \"%s\" not in the base config\n", from);
		abort();
	}
	return xasprintf("%.*s%s%s", (int)(at - good), good, to,
	    at + strlen(from));
}

static bool
has_error(int line, const char *needle)
{
	for (size_t i = 0; i < diag.n; i++)
		if (diag.entries[i].line == line &&
		    strstr(diag.entries[i].msg, needle))
			return true;
	cgw_diag_print(stderr, &diag);
	fprintf(stderr, "  (wanted line %d: \"%s\")\n", line, needle);
	return false;
}

/* The mutated config must fail with needle at line. */
static void
expect(const char *from, const char *to, int line, const char *needle)
{
	char *text = mutate(from, to);

	cgw_conf_free(load(text));
	CHECK(has_error(line, needle));
	free(text);
}

static char *
print_to_string(const struct cgw_conf *conf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cgw_conf_print(f, conf, true);
	fclose(f);
	return buf;
}

static void
test_good_and_roundtrip(void)
{
	struct cgw_conf *conf = load(good), *again;
	char *once, *twice;

	CHECK(diag.n == 0);
	if (diag.n)
		cgw_diag_print(stderr, &diag);
	CHECK(conf->conns && conf->conns->tunnel[0].phase1.lifetime == 28800);
	CHECK(strcmp(conf->conns->tunnel[0].ifname, "cgw-bcdef0-1") == 0);
	CHECK(conf->conns->tunnel[0].inside_local.s_addr ==
	    cgw_addr4_from_host(0xa9fe0a02).s_addr);
	CHECK(conf->conns->tunnel[1].phase2.integ == CGW_INTEG_NONE);
	once = print_to_string(conf);
	again = load(once);
	CHECK(diag.n == 0);
	twice = print_to_string(again);
	CHECK(strcmp(once, twice) == 0);
	CHECK(strstr(once, "psk \"Abcdefgh_1.x\"") != NULL);
	free(once);
	free(twice);
	cgw_conf_free(again);
	cgw_conf_free(conf);
}

static void
test_syntax(void)
{
	expect("\trouting bgp\n", "\trouting ospf\n", 9, "expected bgp or static");
	expect("\t\tinside 169.254.10.0/30\n", "\t\tinside 169.254.10.1/30\n",
	    13, "host bits zero");
	expect("\t\tinside 169.254.10.0/30\n", "\t\tinsde 169.254.10.0/30\n",
	    13, "unknown setting \"insde\"");
	expect("lifetime 14400", "lifetime 14400 lifetime 900", 21,
	    "lifetime is given twice");
	expect("lifetime 14400", "lifetime", 21, "keyword/value pairs");
	expect("lifetime 14400", "lifetime 14400x", 21, "is not valid");
	expect("\t\tpsk \"zyxwvuts_2\"\n", "\t\tpsk \"zyxwvuts_2\n", 20,
	    "unterminated string");
	expect("\toutside-interface eth0\n", "\toutside-interface eth0\n\tlocal-asn 1\n",
	    6, "set twice (first at line 4)");
	expect("\ttunnel 2 {\n", "\ttunnel 1 {\n", 16, "defined twice");
	expect("}\n", "", 24, "block opened at line 2: expected '}'");
	expect("\t\tcgw-outside 198.51.100.2\n", "\t\tcgw-outside 198.51.100.256\n",
	    12, "not an IPv4 address");
}

static void
test_aws_rules(void)
{
	/* PSK: 8-64 of [A-Za-z0-9._], not starting with 0. */
	expect("Abcdefgh_1.x", "Abc", 10, "8 to 64");
	expect("Abcdefgh_1.x", "0bcdefgh", 10, "starts with '0'");
	expect("Abcdefgh_1.x", "Abcdefgh-1", 10, "other than letters");
	/* Inside /30s. */
	expect("169.254.10.0/30", "169.254.5.0/30", 10, "reserved by AWS");
	expect("169.254.10.0/30", "169.254.169.252/30", 10, "reserved by AWS");
	expect("169.254.10.0/30", "10.0.0.0/30", 10, "inside 169.254.0.0/16");
	expect("169.254.10.0/30", "169.254.10.0/29", 10, "not a /30");
	expect("169.254.20.0/30", "169.254.10.0/30", 16, "overlaps");
	expect("\t\tinside 169.254.10.0/30\n",
	    "\t\tinside 169.254.10.0/30\n\t\tinside-local 169.254.10.1\n", 10,
	    "second address");
	/* Lifetimes, margin, replay window. */
	expect("lifetime 14400", "lifetime 800", 16, "900-28800");
	expect("lifetime 1800", "lifetime 3700", 16, "900-3600");
	expect("lifetime 14400", "lifetime 1700", 16, "shorter than phase1");
	expect("\t\tpsk \"zyxwvuts_2\"\n", "\t\tpsk \"zyxwvuts_2\"\n\t\trekey margin 901 fuzz 100\n",
	    16, "half the phase2 lifetime");
	expect("\t\tpsk \"zyxwvuts_2\"\n", "\t\tpsk \"zyxwvuts_2\"\n\t\treplay-window 4096\n",
	    16, "64-2048");
	/* Algorithms and groups. */
	expect("dh-group 20", "dh-group 5", 16, "dh-group 5 is not one AWS accepts");
	expect("integrity none", "integrity sha256", 16, "set integrity none");
	expect("pfs-group 20", "pfs-group none", 16, "AWS always uses PFS");
	expect("\t\tpsk \"zyxwvuts_2\"\n", "\t\tpsk \"zyxwvuts_2\"\n\t\tike-version 1\n",
	    16, "needs IKEv2");	/* GCM in phase 1 */
	expect("\t\tpsk \"Abcdefgh_1.x\"\n", "\t\tpsk \"Abcdefgh_1.x\"\n\t\tike-version 1\n\t\tstartup add\n",
	    10, "only with IKEv2");
	/* BGP. */
	expect("local-asn 65000", "local-asn 64512", 10, "equals AWS's");
	expect("\t\tpsk \"zyxwvuts_2\"\n", "\t\tpsk \"zyxwvuts_2\"\n\t\tbgp remote-asn 65000 keepalive 10 hold 30\n",
	    16, "equals AWS's");
	expect("\t\tpsk \"zyxwvuts_2\"\n", "\t\tpsk \"zyxwvuts_2\"\n\t\tbgp remote-asn 100 keepalive 10 hold 30\n",
	    16, "not an Amazon-side ASN");
	/* Structure. */
	expect("\ttunnel 2 {\n\t\taws-outside 203.0.113.20\n\t\tcgw-outside 198.51.100.2\n"
	    "\t\tinside 169.254.20.0/30\n\t\tpsk \"zyxwvuts_2\"\n",
	    "\ttunnel 2 {\n", 8, "tunnel 2 is not configured");
	expect("203.0.113.20", "203.0.113.10", 16, "tunnel 1's too");
	expect("\trouting bgp\n", "\trouting static\n", 8, "at least one static-route");
}

/* Routing policy, ECMP and encapsulation: parsed, printed explicitly,
 * round-tripped; the tunnel block behind the reload hash shows
 * encapsulation only when it is not the default. */
static void
test_policy_roundtrip(void)
{
	char *base = mutate("\trouting bgp\n",
	    "\trouting bgp\n\tpolicy active-standby preferred-tunnel 2\n");
	const char *adv = strstr(base, "\tadvertise");
	char *text = xasprintf("%.*s\tecmp 2\n%s", (int)(adv - base), base, adv);
	char *once, *twice, *tun = NULL;
	struct cgw_conf *conf, *again;
	size_t len = 0;
	FILE *f;

	free(base);
	conf = load(text);
	CHECK(diag.n == 0);
	CHECK(conf->conns->policy == CGW_POLICY_ACTIVE_STANDBY);
	CHECK(conf->conns->preferred_tunnel == 2);
	CHECK(conf->box.ecmp == 2);
	CHECK(!conf->conns->tunnel[0].force_encap);
	conf->conns->tunnel[0].force_encap = true;
	once = print_to_string(conf);
	CHECK(strstr(once, "\tpolicy active-standby preferred-tunnel 2\n") != NULL);
	CHECK(strstr(once, "\tecmp 2\n") != NULL);
	CHECK(strstr(once, "\t\tencapsulation udp\n") != NULL);
	CHECK(strstr(once, "\t\tencapsulation auto\n") != NULL);
	again = load(once);
	CHECK(diag.n == 0);
	CHECK(again->conns->tunnel[0].force_encap &&
	    !again->conns->tunnel[1].force_encap);
	twice = print_to_string(again);
	CHECK(strcmp(once, twice) == 0);
	/* The block behind the reload hash: the default is left out. */
	f = open_memstream(&tun, &len);
	cgw_tunnel_print(f, again->conns, &again->conns->tunnel[1]);
	fclose(f);
	CHECK(strstr(tun, "encapsulation") == NULL);
	free(tun);
	tun = NULL;
	f = open_memstream(&tun, &len);
	cgw_tunnel_print(f, again->conns, &again->conns->tunnel[0]);
	fclose(f);
	CHECK(strstr(tun, "encapsulation udp") != NULL);
	free(tun);
	free(once);
	free(twice);
	cgw_conf_free(again);
	cgw_conf_free(conf);
	free(text);

	expect("\trouting bgp\n",
	    "\trouting bgp\n\tpolicy active-standby preferred-tunnel 0\n",
	    10, "preferred-tunnel 1 or preferred-tunnel 2");
	expect("\trouting bgp\n", "\trouting bgp\n\tpolicy primary\n",
	    10, "expected policy active-active");
	expect("\trouting bgp\n",
	    "\trouting bgp\n\tpolicy active-active\n\tpolicy active-active\n",
	    11, "policy is set twice");
	expect("\trouting bgp\n",
	    "\trouting static\n\tstatic-route 10.2.0.0/16\n\tpolicy active-standby\n",
	    8, "policy active-standby steers BGP");
	expect("\tlocal-asn 65000\n", "\tlocal-asn 65000\n\tecmp 0\n", 2,
	    "ecmp 0 is outside 1-64");
	expect("\t\tinside 169.254.10.0/30\n",
	    "\t\tinside 169.254.10.0/30\n\t\tencapsulation nat\n", 14,
	    "expected auto or udp");
}

/* A flood of errors: all counted, the first 1000 kept and printed in
 * order, and clearing frees exactly what was kept (ASan checks that). */
static void
test_error_flood(void)
{
	struct cgw_conf *c = cgw_conf_new();
	struct cgw_diag d;
	char *text = NULL, *out = NULL;
	size_t len = 0, olen = 0;
	FILE *f = open_memstream(&text, &len);

	for (int i = 0; i < 1500; i++)
		fprintf(f, "bogus%d\n", i);
	fclose(f);
	cgw_diag_init(&d);
	cgw_conf_parse_buffer(c, "flood.conf", text, len, &d);
	CHECK(d.n == 1500);
	CHECK(d.stored == 1000);
	f = open_memstream(&out, &olen);
	cgw_diag_print(f, &d);
	fclose(f);
	CHECK(strstr(out, "flood.conf:1: ") == out);
	CHECK(strstr(out, "flood.conf:1000: ") != NULL);
	CHECK(strstr(out, "flood.conf:1001: ") == NULL);
	CHECK(strstr(out, "(500 more errors not shown)\n") != NULL);
	cgw_diag_clear(&d);
	CHECK(d.n == 0 && d.stored == 0 && d.entries == NULL);
	free(out);
	free(text);
	cgw_conf_free(c);
}

int
main(void)
{
	cgw_diag_init(&diag);
	test_good_and_roundtrip();
	test_syntax();
	test_aws_rules();
	test_policy_roundtrip();
	test_error_flood();
	cgw_diag_clear(&diag);
	return unit_summary();
}
