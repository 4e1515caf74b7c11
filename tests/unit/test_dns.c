/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the dns block's pure parts: unbound's file and its
 * forward_add commands (unbound_conf.c), the zone match and diagnose dns's
 * findings (dns_diag.c), and the query and reply codec (dns_wire.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/dns_diag.h"
#include "cgwd/dns_wire.h"
#include "cgwd/unbound_conf.h"
#include "unit.h"
#include "unit_conf.h"

static const char conf_text[] =
	"gateway {\n"
	"\toutside-interface eth0\n\tlocal-address 198.51.100.2\n"
	"\tlocal-asn 65000\n\tadvertise 10.10.0.0/16\n}\n"
	"dns {\n\tsource 10.10.0.1\n\tendpoint 10.2.0.53\n\tendpoint 10.2.1.53\n"
	"\tzone Corp.Example.\n\tzone .\n}\n"
	"connection \"vpn-0123456789abcdef0\" {\n\trouting bgp\n"
	"\ttunnel 1 {\n\t\taws-outside 203.0.113.10\n\t\tcgw-outside 198.51.100.2\n"
	"\t\tinside 169.254.10.0/30\n\t\tpsk \"Abcdefgh_1.x\"\n\t}\n"
	"\ttunnel 2 {\n\t\taws-outside 203.0.113.20\n\t\tcgw-outside 198.51.100.2\n"
	"\t\tinside 169.254.20.0/30\n\t\tpsk \"zyxwvuts_2\"\n\t}\n}\n";

static void
test_render(const struct cgw_conf *c)
{
	char *t = unbound_conf_render(c);

	CHECK(strncmp(t, "# Written by cgwd", 17) == 0);
	/* no listen: unbound listens on the source (and localhost) */
	CHECK(strstr(t, "\tinterface: 127.0.0.1\n\tinterface: 10.10.0.1\n"));
	/* no allow: the advertised prefixes */
	CHECK(strstr(t, "\taccess-control: 10.10.0.0/16 allow\n"));
	CHECK(strstr(t, "\toutgoing-interface: 10.10.0.1\n"));
	/* zones canonical; the root is forwarded but never domain-insecure */
	CHECK(strstr(t, "\tdomain-insecure: \"corp.example\"\n"));
	CHECK(strstr(t, "domain-insecure: \".\"") == NULL);
	CHECK(strstr(t, "forward-zone:\n\tname: \"corp.example\"\n"
	    "\tforward-addr: 10.2.0.53\n\tforward-addr: 10.2.1.53\n"));
	CHECK(strstr(t, "forward-zone:\n\tname: \".\"\n"));
	free(t);
}

static void
test_forward_cmd(const struct cgw_conf *c)
{
	bool live[2] = { true, false };
	char *t = unbound_forward_cmd(&c->dns, 0, live, "127.0.0.1@1");

	/* insecure, as the file's domain-insecure */
	CHECK(strcmp(t, "forward_add +i corp.example 10.2.0.53") == 0);
	free(t);
	live[0] = live[1] = true;
	t = unbound_forward_cmd(&c->dns, 1, live, "127.0.0.1@1");
	CHECK(strcmp(t, "forward_add . 10.2.0.53 10.2.1.53") == 0);
	free(t);
	/* none: nowhere, never an address the caller did not pass */
	live[0] = live[1] = false;
	t = unbound_forward_cmd(&c->dns, 0, live, "127.0.0.1@1");
	CHECK(strcmp(t, "forward_add +i corp.example 127.0.0.1@1") == 0);
	free(t);
}

static void
test_in_zone(void)
{
	CHECK(dns_in_zone("db.corp.example", "corp.example"));
	CHECK(dns_in_zone("DB.Corp.Example.", "corp.example"));
	CHECK(dns_in_zone("corp.example", "corp.example"));
	CHECK(!dns_in_zone("xcorp.example", "corp.example"));
	CHECK(!dns_in_zone("example", "corp.example"));
	CHECK(!dns_in_zone("", "corp.example"));
	CHECK(dns_in_zone("anything.at.all", "."));
}

static const struct dns_finding *
find(const struct dns_finding *f, size_t n, const char *where, const char *cause)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].where, where) == 0 && strcmp(f[i].cause, cause) == 0)
			return &f[i];
	return NULL;
}

