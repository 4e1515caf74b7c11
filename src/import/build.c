/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, from neutral description to model
 *
 * Every format parser fills a struct imp_conn with strings and line
 * numbers; imp_build() converts them, checks what AWS guarantees about its
 * own files (two tunnels, a /30 with the customer on .2 and AWS on .1, a
 * pre-shared key AWS could have issued, no documentation placeholders) and
 * appends a cgw_conn_conf to the model.  What a value means for cgw (ranges,
 * P2 < P1, ...) is validate.c's job, which runs after the import.
 *
 * Tunnel order: the tunnel with the numerically lower AWS outside address is
 * tunnel 1, whatever order the file lists them in.  AWS's XML does not keep
 * a stable order and every download is rendered from it, so this is the one
 * rule that gives the same result for the same connection from any format.
 *
 * Values missing from the file keep AWS's defaults (cgw_conn_new()).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

/* The conversion of one tunnel. */
struct tb {
	struct imp_ctx *ctx;
	struct imp_tunnel *it;
	struct cgw_tunnel_conf *t;
	int label;
	bool ok;
};

static const char *
val(struct tb *b, enum imp_field f)
{
	const char *s = b->it->f[f].s;

	return s && *s ? s : NULL;
}

static int
line_of(struct tb *b, enum imp_field f)
{
	return b->it->f[f].s ? b->it->f[f].line : b->it->line;
}

static void __attribute__((format(printf, 3, 4)))
bad(struct tb *b, enum imp_field f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp_err(b->ctx, line_of(b, f), "tunnel %d: %s %s", b->label,
	    imp_field_name(f), msg);
	b->ok = false;
}

static bool
placeholder(struct tb *b, enum imp_field f)
{
	const char *s = val(b, f);

	if (!s || !imp_is_placeholder(s))
		return false;
	if (f == IF_PSK)
		bad(b, f, "%sis a documentation placeholder; use the "
		    "configuration AWS generated for your VPN connection", "");
	else
		bad(b, f, "is a documentation placeholder (\"%s\"); use the "
		    "configuration AWS generated for your VPN connection "
		    "(console: Download configuration)", s);
	return true;
}

static void
get_addr(struct tb *b, enum imp_field f, struct in_addr *out, bool required)
{
	const char *s = val(b, f);

	if (!s) {
		if (required)
			bad(b, f, "is missing%s", "");
		return;
	}
	if (placeholder(b, f))
		return;
	if (cgw_addr4_parse(s, out) < 0)
		bad(b, f, "\"%s\" is not an IPv4 address", s);
}

static void
get_uint(struct tb *b, enum imp_field f, unsigned long max,
    unsigned int *out)
{
	const char *s = val(b, f);
	unsigned long v;

	if (!s || placeholder(b, f))
		return;
	if (imp_parse_uint(s, max, &v) < 0)
		bad(b, f, "\"%s\" is not a number AWS would write", s);
	else
		*out = (unsigned int)v;
}

static void
get_duration(struct tb *b, enum imp_field f, unsigned int *out)
{
	const char *s = val(b, f);
	unsigned long v;

	if (!s || placeholder(b, f))
		return;
	if (imp_parse_duration(s, &v) < 0)
		bad(b, f, "\"%s\" is not a duration (seconds)", s);
	else
		*out = (unsigned int)v;
}

static void
get_dh(struct tb *b, enum imp_field f, unsigned int *out)
{
	const char *s = val(b, f);

	if (!s || placeholder(b, f))
		return;
	if (imp_parse_dh(s, out) < 0 || (f == IF_P1_DH && *out == 0))
		bad(b, f, "\"%s\" is not a Diffie-Hellman group AWS offers "
		    "(2, 5, 14-24)", s);
}

static void
get_encr(struct tb *b, enum imp_field f, enum cgw_encr *out)
{
	const char *s = val(b, f);

	if (s && !placeholder(b, f) && cgw_encr_parse(s, out) < 0)
		bad(b, f, "\"%s\" is not one AWS offers (AES128, AES256, "
		    "AES128-GCM-16, AES256-GCM-16)", s);
}

static void
get_integ(struct tb *b, enum imp_field f, enum cgw_integ *out)
{
	const char *s = val(b, f);

	if (s && !placeholder(b, f) && cgw_integ_parse(s, out) < 0)
		bad(b, f, "\"%s\" is not one AWS offers (SHA1, SHA2-256, "
		    "SHA2-384, SHA2-512)", s);
}

