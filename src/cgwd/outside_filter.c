/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the outside firewall (see outside_filter.h)
 */
#include "cgwd/outside_filter.h"

#include <stdbool.h>

/* A set's elements: "\t\telements = { A, B" as they come (*any: one is
 * out), then elements_end(). */
static void
element(FILE *out, const char *text, bool *any)
{
	fprintf(out, "%s%s", *any ? ", " : "\t\telements = { ", text);
	*any = true;
}

static void
elements_end(FILE *out, bool any)
{
	if (any)
		fputs(" }\n", out);
	fputs("\t}\n", out);
}

/* Every tunnel's AWS endpoint, and the set's end. */
static void
aws_elements(FILE *out, const struct cgw_conf *conf)
{
	char a[CGW_ADDRSTRLEN];
	bool any = false;

	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		for (int k = 0; k < CGW_TUNNELS; k++)
			if (cgw_addr4_is_set(c->tunnel[k].aws_outside))
				element(out, cgw_addr4_str(c->tunnel[k].aws_outside, a),
				    &any);
	elements_end(out, any);
}

/* The prefixes but /0 (without the set's end: several lists fill one). */
static void
prefix_elements(FILE *out, const struct cgw_prefix *p, size_t n, bool *any)
{
	char a[CGW_ADDRSTRLEN];

	for (size_t i = 0; i < n; i++)
		if (p[i].len)
			element(out, cgw_prefix_str(&p[i], a), any);
}

void
outside_rules_write(FILE *out, const struct cgw_conf *conf)
{
	const struct cgw_box_conf *box = &conf->box;
	const char *ifn = box->outside_interface;

	if (!box->outside_filter || !ifn)
		return;
	/* "flush table" leaves a set's elements: emptied, then filled, so an
	 * endpoint taken out of the configuration is out of the set */
	fputs("table inet cgw { set aws_endpoints { type ipv4_addr; }; }\n"
	    "flush set inet cgw aws_endpoints\n"
	    "table inet cgw {\n"
	    "\tset aws_endpoints {\n\t\ttype ipv4_addr\n", out);
	aws_elements(out, conf);
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

void
cleartext_rules_write(FILE *out, const struct cgw_conf *conf,
    const struct cgw_prefix *learned, size_t n_learned,
    const struct cgw_prefix *wan_routes, size_t n_wan_routes)
{
	const char *ifn = conf->box.outside_interface;
	bool any = false;

	if (!ifn)
		return;
	fputs("table inet cgw { set vpc_prefixes { type ipv4_addr; flags interval; auto-merge; }; }\n"
	    "flush set inet cgw vpc_prefixes\n"
	    "table inet cgw { set aws_outside { type ipv4_addr; }; }\n"
	    "flush set inet cgw aws_outside\n"
	    "table inet cgw { set wan_routes { type ipv4_addr; flags interval; auto-merge; }; }\n"
	    "flush set inet cgw wan_routes\n"
	    "table inet cgw {\n"
	    "\tset vpc_prefixes {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n", out);
	/* a default route through the VPN is no VPC prefix: with it, the
	 * box would lose its own way to the internet with the tunnels */
	for (const struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		prefix_elements(out, c->static_routes, c->n_static_routes, &any);
	prefix_elements(out, learned, n_learned, &any);
	elements_end(out, any);
	fputs("\tset wan_routes {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n", out);
	any = false;
	prefix_elements(out, wan_routes, n_wan_routes, &any);
	elements_end(out, any);
	fputs("\tset aws_outside {\n\t\ttype ipv4_addr\n", out);
	aws_elements(out, conf);
	fprintf(out, "\tchain cleartext_fwd {\n"
	    "\t\ttype filter hook forward priority filter; policy accept;\n"
	    "\t\toifname \"%s\" ip daddr @aws_outside accept\n"
	    "\t\toifname \"%s\" ip daddr @wan_routes accept\n"
	    "\t\toifname \"%s\" ip daddr @vpc_prefixes counter drop comment \"to the VPC, not through a tunnel\"\n"
	    "\t}\n"
	    "\tchain cleartext_out {\n"
	    "\t\ttype filter hook output priority filter; policy accept;\n"
	    "\t\toifname \"%s\" ip daddr @aws_outside accept\n"
	    "\t\toifname \"%s\" ip daddr @wan_routes accept\n"
	    "\t\toifname \"%s\" ip daddr @vpc_prefixes counter drop comment \"to the VPC, not through a tunnel\"\n"
	    "\t}\n}\n", ifn, ifn, ifn, ifn, ifn, ifn);
}
