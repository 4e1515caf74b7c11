/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the outside firewall (see outside_filter.h)
 */
#include "cgwd/outside_filter.h"

#include <stdbool.h>

void
outside_rules_write(FILE *out, const struct cgw_conf *conf)
{
	const struct cgw_box_conf *box = &conf->box;
	const char *ifn = box->outside_interface;
	char a[CGW_ADDRSTRLEN];
	bool any = false;

	if (!box->outside_filter || !ifn)
		return;
	/* "flush table" leaves a set's elements: emptied, then filled, so an
	 * endpoint taken out of the configuration is out of the set */
	fputs("table inet cgw { set aws_endpoints { type ipv4_addr; }; }\n"
	    "flush set inet cgw aws_endpoints\n"
	    "table inet cgw {\n"
	    "\tset aws_endpoints {\n\t\ttype ipv4_addr\n", out);
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++)
			if (cgw_addr4_is_set(c->tunnel[k].aws_outside)) {
				fprintf(out, "%s%s", any ? ", " : "\t\telements = { ",
				    cgw_addr4_str(c->tunnel[k].aws_outside, a));
				any = true;
			}
	if (any)
		fputs(" }\n", out);
	fputs("\t}\n", out);
	/* a drop in any base chain is final, whatever the operator's own
	 * input chains accept; an accept here decides nothing for them */
	fprintf(out, "\tchain outside {\n"
	    "\t\ttype filter hook input priority filter; policy accept;\n"
	    "\t\tiifname \"%s\" meta nfproto ipv4 udp dport { 500, 4500 } ip saddr @aws_endpoints accept\n"
	    "\t\tiifname \"%s\" meta nfproto ipv4 meta l4proto esp ip saddr @aws_endpoints accept\n"
	    "\t\tiifname \"%s\" meta nfproto ipv4 udp dport { 500, 4500 } counter drop comment \"IKE not from an AWS endpoint\"\n"
	    "\t\tiifname \"%s\" meta nfproto ipv4 meta l4proto esp counter drop comment \"ESP not from an AWS endpoint\"\n"
	    "\t}\n}\n", ifn, ifn, ifn, ifn);
}
