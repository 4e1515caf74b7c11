/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, `aws ec2 describe-vpn-connections` JSON
 *
 * Accepts {"VpnConnections": [...]}, {"VpnConnection": {...}}, a bare
 * connection object, or an array of them.  Per connection: the embedded
 * CustomerGatewayConfiguration XML gives addresses, inside /30s, ASNs, MSS
 * (aws_xml.c); Options.TunnelOptions, matched to the XML's tunnels by
 * OutsideIpAddress, then replaces what the XML only has legacy sample
 * values for: lifetimes, algorithms, DH groups, IKE version, DPD timeout,
 * rekey margin and fuzz, replay window, and the pre-shared key.
 *
 * json-c gives no line numbers: problems are reported with their JSON path
 * (VpnConnections[0].Options.TunnelOptions[1].Phase1LifetimeSeconds), and
 * problems in the embedded XML with the line within the XML string.  The
 * cgw_where of a connection and its tunnels is the line where the id and
 * the outside address first appear as JSON strings.
 *
 * One proposal per phase (AWS picks the lowest it has configured whatever
 * our order, so cgw offers exactly one).  From the values AWS permits on
 * the tunnel (an empty or absent list means AWS's default: all):
 *   encryption  AES256-GCM-16 > AES128-GCM-16 > AES256 > AES128
 *               (no GCM for an IKEv1 phase 1: IKEv1 has no AEAD for IKE)
 *   integrity   SHA2-256 > SHA2-384 > SHA2-512 > SHA1 (all SHA-2 are
 *               strong; 256 has the smallest ICV, i.e. the largest MTU);
 *               phase 2 with GCM: none; phase 1 with GCM: used as PRF
 *   DH / PFS    20 > 19 > 21 (ECP) > 16 > 15 > 14 > 18 > 17 (MODP, the
 *               huge ones are slow) > 24 > 23 > 22 (RFC 5114, distrusted)
 *               > 5 > 2 (too small, only if nothing else is allowed)
 *   IKE         IKEv2 if allowed, else IKEv1
 * DpdTimeoutAction and StartupAction are what *AWS* does; they are checked
 * but do not change cgw's own behaviour (cgw always initiates and restarts:
 * that is right whatever AWS does).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

struct jconn {
	struct imp_ctx *ctx;		/* ctx->name is the JSON file */
	const char *path;		/* "VpnConnections[0]" or "" */
	json_object *topts;		/* Options.TunnelOptions, or NULL */
	const char *buf;
	size_t len;
	size_t id_off;
	int id_line;
};

static void __attribute__((format(printf, 3, 4)))
jerr(struct imp_ctx *ctx, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cgw_diag_add(ctx->diag, ctx->name, 0, "%s%s%s", path,
	    *path ? ": " : "", msg);
}

/* Line of the first "needle" (quoted) at or after *off; moves *off. */
static int
line_of(const char *buf, size_t len, const char *needle, size_t *off)
{
	char q[128];
	size_t n = (size_t)snprintf(q, sizeof(q), "\"%s\"", needle);
	int line = 1;

	if (n >= sizeof(q))
		return 0;
	for (size_t i = *off; i + n <= len; i++)
		if (memcmp(buf + i, q, n) == 0) {
			for (size_t k = 0; k < i; k++)
				line += buf[k] == '\n';
			*off = i;
			return line;
		}
	return 0;
}

static json_object *
get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

static const char *
get_str(struct imp_ctx *ctx, const char *path, json_object *o,
    const char *key)
{
	json_object *v = get(o, key);

	if (!v)
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		jerr(ctx, path, "%s: expected a string", key);
		return NULL;
	}
	return json_object_get_string(v);
}

/* A non-negative integer field; false when absent or wrong. */
static bool
get_uint(struct imp_ctx *ctx, const char *path, json_object *o,
    const char *key, unsigned int *out)
{
	json_object *v = get(o, key);
	int64_t x;

	if (!v)
		return false;
	if (!json_object_is_type(v, json_type_int)) {
		jerr(ctx, path, "%s: expected a number", key);
		return false;
	}
	x = json_object_get_int64(v);
	if (x < 0 || x > INT_MAX) {
		jerr(ctx, path, "%s: %lld is out of range", key, (long long)x);
		return false;
	}
	*out = (unsigned int)x;
	return true;
}