static void
test_diagnose(const struct cgw_conf *c)
{
	struct dns_finding out[DNS_FINDINGS_MAX];
	struct dns_diag_facts f = { .name = "db.corp.example", .conf = c,
	    .outgoing_known = true, .n_outgoing = 1 };
	const struct dns_finding *x;
	size_t n;

	strcpy(f.outgoing[0], "10.10.0.1");
	for (int i = 0; i < 2; i++) {
		f.ep[i].route = DNS_ROUTE_TUNNEL;
		strcpy(f.ep[i].ifname, i ? "cgw-f60718-2" : "cgw-f60718-1");
	}
	/* 10.2.0.53 answers; 10.2.1.53 is silent; unbound answers */
	f.ep[0].asked.answered = true;
	f.ep[0].asked.rtt_us = 12345;
	f.ep[0].asked.reply.answers = 1;
	strcpy(f.ep[0].asked.reply.first, "10.2.0.80");
	f.unbound.answered = true;
	f.unbound.reply.answers = 1;
	strcpy(f.unbound.reply.first, "10.2.0.80");
	n = dns_diagnose(&f, out);
	CHECK((x = find(out, n, "10.2.0.53", "dns-answer")) && x->severity == DNS_OK &&
	    strstr(x->text, "10.2.0.80 (12.3 ms through cgw-f60718-1)"));
	CHECK((x = find(out, n, "10.2.1.53", "dns-endpoint-silent")) &&
	    x->severity == DNS_FAULT && strstr(x->text, "security group"));
	CHECK((x = find(out, n, "unbound", "dns-unbound")) && x->severity == DNS_OK);
	CHECK(find(out, n, "unbound", "dns-source") == NULL);
	CHECK(find(out, n, "-", "dns-not-forwarded") == NULL);

	/* NXDOMAIN; no route; the outside interface; another route */
	f.ep[0].asked.reply.rcode = 3;
	f.ep[1].route = DNS_ROUTE_OUTSIDE;
	strcpy(f.ep[1].ifname, "eth0");
	n = dns_diagnose(&f, out);
	CHECK((x = find(out, n, "10.2.0.53", "dns-nxdomain")) && x->severity == DNS_FAULT);
	CHECK((x = find(out, n, "10.2.1.53", "dns-no-route")) &&
	    strstr(x->text, "out eth0"));
	CHECK(find(out, n, "10.2.1.53", "dns-endpoint-silent") == NULL);
	f.ep[1].route = DNS_ROUTE_OTHER;
	f.ep[1].asked.err = -99;	/* EADDRNOTAVAIL */
	n = dns_diagnose(&f, out);
	CHECK((x = find(out, n, "10.2.1.53", "dns-not-via-tunnels")) && x->severity == DNS_WARNING);
	CHECK(find(out, n, "10.2.1.53", "dns-source-missing") != NULL);

	/* unbound also sends from the outside address; then from nowhere set */
	f.n_outgoing = 2;
	strcpy(f.outgoing[1], "198.51.100.2");
	n = dns_diagnose(&f, out);
	CHECK((x = find(out, n, "unbound", "dns-source")) && strstr(x->text, "198.51.100.2"));
	f.n_outgoing = 0;
	n = dns_diagnose(&f, out);
	CHECK((x = find(out, n, "unbound", "dns-source")) && strstr(x->text, "no outgoing-interface"));
	f.outgoing_known = false;
	n = dns_diagnose(&f, out);
	CHECK(find(out, n, "unbound", "dns-unbound-unknown") != NULL);

	/* a name outside the zones is said (the root zone holds every name:
	 * a configuration without it) */
	{
		struct cgw_conf one = *c;

		one.dns.n_zones = 1;
		f.conf = &one;
		f.name = "www.example.org";
		n = dns_diagnose(&f, out);
		CHECK(find(out, n, "-", "dns-not-forwarded") != NULL);
		CHECK(n <= DNS_FINDINGS_MAX);
	}
}

static void
test_wire(void)
{
	uint8_t q[512], r[512];
	struct dns_reply rep;
	int n;

	n = dns_wire_query("db.corp.example", DNS_Q_A, 0x1234, q, sizeof(q));
	CHECK(n > 12);
	if (n <= 12)
		return;
	CHECK(q[0] == 0x12 && q[1] == 0x34 && (q[2] & 0x01));	/* id, RD */
	/* the query turned into an answer: QR, NXDOMAIN, no records */
	memcpy(r, q, (size_t)n);
	r[2] |= 0x80;
	r[3] = (uint8_t)((r[3] & 0xf0) | 3);
	CHECK(dns_wire_reply(r, (size_t)n, 0x1234, &rep) == 0);
	CHECK(rep.rcode == 3 && strcmp(rep.rcode_name, "NXDOMAIN") == 0 &&
	    rep.answers == 0 && rep.first[0] == '\0');
	/* another query's answer, and garbage */
	CHECK(dns_wire_reply(r, (size_t)n, 0x4321, &rep) == -ESRCH);
	CHECK(dns_wire_reply(r, 5, 0x1234, &rep) == -EBADMSG);
	/* a label longer than 63 octets is no name */
	CHECK(dns_wire_query("a123456789012345678901234567890123456789012345678901234567890123.example",
	    DNS_Q_A, 1, q, sizeof(q)) < 0);
	CHECK(dns_wire_query("db.corp.example", DNS_Q_A, 1, q, 8) < 0);
}

int
main(void)
{
	struct cgw_conf *c = unit_conf(conf_text);

	test_render(c);
	test_forward_cmd(c);
	test_in_zone();
	test_diagnose(c);
	test_wire();
	cgw_conf_free(c);
	return unit_summary();
}