static void
expect_word(struct tb *b, enum imp_field f, const char *want,
    const char *hint)
{
	const char *s = val(b, f);

	if (s && strcasecmp(s, want) != 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "is \"%s\"; AWS only does %s", s,
		    hint);
		bad(b, f, "%s", msg);
	}
}

static void
get_inside(struct tb *b)
{
	struct cgw_tunnel_conf *t = b->t;
	const char *loc = val(b, IF_IN_LOCAL), *rem = val(b, IF_IN_REMOTE);
	const char *lens = val(b, IF_IN_LEN);
	struct cgw_prefix pl = { 0 }, pr = { 0 };
	uint8_t len = 0;
	bool have_len = false;
	uint32_t net, host;
	char buf[CGW_ADDRSTRLEN], a[CGW_ADDRSTRLEN];

	if (!loc && !rem) {
		bad(b, IF_IN_LOCAL, "is missing (the tunnel's inside /30)%s",
		    "");
		return;
	}
	if (lens) {
		unsigned long v;

		if (imp_parse_uint(lens, 32, &v) == 0) {
			len = (uint8_t)v;
			have_len = true;
		} else if (cgw_mask4_parse(lens, &len) == 0) {
			have_len = true;
		} else {
			bad(b, IF_IN_LEN, "\"%s\" is neither a prefix length "
			    "nor a netmask", lens);
			return;
		}
	}
	for (int k = 0; k < 2; k++) {
		enum imp_field f = k ? IF_IN_REMOTE : IF_IN_LOCAL;
		const char *s = k ? rem : loc;
		struct cgw_prefix *p = k ? &pr : &pl;
		char tmp[CGW_ADDRSTRLEN + 8];

		if (!s || placeholder(b, f))
			continue;
		if (strchr(s, '/'))
			snprintf(tmp, sizeof(tmp), "%s", s);
		else
			snprintf(tmp, sizeof(tmp), "%s/%u", s,
			    have_len ? len : 30);
		if (cgw_prefix_parse(tmp, p, true) < 0 ||
		    p->family != AF_INET) {
			bad(b, f, "\"%s\" is not an IPv4 address with its "
			    "prefix", s);
			p->family = 0;
			continue;
		}
		/* cgw_prefix_parse cleared the host part: keep the address. */
		*strchr(tmp, '/') = '\0';
		if (k)
			cgw_addr4_parse(tmp, &t->inside_remote);
		else
			cgw_addr4_parse(tmp, &t->inside_local);
	}
	if (!b->ok)
		return;
	for (int k = 0; k < 2; k++) {
		struct cgw_prefix *p = k ? &pr : &pl;

		if (p->family && p->len != 30) {
			snprintf(a, sizeof(a), "%u", p->len);
			bad(b, k ? IF_IN_REMOTE : IF_IN_LOCAL, "has prefix "
			    "length /%s; AWS inside tunnel networks are /30", a);
			return;
		}
	}
	if (pl.family && pr.family && !cgw_prefix_equal(&pl, &pr)) {
		snprintf(a, sizeof(a), "%s", cgw_prefix_str(&pl, buf));
		bad(b, IF_IN_REMOTE, "is not in the same /30 as the customer "
		    "gateway's (%s)", a);
		return;
	}
	t->inside = pl.family ? pl : pr;
	net = cgw_addr4_host(t->inside.addr.v4);
	if (pl.family && (host = cgw_addr4_host(t->inside_local)) != net + 2) {
		bad(b, IF_IN_LOCAL, "is %s: AWS gives the customer gateway the "
		    "second address of the /30 (.2) and itself the first (.1); "
		    "the file looks edited",
		    cgw_addr4_str(t->inside_local, buf));
		return;
	}
	if (pr.family && cgw_addr4_host(t->inside_remote) != net + 1)
		bad(b, IF_IN_REMOTE, "is %s: AWS's inside address is the "
		    "first address of the /30 (.1); the file looks edited",
		    cgw_addr4_str(t->inside_remote, buf));
}

/* The customer gateway's outside address: from the file, or from the
 * operator (--cgw-outside), which must then agree with the file's. */