/* The "Value"s of a [{"Value": x}] list (bare values accepted too). */
static size_t
values(json_object *o, const char *key, json_object **out, size_t max)
{
	json_object *l = get(o, key);
	size_t n = 0, len;

	if (!l || !json_object_is_type(l, json_type_array))
		return 0;
	len = json_object_array_length(l);
	for (size_t i = 0; i < len && n < max; i++) {
		json_object *e = json_object_array_get_idx(l, i), *v;

		v = json_object_is_type(e, json_type_object) ? get(e, "Value") :
		    e;
		if (v)
			out[n++] = v;
	}
	return n;
}

static const enum cgw_encr encr_pref[] = { CGW_ENCR_AES256_GCM16,
    CGW_ENCR_AES128_GCM16, CGW_ENCR_AES256, CGW_ENCR_AES128 };
static const enum cgw_integ integ_pref[] = { CGW_INTEG_SHA256,
    CGW_INTEG_SHA384, CGW_INTEG_SHA512, CGW_INTEG_SHA1 };
static const unsigned int dh_pref[] = { 20, 19, 21, 16, 15, 14, 18, 17, 24,
    23, 22, 5, 2 };

static bool
gcm(enum cgw_encr e)
{
	return e == CGW_ENCR_AES128_GCM16 || e == CGW_ENCR_AES256_GCM16;
}

/* Which of the preferences the list allows: a bit per preference index. */
static unsigned int
allowed(struct imp_ctx *ctx, const char *path, json_object *o,
    const char *key, int kind, int phase)
{
	json_object *v[32];
	size_t n = values(o, key, v, 32);
	unsigned int mask = 0;

	if (n == 0)
		return ~0u;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(v[i]);
		bool known = false;

		for (size_t k = 0; k < 13; k++) {
			enum cgw_encr e;
			enum cgw_integ g;
			bool hit;

			if (kind == 0)
				hit = k < 4 && cgw_encr_parse(s, &e) == 0 &&
				    e == encr_pref[k];
			else if (kind == 1)
				hit = k < 4 && cgw_integ_parse(s, &g) == 0 &&
				    g == integ_pref[k];
			else
				hit = json_object_get_int64(v[i]) ==
				    dh_pref[k] && (phase == 2 || dh_pref[k] != 5);
			if (hit) {
				mask |= 1u << k;
				known = true;
			}
		}
		if (!known)
			jerr(ctx, path, "%s: \"%s\" is not a value AWS allows "
			    "in phase %d", key, s, phase);
	}
	return mask;
}

static void
choose(struct imp_ctx *ctx, const char *path, json_object *to, int phase,
    struct cgw_tunnel_conf *t)
{
	struct cgw_proposal *p = phase == 1 ? &t->phase1 : &t->phase2;
	char k_encr[32], k_integ[32], k_dh[32];
	unsigned int m;
	size_t i;

	snprintf(k_encr, sizeof(k_encr), "Phase%dEncryptionAlgorithms", phase);
	snprintf(k_integ, sizeof(k_integ), "Phase%dIntegrityAlgorithms", phase);
	snprintf(k_dh, sizeof(k_dh), "Phase%dDHGroupNumbers", phase);
	m = allowed(ctx, path, to, k_encr, 0, phase);
	for (i = 0; i < 4; i++)
		if ((m & (1u << i)) && !(phase == 1 && t->ike_version == 1 &&
		    gcm(encr_pref[i])))
			break;
	if (i == 4)
		jerr(ctx, path, "%s: none usable%s", k_encr, phase == 1 &&
		    t->ike_version == 1 ? " with IKEv1 (AES-GCM needs IKEv2)" :
		    "");
	else
		p->encr = encr_pref[i];
	m = allowed(ctx, path, to, k_integ, 1, phase);
	if (phase == 2 && gcm(p->encr)) {
		p->integ = CGW_INTEG_NONE;
	} else {
		for (i = 0; i < 4 && !(m & (1u << i)); i++)
			;
		if (i == 4)
			jerr(ctx, path, "%s: none usable", k_integ);
		else
			p->integ = integ_pref[i];
	}
	m = allowed(ctx, path, to, k_dh, 2, phase);
	for (i = 0; i < 13; i++)
		if ((m & (1u << i)) && (phase == 2 || dh_pref[i] != 5))
			break;
	if (i == 13)
		jerr(ctx, path, "%s: none usable", k_dh);
	else
		p->dh_group = dh_pref[i];
}

