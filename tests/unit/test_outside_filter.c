/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the outside firewall's rules (outside_filter.c): the AWS
 * endpoints of every tunnel in the set, IKE and ESP from others dropped
 * and counted on the outside interface only; nothing with
 * "outside-filter off".  (The lab's 10-cgw-tunnels applies them to a real
 * kernel and sends a stranger's IKE and ESP.)
 */
#include <stdlib.h>
#include <string.h>

#include "cgwd/outside_filter.h"
#include "unit.h"
#include "unit_conf.h"

static const char conf_text[] =
	"gateway {\n"
	"\toutside-interface wan0\n\tlocal-address 198.51.100.2\n"
	"\tlocal-asn 65000\n\tadvertise 10.10.0.0/16\n%s}\n"
	"connection \"vpn-0123456789abcdef0\" {\n\trouting bgp\n"
	"\ttunnel 1 {\n\t\taws-outside 203.0.113.10\n\t\tcgw-outside 198.51.100.2\n"
	"\t\tinside 169.254.10.0/30\n\t\tpsk \"Abcdefgh_1.x\"\n\t}\n"
	"\ttunnel 2 {\n\t\taws-outside 203.0.113.20\n\t\tcgw-outside 198.51.100.2\n"
	"\t\tinside 169.254.20.0/30\n\t\tpsk \"zyxwvuts_2\"\n\t}\n}\n";

static char *
rules(const char *extra)
{
	char text[2048], *out = NULL;
	size_t len = 0;
	struct cgw_conf *c;
	FILE *f;

	snprintf(text, sizeof(text), conf_text, extra);
	c = unit_conf(text);
	f = open_memstream(&out, &len);
	CHECK(f != NULL);
	outside_rules_write(f, c);
	fclose(f);
	cgw_conf_free(c);
	return out;
}

/* the VPC prefixes (learned here; static-routes alike), never out wan0 in
 * clear, forwarded or the box's own; the AWS endpoints always pass; a
 * default route through the VPN is no VPC prefix */
static void
test_cleartext(void)
{
	char text[2048], *out = NULL;
	struct cgw_prefix learned[2], wan;
	size_t len = 0;
	struct cgw_conf *c;
	FILE *f;

	snprintf(text, sizeof(text), conf_text, "");
	c = unit_conf(text);
	CHECK(cgw_prefix_parse("10.2.0.0/16", &learned[0], false) == 0);
	CHECK(cgw_prefix_parse("0.0.0.0/0", &learned[1], false) == 0);
	/* the outside interface's own subnet, inside a learned summary */
	CHECK(cgw_prefix_parse("10.2.200.0/24", &wan, false) == 0);
	f = open_memstream(&out, &len);
	cleartext_rules_write(f, c, learned, 2, &wan, 1);
	fclose(f);
	CHECK_BEFORE(out, "flush set inet cgw vpc_prefixes", "elements = { 10.2.0.0/16 }");
	CHECK(strstr(out, "0.0.0.0/0") == NULL);
	CHECK(strstr(out, "elements = { 203.0.113.10, 203.0.113.20 }"));
	CHECK(strstr(out, "type filter hook forward priority filter"));
	CHECK(strstr(out, "type filter hook output priority filter"));
	CHECK_BEFORE(out, "oifname \"wan0\" ip daddr @aws_outside accept",
	    "oifname \"wan0\" ip daddr @vpc_prefixes counter drop");
	/* what a route of wan0's own carries passes before the drop */
	CHECK(strstr(out, "elements = { 10.2.200.0/24 }"));
	CHECK_BEFORE(out, "oifname \"wan0\" ip daddr @wan_routes accept",
	    "oifname \"wan0\" ip daddr @vpc_prefixes counter drop");
	free(out);
	cgw_conf_free(c);
}

int
main(void)
{
	char *t = rules("");

	/* the set emptied first, then both endpoints in it */
	CHECK_BEFORE(t, "flush set inet cgw aws_endpoints", "elements = { 203.0.113.10, 203.0.113.20 }");
	CHECK(strstr(t, "type filter hook input priority filter; policy accept;"));
	CHECK(strstr(t, "iifname \"wan0\" meta nfproto ipv4 udp dport { 500, 4500 } ip saddr @aws_endpoints accept"));
	CHECK(strstr(t, "iifname \"wan0\" meta nfproto ipv4 meta l4proto esp ip saddr @aws_endpoints accept"));
	/* the accepts before the drops; the drops counted */
	CHECK_BEFORE(t, "ip saddr @aws_endpoints accept", "counter drop comment \"IKE not from an AWS endpoint\"");
	CHECK(strstr(t, "meta l4proto esp counter drop comment \"ESP not from an AWS endpoint\""));
	/* nothing but IKE and ESP is matched */
	CHECK(strstr(t, "tcp") == NULL && strstr(t, "icmp") == NULL);
	free(t);
	t = rules("\toutside-filter off\n");
	CHECK(t[0] == '\0');
	free(t);
	test_cleartext();
	return unit_summary();
}
