/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, CustomerGatewayConfiguration XML
 *
 * The XML AWS returns in DescribeVpnConnections (and that every download
 * is rendered from): <vpn_connection id="vpn-..."> with two <ipsec_tunnel>
 * elements, each with <customer_gateway>, <vpn_gateway>, <ike> and <ipsec>.
 * Parsed by libxml2 without network access, without loading DTDs and
 * without substituting entities; a document with a DOCTYPE is refused.
 * Line numbers come from xmlGetLineNo().  Tunnel order in the XML is not
 * stable: build.c orders tunnels by AWS outside address.
 *
 * Its algorithm values are AWS's legacy sample (AES128/SHA1/DH2, IKEv1 main
 * mode); they are what the file says, so they are what a bare XML import
 * gives.  The JSON importer replaces them with Options.TunnelOptions.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

static xmlNode *
child(xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static xmlNode *
path(xmlNode *n, const char *a, const char *b, const char *c)
{
	n = child(n, a);
	if (b)
		n = child(n, b);
	if (c)
		n = child(n, c);
	return n;
}

static int
line_no(xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : 0;

	return l > 0 && l < INT_MAX ? (int)l : 0;
}

/* The element's text, trimmed; NULL when absent. */
static char *
text(xmlNode *n)
{
	xmlChar *x;
	char *s;

	if (!n || !(x = xmlNodeGetContent(n)))
		return NULL;
	s = xstrdup(imp_trim((char *)x));
	if (strchr(s, '\n') || strchr(s, '\r'))
		*strpbrk(s, "\r\n") = '\0';
	xmlFree(x);
	return s;
}

static void
set(struct imp_ctx *ctx, struct imp_tunnel *t, enum imp_field f,
    xmlNode *n)
{
	char *s = text(n);

	if (s) {
		imp_set(ctx, t, f, s, line_no(n));
		if (f == IF_PSK)
			explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void
tunnel(struct imp_ctx *ctx, struct imp_conn *c, xmlNode *x, int label,
    bool *bgp)
{
	struct imp_tunnel *t = imp_conn_tunnel(c, line_no(x), label, NULL);
	xmlNode *cg = child(x, "customer_gateway"), *vg = child(x, "vpn_gateway");
	xmlNode *ike = child(x, "ike"), *ips = child(x, "ipsec"), *n;

	if (!cg || !vg || !ike || !ips)
		imp_err(ctx, t->line, "<ipsec_tunnel> number %d lacks "
		    "<customer_gateway>, <vpn_gateway>, <ike> or <ipsec>; the "
		    "XML is truncated or edited", label);
	if ((n = child(cg, "tunnel_inside_ipv6_address")) ||
	    (n = child(vg, "tunnel_inside_ipv6_address")))
		imp_err(ctx, line_no(n), "tunnel %d has IPv6 inside addresses; "
		    "cgw supports IPv4 inside tunnels only", label);
	set(ctx, t, IF_CGW_OUT, path(cg, "tunnel_outside_address",
	    "ip_address", NULL));
	set(ctx, t, IF_IN_LOCAL, path(cg, "tunnel_inside_address",
	    "ip_address", NULL));
	if ((n = path(cg, "tunnel_inside_address", "network_cidr", NULL)))
		set(ctx, t, IF_IN_LEN, n);
	else
		set(ctx, t, IF_IN_LEN, path(cg, "tunnel_inside_address",
		    "network_mask", NULL));
	set(ctx, t, IF_LOCAL_ASN, path(cg, "bgp", "asn", NULL));
	set(ctx, t, IF_HOLD, path(cg, "bgp", "hold_time", NULL));
	set(ctx, t, IF_AWS_OUT, path(vg, "tunnel_outside_address",
	    "ip_address", NULL));
	set(ctx, t, IF_IN_REMOTE, path(vg, "tunnel_inside_address",
	    "ip_address", NULL));
	set(ctx, t, IF_AWS_ASN, path(vg, "bgp", "asn", NULL));
	if (child(cg, "bgp") || child(vg, "bgp"))
		*bgp = true;
	set(ctx, t, IF_P1_INTEG, child(ike, "authentication_protocol"));
	set(ctx, t, IF_P1_ENCR, child(ike, "encryption_protocol"));
	set(ctx, t, IF_P1_LIFE, child(ike, "lifetime"));
	set(ctx, t, IF_P1_DH, child(ike, "perfect_forward_secrecy"));
	set(ctx, t, IF_P1_MODE, child(ike, "mode"));
	set(ctx, t, IF_IKE_VERSION, child(ike, "ike_version"));
	set(ctx, t, IF_PSK, child(ike, "pre_shared_key"));
	set(ctx, t, IF_P2_PROTO, child(ips, "protocol"));
	set(ctx, t, IF_P2_INTEG, child(ips, "authentication_protocol"));
	set(ctx, t, IF_P2_ENCR, child(ips, "encryption_protocol"));
	set(ctx, t, IF_P2_LIFE, child(ips, "lifetime"));
	set(ctx, t, IF_P2_PFS, child(ips, "perfect_forward_secrecy"));
	set(ctx, t, IF_P2_MODE, child(ips, "mode"));
	set(ctx, t, IF_MSS, child(ips, "tcp_mss_adjustment"));
	set(ctx, t, IF_DPD_DELAY, path(ips, "dead_peer_detection", "interval",
	    NULL));
	set(ctx, t, IF_DPD_RETRIES, path(ips, "dead_peer_detection", "retries",
	    NULL));
}

int
imp_xml_parse(struct imp_ctx *ctx, const char *buf, size_t len,
    struct imp_conn *c)
{
	xmlParserCtxt *pc;
	xmlDoc *doc;
	xmlNode *root, *n;
	xmlChar *id;
	int label = 0, r = 0, no_vgw_line = 0;
	bool bgp = false;

	if (len > INT_MAX) {
		imp_err(ctx, 0, "XML too large");
		return -EFBIG;
	}
	xmlInitParser();
	if (!(pc = xmlNewParserCtxt()))
		xoom();
	doc = xmlCtxtReadMemory(pc, buf, (int)len, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(pc);
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message :
		    "cannot parse");
		imp_err(ctx, e ? e->line : 0, "XML syntax error: %s%s",
		    imp_trim(msg), strstr(msg, "Premature end") ?
		    " (is the file complete?)" : "");
		xmlFreeParserCtxt(pc);
		return -EINVAL;
	}
	root = xmlDocGetRootElement(doc);
	if (doc->intSubset || doc->extSubset) {
		imp_err(ctx, line_no((xmlNode *)doc->intSubset), "the XML has a "
		    "DOCTYPE; AWS's has none and cgw does not read DTDs");
		r = -EINVAL;
	} else if (!root || strcmp((const char *)root->name,
	    "vpn_connection") != 0) {
		imp_err(ctx, line_no(root), "root element <%s>: expected "
		    "<vpn_connection> (the CustomerGatewayConfiguration of "
		    "`aws ec2 describe-vpn-connections`)",
		    root ? (const char *)root->name : "");
		r = -EINVAL;
	}
	if (r < 0)
		goto out;
	c->line = line_no(root);
	if ((id = xmlGetProp(root, (const xmlChar *)"id"))) {
		imp_set_val(ctx, &c->id, "VPN connection id",
		    imp_trim((char *)id), c->line);
		xmlFree(id);
	} else {
		imp_err(ctx, c->line, "<vpn_connection> has no id attribute; "
		    "the XML is edited");
	}
	for (n = root->children; n; n = n->next) {
		const char *nm = (const char *)n->name;
		char *s;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		/* A connection on a Transit Gateway has its vpn_gateway_id
		 * element, empty: the type decides the prefix limit (100 to
		 * a VGW, 1,000 to a TGW) and ECMP, so an empty one is not
		 * taken for a VGW.  An empty element says nothing else. */
		if (!strcmp(nm, "vpn_gateway_id") ||
		    !strcmp(nm, "transit_gateway_id")) {
			bool tgw = nm[0] == 't';

			if ((s = text(n)) && *s)
				imp_set_val(ctx, &c->gateway, "gateway",
				    tgw ? "tgw" : "vgw", line_no(n));
			else if (!tgw)
				no_vgw_line = line_no(n);
			free(s);
		} else if (!strcmp(nm, "vpn_connection_type") && (s = text(n))) {
			if (strcmp(s, "ipsec.1") != 0)
				imp_err(ctx, line_no(n), "VPN connection type "
				    "\"%s\": cgw supports ipsec.1", s);
			free(s);
		} else if (!strcmp(nm, "ipsec_tunnel"))
			tunnel(ctx, c, n, ++label, &bgp);
	}
	if (!c->gateway.s && no_vgw_line)
		imp_set_val(ctx, &c->gateway, "gateway", "tgw", no_vgw_line);
	c->routing = bgp ? IMP_ROUTING_BGP : IMP_ROUTING_STATIC;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return r;
}

int
imp_xml_import(struct cgw_conf *conf, const char *name, const char *buf,
    size_t len, const struct cgw_import_opts *opts, struct cgw_diag *diag)
{
	struct imp_ctx ctx = { conf, diag, cgw_conf_file(conf, name),
	    CGW_IMPORT_XML, diag->n, NULL, NULL, opts };
	struct imp_conn c;
	int r = -EINVAL;

	imp_conn_init(&c);
	if (imp_xml_parse(&ctx, buf, len, &c) == 0 && imp_build(&ctx, &c))
		r = 1;
	imp_conn_free(&c);
	return r;
}
