/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: unbound's part of the dns block (see unbound_conf.h)
 */
#include "cgwd/unbound_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

char *
unbound_conf_render(const struct cgw_conf *conf)
{
	const struct cgw_dns_conf *dns = &conf->dns;
	const struct cgw_prefix *allow = dns->n_allow ? dns->allow :
	    conf->box.advertise;
	size_t n_allow = dns->n_allow ? dns->n_allow : conf->box.n_advertise;
	char a[CGW_ADDRSTRLEN];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		xoom();
	fputs("# Written by cgwd from the dns block of cgw.conf: edit that, not this\n"
	    "# file (cgwd rewrites it).  See cgw.conf(5) and docs/dns.md.\n"
	    "server:\n", f);
	/* unbound listens on localhost only while no interface is named:
	 * naming the LAN's would take localhost away from the box. */
	fputs("\tinterface: 127.0.0.1\n", f);
	if (dns->n_listen == 0)
		fprintf(f, "\tinterface: %s\n", cgw_addr4_str(dns->source, a));
	for (size_t i = 0; i < dns->n_listen; i++)
		fprintf(f, "\tinterface: %s\n", cgw_addr4_str(dns->listen[i], a));
	for (size_t i = 0; i < n_allow; i++)
		fprintf(f, "\taccess-control: %s allow\n",
		    cgw_prefix_str(&allow[i], a));
	/* AWS answers over the tunnels only to the advertised prefixes:
	 * not to the outside address, not to a tunnel's inside address
	 * (what the kernel would pick for a route through a tunnel). */
	fprintf(f, "\toutgoing-interface: %s\n", cgw_addr4_str(dns->source, a));
	/* Private hosted zones are not signed from the root down: a
	 * validating unbound would call their answers bogus. */
	for (size_t i = 0; i < dns->n_zones; i++)
		if (dns->zones[i][0] != '.')
			fprintf(f, "\tdomain-insecure: \"%s\"\n", dns->zones[i]);
	for (size_t i = 0; i < dns->n_zones; i++) {
		fprintf(f, "forward-zone:\n\tname: \"%s\"\n", dns->zones[i]);
		for (size_t j = 0; j < dns->n_endpoints; j++)
			fprintf(f, "\tforward-addr: %s\n",
			    cgw_addr4_str(dns->endpoints[j], a));
	}
	if (fclose(f) != 0)
		xoom();
	return text;
}

char *
unbound_forward_cmd(const struct cgw_dns_conf *dns, size_t zone,
    const bool *live, const char *nowhere)
{
	bool any = false;
	char a[CGW_ADDRSTRLEN];
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	for (size_t j = 0; j < dns->n_endpoints; j++)
		any |= live[j];
	if (!(f = open_memstream(&text, &len)))
		xoom();
	/* +i: insecure, as domain-insecure in the file (a zone unbound does
	 * not read from the file would otherwise be validated, and bogus) */
	fprintf(f, "forward_add %s%s", strcmp(dns->zones[zone], ".") ? "+i " : "",
	    dns->zones[zone]);
	for (size_t j = 0; j < dns->n_endpoints; j++)
		if (live[j])
			fprintf(f, " %s", cgw_addr4_str(dns->endpoints[j], a));
	if (!any)
		fprintf(f, " %s", nowhere);
	if (fclose(f) != 0)
		xoom();
	return text;
}