static void
overlay(struct imp_ctx *ctx, const char *path, json_object *to,
    struct cgw_tunnel_conf *t)
{
	json_object *v[8];
	size_t n = values(to, "IkeVersions", v, 8);
	const char *s;
	char why[128], buf[CGW_ADDRSTRLEN];
	struct cgw_prefix p;
	int ikev = n ? 0 : 2;

	for (size_t i = 0; i < n; i++) {
		s = json_object_get_string(v[i]);
		if (!strcasecmp(s, "ikev2"))
			ikev = 2;
		else if (!strcasecmp(s, "ikev1") && !ikev)
			ikev = 1;
		else if (strcasecmp(s, "ikev1"))
			jerr(ctx, path, "IkeVersions: \"%s\" is neither ikev1 "
			    "nor ikev2", s);
	}
	if (ikev)
		t->ike_version = (unsigned int)ikev;
	if ((s = get_str(ctx, path, to, "TunnelInsideCidr"))) {
		if (cgw_prefix_parse(s, &p, false) < 0)
			jerr(ctx, path, "TunnelInsideCidr: \"%s\" is not a "
			    "prefix", s);
		else if (!cgw_prefix_equal(&p, &t->inside))
			jerr(ctx, path, "TunnelInsideCidr: %s differs from "
			    "the XML's inside network %s for this tunnel", s,
			    cgw_prefix_str(&t->inside, buf));
	}
	if (get_str(ctx, path, to, "TunnelInsideIpv6Cidr"))
		jerr(ctx, path, "TunnelInsideIpv6Cidr: cgw supports IPv4 "
		    "inside tunnels only");
	if ((s = get_str(ctx, path, to, "PreSharedKey"))) {
		if (imp_psk_problem(s, why, sizeof(why)) < 0) {
			jerr(ctx, path, "PreSharedKey: pre-shared key of tunnel "
			    "%u %s; AWS requires 8 to 64 letters, digits, '.' "
			    "or '_', not starting with '0'", t->index, why);
		} else {
			if (t->psk) {
				explicit_bzero(t->psk, strlen(t->psk));
				free(t->psk);
			}
			t->psk = xstrdup(s);
		}
	}
	get_uint(ctx, path, to, "Phase1LifetimeSeconds", &t->phase1.lifetime);
	get_uint(ctx, path, to, "Phase2LifetimeSeconds", &t->phase2.lifetime);
	get_uint(ctx, path, to, "RekeyMarginTimeSeconds", &t->rekey_margin);
	get_uint(ctx, path, to, "RekeyFuzzPercentage", &t->rekey_fuzz);
	get_uint(ctx, path, to, "ReplayWindowSize", &t->replay_window);
	get_uint(ctx, path, to, "DpdTimeoutSeconds", &t->dpd_timeout);
	if ((s = get_str(ctx, path, to, "DpdTimeoutAction"))) {
		enum cgw_dpd_action a;

		if (cgw_dpd_action_parse(s, &a) < 0)
			jerr(ctx, path, "DpdTimeoutAction: \"%s\" is not "
			    "clear, none or restart", s);
	}
	if ((s = get_str(ctx, path, to, "StartupAction")) &&
	    strcasecmp(s, "add") && strcasecmp(s, "start"))
		jerr(ctx, path, "StartupAction: \"%s\" is neither add nor "
		    "start", s);
	choose(ctx, path, to, 1, t);
	choose(ctx, path, to, 2, t);
}