static void
get_cgw_outside(struct tb *b)
{
	const struct cgw_import_opts *o = b->ctx->opts;
	const char *s = val(b, IF_CGW_OUT);
	struct in_addr given = { 0 }, in;
	char fa[CGW_ADDRSTRLEN], ga[CGW_ADDRSTRLEN];

	if (o)
		given = o->cgw_outside;
	if (!cgw_addr4_is_set(given)) {
		if (b->ctx->format == CGW_IMPORT_CISCO_ASA && !s)
			/* The ASA template names an interface, never the
			 * address. */
			bad(b, IF_CGW_OUT, "is not in the Cisco ASA download "
			    "(it says 'outside_interface'); cgw needs the "
			    "address AWS knows for this customer gateway (AWS "
			    "console: Customer gateways, IP address): give it "
			    "with --cgw-outside ADDRESS, or import the Generic "
			    "download or `aws ec2 describe-vpn-connections` "
			    "instead");
		else
			get_addr(b, IF_CGW_OUT, &b->t->cgw_outside, true);
		return;
	}
	b->t->cgw_outside = given;
	/* Nothing or a placeholder in the file: the operator's address. */
	if (!s || imp_is_placeholder(s))
		return;
	if (cgw_addr4_parse(s, &in) < 0) {
		bad(b, IF_CGW_OUT, "\"%s\" is not an IPv4 address", s);
		return;
	}
	if (in.s_addr != given.s_addr) {
		cgw_addr4_str(in, fa);
		cgw_addr4_str(given, ga);
		bad(b, IF_CGW_OUT, "is %s in the file, but --cgw-outside says "
		    "%s; AWS knows this customer gateway by the file's address: "
		    "drop --cgw-outside, or check that the file is for this "
		    "customer gateway (a new address needs a new customer "
		    "gateway in AWS, the VPN connection modified to use it, "
		    "and a new download)", fa, ga);
	}
}

static void
get_psk(struct tb *b)
{
	const char *s = val(b, IF_PSK);
	char why[128];

	if (!s) {
		bad(b, IF_PSK, "is missing%s", "");
		return;
	}
	if (placeholder(b, IF_PSK))
		return;
	if (imp_psk_problem(s, why, sizeof(why)) < 0) {
		imp_err(b->ctx, line_of(b, IF_PSK), "pre-shared key of tunnel "
		    "%d %s; AWS requires 8 to 64 letters, digits, '.' or '_', "
		    "not starting with '0' (set one in the AWS console: Modify "
		    "VPN tunnel options, then download again)", b->label, why);
		b->ok = false;
		return;
	}
	b->t->psk = xstrdup(s);
}

static bool
build_tunnel(struct imp_ctx *ctx, struct imp_conn *c, struct imp_tunnel *it,
    struct cgw_tunnel_conf *t, unsigned long *local_asn)
{
	struct tb b = { ctx, it, t, it->label, true };
	unsigned int retries = 0, ikev = 0;
	const char *s;
	char buf[CGW_ADDRSTRLEN];

