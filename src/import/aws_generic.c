/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, AWS "Generic" download
 *
 * The Generic download is prose with "- Key : value" lines.  A line
 * "IPsec Tunnel #N" starts tunnel N (seen again later, it continues it, so
 * reordered sections merge); numbered headings ("#1: Internet Key
 * Exchange", "#2: IPsec Configuration", "#3: Tunnel Interface", "#4:
 * Border Gateway Protocol" or "#4: Static Routing") and the "Outside IP
 * Addresses" / "Inside IP Addresses" lines give the context that tells the
 * two "Lifetime"s or "Customer Gateway"s apart.  Headings are recognised by
 * their words, not their numbers or order; key spelling is compared
 * case-insensitively with blanks collapsed; unknown keys are ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"

enum ctx_kind { K_NONE, K_IKE, K_IPSEC, K_IFACE, K_BGP, K_STATIC };
enum sub_kind { S_NONE, S_OUTSIDE, S_INSIDE };

static void
strip_unit(char *v, const char *unit)
{
	size_t n = strlen(v), u = strlen(unit);

	if (n > u && strcasecmp(v + n - u, unit) == 0) {
		v[n - u] = '\0';
		imp_trim(v);
	}
}

static bool
is_aws_side(const char *key, struct imp_conn *c, struct imp_ctx *ctx,
    int line)
{
	if (strcmp(key, "virtual private gateway") == 0)
		return true;
	if (strcmp(key, "transit gateway") == 0) {
		imp_set_val(ctx, &c->gateway, "gateway", "tgw", line);
		return true;
	}
	return false;
}

static void
tunnel_kv(struct imp_ctx *ctx, struct imp_conn *c, struct imp_tunnel *t,
    enum ctx_kind k, enum sub_kind sub, const char *key, char *v, int line)
{
	bool p1 = k == K_IKE, p2 = k == K_IPSEC;

	if (!strcmp(key, "pre-shared key"))
		imp_set(ctx, t, IF_PSK, v, line);
	else if (!strcmp(key, "ike version"))
		imp_set(ctx, t, IF_IKE_VERSION, v, line);
	else if (!strcmp(key, "authentication method")) {
		if (strcasecmp(v, "pre-shared key") != 0)
			imp_err(ctx, line, "tunnel %d: authentication method "
			    "\"%s\": cgw supports pre-shared keys only",
			    t->label, v);
	} else if (!strcmp(key, "phase 1 negotiation mode"))
		imp_set(ctx, t, IF_P1_MODE, v, line);
	else if ((p1 || p2) && !strcmp(key, "authentication algorithm"))
		imp_set(ctx, t, p1 ? IF_P1_INTEG : IF_P2_INTEG, v, line);
	else if ((p1 || p2) && !strcmp(key, "encryption algorithm"))
		imp_set(ctx, t, p1 ? IF_P1_ENCR : IF_P2_ENCR, v, line);
	else if ((p1 || p2) && !strcmp(key, "lifetime"))
		imp_set(ctx, t, p1 ? IF_P1_LIFE : IF_P2_LIFE, v, line);
	else if (p1 && !strcmp(key, "diffie-hellman"))
		imp_set(ctx, t, IF_P1_DH, v, line);
	else if (!strcmp(key, "perfect forward secrecy"))
		imp_set(ctx, t, IF_P2_PFS, v, line);
	else if (p2 && !strcmp(key, "protocol"))
		imp_set(ctx, t, IF_P2_PROTO, v, line);
	else if (p2 && !strcmp(key, "mode"))
		imp_set(ctx, t, IF_P2_MODE, v, line);
	else if (!strcmp(key, "dpd interval"))
		imp_set(ctx, t, IF_DPD_DELAY, v, line);
	else if (!strcmp(key, "dpd retries"))
		imp_set(ctx, t, IF_DPD_RETRIES, v, line);
	else if (!strcmp(key, "tcp mss adjustment")) {
		strip_unit(v, "bytes");
		imp_set(ctx, t, IF_MSS, v, line);
	} else if (!strcmp(key, "tunnel interface mtu")) {
		strip_unit(v, "bytes");
		imp_set(ctx, t, IF_MTU, v, line);
	} else if (k == K_IFACE && sub != S_NONE &&
	    !strcmp(key, "customer gateway")) {
		imp_set(ctx, t, sub == S_OUTSIDE ? IF_CGW_OUT : IF_IN_LOCAL, v,
		    line);
	} else if (k == K_IFACE && sub != S_NONE &&
	    is_aws_side(key, c, ctx, line)) {
		imp_set(ctx, t, sub == S_OUTSIDE ? IF_AWS_OUT : IF_IN_REMOTE, v,
		    line);
	} else if (!strcmp(key, "customer gateway asn"))
		imp_set(ctx, t, IF_LOCAL_ASN, v, line);
	else if (!strcmp(key, "virtual private gateway asn") ||
	    !strcmp(key, "transit gateway asn"))
		imp_set(ctx, t, IF_AWS_ASN, v, line);
	else if (!strcmp(key, "neighbor ip address") || !strcmp(key, "next hop"))
		imp_set(ctx, t, IF_NEXT_HOP, v, line);
	else if (!strcmp(key, "neighbor hold time")) {
		strip_unit(v, "seconds");
		imp_set(ctx, t, IF_HOLD, v, line);
	}
}

int
imp_generic_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c)
{
	struct imp_tunnel *t = NULL;
	enum ctx_kind k = K_NONE;
	enum sub_kind sub = S_NONE;
	bool bgp = false, stat = false;
	int bgp_line = 0, stat_line = 0;

	for (int i = 0; i < ls->n; i++) {
		const char *p = imp_skip_ws(ls->l[i]), *q;
		char key[96], v[256];
		int line = i + 1;

		if ((q = imp_prefix(p, "IPsec Tunnel #"))) {
			char label[16];
			unsigned long n;

			snprintf(label, sizeof(label), "#%.8s", q);
			if (imp_parse_uint(q, 99, &n) < 0 || n == 0) {
				imp_err(ctx, line, "\"%s\": expected a tunnel "
				    "number (IPsec Tunnel #1 or #2)", p);
				continue;
			}
			t = imp_conn_tunnel(c, line, (int)n, label);
			k = K_NONE;
			sub = S_NONE;
			continue;
		}
		if (p[0] == '#' && p[1] >= '0' && p[1] <= '9' &&
		    strchr(p, ':')) {
			sub = S_NONE;
			if (imp_contains(p, "Internet Key Exchange"))
				k = K_IKE;
			else if (imp_contains(p, "IPsec Configuration"))
				k = K_IPSEC;
			else if (imp_contains(p, "Tunnel Interface"))
				k = K_IFACE;
			else if (imp_contains(p, "Border Gateway Protocol")) {
				k = K_BGP;
				if (!bgp)
					bgp_line = line;
				bgp = true;
			} else if (imp_contains(p, "Static Routing")) {
				k = K_STATIC;
				if (!stat)
					stat_line = line;
				stat = true;
			} else
				k = K_NONE;
			continue;
		}
		if (imp_prefix(p, "Outside IP Addresses")) {
			sub = S_OUTSIDE;
			continue;
		}
		if (imp_prefix(p, "Inside IP Addresses")) {
			sub = S_INSIDE;
			continue;
		}
		if (*p != '-' || !t ||
		    !imp_key_value(p, key, sizeof(key), v, sizeof(v)))
			continue;
		tunnel_kv(ctx, c, t, k, sub, key, v, line);
	}
	if (bgp && stat) {
		imp_err(ctx, stat_line, "the file has both BGP (line %d) and "
		    "static routing sections; a VPN connection has one or the "
		    "other", bgp_line);
		return -EINVAL;
	}
	c->routing = stat ? IMP_ROUTING_STATIC : IMP_ROUTING_BGP;
	if (!bgp && !stat && c->n_tun)
		imp_err(ctx, c->tun[0].line, "no \"Border Gateway Protocol\" "
		    "nor \"Static Routing\" section: cannot tell how routes are "
		    "exchanged; download the complete Generic configuration");
	return 0;
}