/* imp_build() hook: TunnelOptions onto the two tunnels from the XML. */
static void
hook(struct imp_ctx *xctx, struct cgw_tunnel_conf *tun, void *arg)
{
	struct jconn *j = arg;
	struct imp_ctx *ctx = j->ctx;
	size_t n = j->topts ? json_object_array_length(j->topts) : 0;
	bool seen[CGW_TUNNELS] = { false, false };
	char path[256], buf[CGW_ADDRSTRLEN];

	(void)xctx;
	for (size_t i = 0; i < n; i++) {
		json_object *to = json_object_array_get_idx(j->topts, i);
		const char *ip;
		struct in_addr a;
		int k;

		snprintf(path, sizeof(path), "%s%sOptions.TunnelOptions[%zu]",
		    j->path, *j->path ? "." : "", i);
		if (!(ip = get_str(ctx, path, to, "OutsideIpAddress"))) {
			jerr(ctx, path, "no OutsideIpAddress");
			continue;
		}
		if (cgw_addr4_parse(ip, &a) < 0) {
			jerr(ctx, path, "OutsideIpAddress: \"%s\" is not an "
			    "IPv4 address", ip);
			continue;
		}
		for (k = 0; k < CGW_TUNNELS; k++)
			if (tun[k].aws_outside.s_addr == a.s_addr)
				break;
		if (k == CGW_TUNNELS || seen[k]) {
			jerr(ctx, path, "OutsideIpAddress: %s is %s", ip,
			    k == CGW_TUNNELS ? "not a tunnel of the "
			    "CustomerGatewayConfiguration XML" : "listed twice");
			continue;
		}
		seen[k] = true;
		overlay(ctx, path, to, &tun[k]);
	}
	for (int k = 0; k < CGW_TUNNELS; k++) {
		size_t off = j->id_off;
		int line;

		cgw_addr4_str(tun[k].aws_outside, buf);
		if (n && !seen[k])
			jerr(ctx, j->path, "Options.TunnelOptions: no entry for "
			    "the tunnel to %s", buf);
		line = line_of(j->buf, j->len, buf, &off);
		tun[k].where.file = ctx->name;
		tun[k].where.line = line ? line : j->id_line;
	}
}

static void
import_one(struct imp_ctx *ctx, json_object *o, const char *path,
    const char *buf, size_t len)
{
	struct jconn j = { ctx, path, NULL, buf, len, 0, 0 };
	struct imp_ctx xctx = *ctx;
	struct imp_conn c;
	struct cgw_conn_conf *conn;
	json_object *opts, *x;
	const char *id, *s;
	char xname[512];
	bool tgw;

	ctx->errs_at = ctx->diag->n;
	if (!json_object_is_type(o, json_type_object)) {
		jerr(ctx, path, "expected a VPN connection object");
		return;
	}
	if (!(id = get_str(ctx, path, o, "VpnConnectionId"))) {
		jerr(ctx, path, "no VpnConnectionId: not a VPN connection "
		    "from `aws ec2 describe-vpn-connections`");
		return;
	}
	j.id_line = line_of(buf, len, id, &j.id_off);
	if ((s = get_str(ctx, path, o, "State")) &&
	    (!strcmp(s, "deleted") || !strcmp(s, "deleting"))) {
		jerr(ctx, path, "%s is %s: import only live connections (aws "
		    "ec2 describe-vpn-connections --filters "
		    "Name=state,Values=available,pending)", id, s);
		return;
	}
	if ((s = get_str(ctx, path, o, "Type")) && strcmp(s, "ipsec.1"))
		jerr(ctx, path, "Type: \"%s\": cgw supports ipsec.1", s);
	if (!(x = get(o, "CustomerGatewayConfiguration")) ||
	    !json_object_is_type(x, json_type_string)) {
		jerr(ctx, path, "%s has no CustomerGatewayConfiguration (AWS "
		    "includes it while the connection is pending or "
		    "available); run describe-vpn-connections again", id);
		return;
	}
	opts = get(o, "Options");
	if ((j.topts = get(opts, "TunnelOptions")) &&
	    !json_object_is_type(j.topts, json_type_array)) {
		jerr(ctx, path, "Options.TunnelOptions: expected a list");
		j.topts = NULL;
	}
	/* The XML is the only source of outside/inside addresses and ASNs. */
	snprintf(xname, sizeof(xname), "%s: %s%sCustomerGatewayConfiguration",
	    ctx->name, path, *path ? "." : "");
	xctx.name = xname;
	xctx.errs_at = ctx->errs_at;
	xctx.hook = hook;
	xctx.hook_arg = &j;
	imp_conn_init(&c);
	if (imp_xml_parse(&xctx, json_object_get_string(x),
	    (size_t)json_object_get_string_len(x), &c) < 0)
		goto out;
	if (c.id.s && strcmp(c.id.s, id)) {
		jerr(ctx, path, "VpnConnectionId %s differs from the id in "
		    "its CustomerGatewayConfiguration (%s)", id, c.id.s);
		goto out;
	}
	tgw = get_str(ctx, path, o, "TransitGatewayId") ||
	    get_str(ctx, path, o, "CoreNetworkArn");
	free(c.gateway.s);
	c.gateway.s = xstrdup(tgw ? "tgw" : "vgw");
	if ((x = get(opts, "StaticRoutesOnly")))
		c.routing = json_object_get_boolean(x) ? IMP_ROUTING_STATIC :
		    IMP_ROUTING_BGP;
	if ((s = get_str(ctx, path, opts, "TunnelInsideIpVersion")) &&
	    strcmp(s, "ipv4"))
		jerr(ctx, path, "Options.TunnelInsideIpVersion: \"%s\": cgw "
		    "supports IPv4 inside tunnels only", s);
	/* Routes (static routing) are the on-prem prefixes AWS sends into
	 * the VPN, not what cgw routes: the VPC prefixes come from the
	 * operator (cgwctl import -r). */
	if ((conn = imp_build(&xctx, &c))) {
		conn->where.file = ctx->name;
		conn->where.line = j.id_line;
	}
out:
	imp_conn_free(&c);
}