	t->where.file = ctx->name;
	t->where.line = it->line;
	get_addr(&b, IF_AWS_OUT, &t->aws_outside, true);
	get_cgw_outside(&b);
	get_inside(&b);
	get_psk(&b);
	if ((s = val(&b, IF_IKE_VERSION))) {
		if (!strcasecmp(s, "ikev1") || !strcmp(s, "1"))
			ikev = 1;
		else if (!strcasecmp(s, "ikev2") || !strcmp(s, "2"))
			ikev = 2;
		else
			bad(&b, IF_IKE_VERSION, "\"%s\" is neither IKEv1 nor "
			    "IKEv2", s);
	}
	if ((s = val(&b, IF_P1_MODE))) {
		if (strcasecmp(s, "main") != 0)
			bad(&b, IF_P1_MODE, "is \"%s\"; AWS only does main "
			    "mode", s);
		else if (!ikev)
			ikev = 1;	/* main mode is IKEv1's */
	}
	if (ikev)
		t->ike_version = ikev;
	expect_word(&b, IF_P2_PROTO, "esp", "ESP");
	expect_word(&b, IF_P2_MODE, "tunnel", "tunnel mode");
	get_encr(&b, IF_P1_ENCR, &t->phase1.encr);
	get_integ(&b, IF_P1_INTEG, &t->phase1.integ);
	get_dh(&b, IF_P1_DH, &t->phase1.dh_group);
	get_duration(&b, IF_P1_LIFE, &t->phase1.lifetime);
	get_encr(&b, IF_P2_ENCR, &t->phase2.encr);
	get_integ(&b, IF_P2_INTEG, &t->phase2.integ);
	if (val(&b, IF_P2_ENCR) && !val(&b, IF_P2_INTEG) &&
	    (t->phase2.encr == CGW_ENCR_AES128_GCM16 ||
	    t->phase2.encr == CGW_ENCR_AES256_GCM16))
		t->phase2.integ = CGW_INTEG_NONE;
	get_dh(&b, IF_P2_PFS, &t->phase2.dh_group);
	get_duration(&b, IF_P2_LIFE, &t->phase2.lifetime);
	get_duration(&b, IF_DPD_DELAY, &t->dpd_delay);
	get_uint(&b, IF_DPD_RETRIES, 100, &retries);
	get_duration(&b, IF_DPD_TIMEOUT, &t->dpd_timeout);
	if (!val(&b, IF_DPD_TIMEOUT) && retries && val(&b, IF_DPD_DELAY))
		t->dpd_timeout = t->dpd_delay * retries;
	get_duration(&b, IF_REKEY_MARGIN, &t->rekey_margin);
	get_uint(&b, IF_REKEY_FUZZ, 100000, &t->rekey_fuzz);
	get_uint(&b, IF_REPLAY, 1000000, &t->replay_window);
	get_uint(&b, IF_MTU, 65535, &t->mtu);
	get_uint(&b, IF_MSS, 65535, &t->mss);
	get_uint(&b, IF_AWS_ASN, UINT32_MAX, &t->aws_asn);
	get_uint(&b, IF_HOLD, 65535, &t->bgp_hold);
	if (val(&b, IF_HOLD))
		t->bgp_keepalive = t->bgp_hold / 3;
	get_uint(&b, IF_KEEPALIVE, 65535, &t->bgp_keepalive);
	if ((s = val(&b, IF_LOCAL_ASN)) && !placeholder(&b, IF_LOCAL_ASN)) {
		unsigned long v;

		if (imp_parse_uint(s, UINT32_MAX, &v) < 0 || v == 0)
			bad(&b, IF_LOCAL_ASN, "\"%s\" is not an AS number", s);
		else if (*local_asn && *local_asn != v) {
			snprintf(buf, sizeof(buf), "%lu", *local_asn);
			bad(&b, IF_LOCAL_ASN, "differs from the other "
			    "tunnel's (%s): one customer gateway has one ASN",
			    buf);
		} else
			*local_asn = v;
	}
	if ((s = val(&b, IF_NEXT_HOP)) && b.ok) {
		struct in_addr nh;

		if (cgw_addr4_parse(s, &nh) < 0)
			bad(&b, IF_NEXT_HOP, "\"%s\" is not an IPv4 address",
			    s);
		else if (t->inside.family == AF_INET &&
		    cgw_addr4_host(nh) != cgw_addr4_host(t->inside.addr.v4) + 1)
			bad(&b, IF_NEXT_HOP, "%s is not AWS's inside address "
			    "of this tunnel", s);
	}
	(void)c;
	return b.ok;
}

static int
cmp_aws_outside(const void *a, const void *b)
{
	uint32_t x = cgw_addr4_host(((const struct cgw_tunnel_conf *)a)->
	    aws_outside);
	uint32_t y = cgw_addr4_host(((const struct cgw_tunnel_conf *)b)->
	    aws_outside);

	return x < y ? -1 : x > y;
}

struct cgw_conn_conf *
imp_build(struct imp_ctx *ctx, struct imp_conn *c)
{
	struct cgw_tunnel_conf tun[CGW_TUNNELS];
	struct cgw_conn_conf *conn;
	unsigned long local_asn = 0;
	struct cgw_prefix *routes = NULL;
	size_t n_routes = 0;
	bool ok = true;
	char buf[CGW_ADDRSTRLEN];

	if (!c->id.s) {
		/* The parser said why; go on to report everything else. */
		c->id.s = xstrdup("this connection");
		ok = false;
	} else if (!imp_vpn_id_ok(c->id.s)) {
		imp_err(ctx, c->id.line, "\"%s\" is not a VPN connection id "
		    "(vpn- and 8 or 17 hex digits): use the file AWS "
		    "generated, not an edited copy", c->id.s);
		ok = false;
	}
	if (c->n_tun == 0) {
		imp_err(ctx, c->line, "%s: no IPsec tunnel found", c->id.s);
		return NULL;
	}
	if (c->n_tun == 1) {
		imp_err(ctx, c->tun[0].line, "%s: only one tunnel in this file; "
		    "AWS always gives two and both tunnels must be configured "
		    "(AWS replaces one endpoint at a time during maintenance): "
		    "the second tunnel is missing, download the complete "
		    "configuration", c->id.s);
		return NULL;
	}
	if (c->n_tun > CGW_TUNNELS) {
		imp_err(ctx, c->tun[2].line, "%s: %zu tunnels; an AWS VPN "
		    "connection has exactly two", c->id.s, c->n_tun);
		return NULL;
	}
	for (int i = 0; i < CGW_TUNNELS; i++) {
		if (!c->tun[i].label)
			c->tun[i].label = i + 1;
		cgw_tunnel_defaults(&tun[i], i + 1);
		if (!build_tunnel(ctx, c, &c->tun[i], &tun[i], &local_asn))
			ok = false;
	}
	if (cgw_addr4_is_set(tun[0].aws_outside) &&
	    tun[0].aws_outside.s_addr == tun[1].aws_outside.s_addr) {
		imp_err(ctx, c->tun[1].f[IF_AWS_OUT].line, "both tunnels have "
		    "the AWS outside address %s; AWS gives each tunnel its own "
		    "endpoint", cgw_addr4_str(tun[0].aws_outside, buf));
		ok = false;
	}
	if (tun[0].inside.family &&
	    cgw_prefix_equal(&tun[0].inside, &tun[1].inside)) {
		imp_err(ctx, c->tun[1].f[IF_IN_LOCAL].line, "both tunnels use "
		    "the inside network %s; AWS gives each tunnel its own /30",
		    cgw_prefix_str(&tun[0].inside, buf));
		ok = false;
	}
	for (size_t i = 0; i < c->n_routes; i++) {
		struct cgw_prefix p;

		if (imp_is_placeholder(c->routes[i].s))
			continue;	/* "<VPC CIDR>": the user's to fill */
		if (cgw_prefix_parse(c->routes[i].s, &p, false) < 0) {
			imp_err(ctx, c->routes[i].line, "static route \"%s\" is "
			    "not a prefix (a.b.c.d/len)", c->routes[i].s);
			ok = false;
			continue;
		}
		routes = xreallocarray(routes, n_routes + 1, sizeof(*routes));
		routes[n_routes++] = p;
	}
	if (c->gateway.s && strcmp(c->gateway.s, "vgw") &&
	    strcmp(c->gateway.s, "tgw")) {
		imp_err(ctx, c->gateway.line, "unknown gateway type \"%s\"",
		    c->gateway.s);
		ok = false;
	}
	if (ok) {
		qsort(tun, CGW_TUNNELS, sizeof(tun[0]), cmp_aws_outside);
		if (ctx->hook)
			ctx->hook(ctx, tun, ctx->hook_arg);
	}
	if (!ok || ctx->diag->n != ctx->errs_at) {
		for (int i = 0; i < CGW_TUNNELS; i++)
			if (tun[i].psk) {
				explicit_bzero(tun[i].psk, strlen(tun[i].psk));
				free(tun[i].psk);
			}
		free(routes);
		return NULL;
	}
	conn = cgw_conn_new(ctx->conf, c->id.s,
	    (struct cgw_where){ ctx->name, c->id.line ? c->id.line : c->line });
	for (int i = 0; i < CGW_TUNNELS; i++) {
		tun[i].index = (unsigned int)i + 1;
		conn->tunnel[i] = tun[i];
	}
	conn->gateway = c->gateway.s && !strcmp(c->gateway.s, "tgw") ?
	    CGW_GW_TGW : CGW_GW_VGW;
	conn->routing = c->routing == IMP_ROUTING_STATIC ? CGW_ROUTING_STATIC :
	    CGW_ROUTING_BGP;
	conn->local_asn = (uint32_t)local_asn;
	for (size_t i = 0; i < n_routes; i++)
		cgw_conn_add_static_route(conn, &routes[i]);
	free(routes);
	cgw_conn_derive(ctx->conf, conn);
	/* The box's local address is the box's business (NAT): derived when
	 * the written file is loaded, not pinned here. */
	for (int i = 0; i < CGW_TUNNELS; i++)
		conn->tunnel[i].local_address.s_addr = 0;
	return conn;
}