int
imp_json_import(struct cgw_conf *conf, const char *name, const char *buf,
    size_t len, const struct cgw_import_opts *opts, struct cgw_diag *diag)
{
	struct imp_ctx ctx = { conf, diag, cgw_conf_file(conf, name),
	    CGW_IMPORT_JSON, diag->n, NULL, NULL, opts };
	struct json_tokener *tok;
	json_object *root, *list, *one;
	enum json_tokener_error je;
	size_t end, before = diag->n;
	int added = 0, had = 0;

	if (len > INT_MAX) {
		imp_err(&ctx, 0, "JSON too large");
		return -EFBIG;
	}
	for (struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		had++;
	if (!(tok = json_tokener_new_ex(32)))
		xoom();
	root = json_tokener_parse_ex(tok, buf, (int)len);
	je = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (je == json_tokener_success)
		for (size_t i = end; i < len; i++)
			if (!strchr(" \t\r\n", buf[i])) {
				je = json_tokener_error_parse_unexpected;
				end = i;
				break;
			}
	json_tokener_free(tok);
	if (je != json_tokener_success) {
		int line = 1;

		for (size_t i = 0; i < end && i < len; i++)
			line += buf[i] == '\n';
		imp_err(&ctx, line, "JSON: %s", je == json_tokener_continue ?
		    "the file ends in the middle (truncated?)" :
		    json_tokener_error_desc(je));
		json_object_put(root);
		return -EINVAL;
	}
	if ((list = get(root, "VpnConnections"))) {
		size_t n;
		char path[64];

		if (!json_object_is_type(list, json_type_array) ||
		    (n = json_object_array_length(list)) == 0) {
			imp_err(&ctx, 0, "VpnConnections: no VPN connection in "
			    "the file");
		} else {
			for (size_t i = 0; i < n; i++) {
				snprintf(path, sizeof(path),
				    "VpnConnections[%zu]", i);
				import_one(&ctx, json_object_array_get_idx(list,
				    i), path, buf, len);
			}
		}
	} else if ((one = get(root, "VpnConnection"))) {
		import_one(&ctx, one, "VpnConnection", buf, len);
	} else if (json_object_is_type(root, json_type_array) &&
	    json_object_array_length(root) > 0) {
		char path[64];

		for (size_t i = 0; i < json_object_array_length(root); i++) {
			snprintf(path, sizeof(path), "[%zu]", i);
			import_one(&ctx, json_object_array_get_idx(root, i),
			    path, buf, len);
		}
	} else if (get(root, "VpnConnectionId")) {
		import_one(&ctx, root, "", buf, len);
	} else {
		imp_err(&ctx, 0, "JSON without VpnConnections: expected the "
		    "output of `aws ec2 describe-vpn-connections`");
	}
	json_object_put(root);
	for (struct cgw_conn_conf *c = conf->conns; c; c = c->next)
		added++;
	added -= had;
	if (!added && diag->n == before)
		imp_err(&ctx, 0, "nothing imported");
	return added ? added : -EINVAL;
}
