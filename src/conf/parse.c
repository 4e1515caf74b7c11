/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw.conf parser
 *
 * Gives the statement tree from lexer.c its meaning.  The grammar is data:
 * one table of settings per block, each naming its keyword, the kind of
 * value and where in the model it goes.  Lines with several keyword/value
 * pairs ("phase1 encryption aes128 integrity sha256 ...") use a sub-table.
 * The parser checks syntax only (is it a number, an address, a known
 * name); ranges and cross-field rules are validate.c's.  Every error is
 * collected, none stops the parse.
 */
#include "conf/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/lexer.h"
#include "lib/xalloc.h"

#define MAX_INCLUDE_DEPTH 4
#define MAX_FILE_SIZE (4 << 20)

enum kind {
	K_UINT,		/* unsigned int */
	K_U32,		/* uint32_t (ASNs) */
	K_ADDR4,	/* struct in_addr */
	K_PREFIX,	/* struct cgw_prefix */
	K_STRING,	/* char *, owned */
	K_IFNAME,	/* char[CGW_IFNAMSIZ] */
	K_ENCR, K_INTEG, K_DPD_ACTION, K_STARTUP, K_ROUTING, K_GATEWAY,
	K_GROUP,	/* unsigned int DH group, "none" = 0 */
	K_ENCAP,	/* bool force_encap: "auto" or "udp" */
	K_ONOFF,	/* bool: "on" or "off" */
	K_PAIRS,	/* keyword/value pairs from a sub-table */
};

struct setting {
	const char *kw;
	enum kind kind;
	size_t off;
	const struct setting *sub;	/* K_PAIRS */
	const char *expect;		/* for "expected ..." in errors */
};

#define T(f) offsetof(struct cgw_tunnel_conf, f)
#define END { NULL, 0, 0, NULL, NULL }

static const struct setting phase1_pairs[] = {
	{ "encryption", K_ENCR, T(phase1.encr), NULL, NULL },
	{ "integrity", K_INTEG, T(phase1.integ), NULL, NULL },
	{ "dh-group", K_GROUP, T(phase1.dh_group), NULL, NULL },
	{ "lifetime", K_UINT, T(phase1.lifetime), NULL, "seconds" },
	END
};
static const struct setting phase2_pairs[] = {
	{ "encryption", K_ENCR, T(phase2.encr), NULL, NULL },
	{ "integrity", K_INTEG, T(phase2.integ), NULL, NULL },
	{ "pfs-group", K_GROUP, T(phase2.dh_group), NULL, NULL },
	{ "lifetime", K_UINT, T(phase2.lifetime), NULL, "seconds" },
	END
};
static const struct setting rekey_pairs[] = {
	{ "margin", K_UINT, T(rekey_margin), NULL, "seconds" },
	{ "fuzz", K_UINT, T(rekey_fuzz), NULL, "a percentage" },
	END
};
static const struct setting dpd_pairs[] = {
	{ "delay", K_UINT, T(dpd_delay), NULL, "seconds" },
	{ "timeout", K_UINT, T(dpd_timeout), NULL, "seconds" },
	{ "action", K_DPD_ACTION, T(dpd_action), NULL, NULL },
	END
};
static const struct setting bgp_pairs[] = {
	{ "remote-asn", K_U32, T(aws_asn), NULL, "an AS number" },
	{ "keepalive", K_UINT, T(bgp_keepalive), NULL, "seconds" },
	{ "hold", K_UINT, T(bgp_hold), NULL, "seconds" },
	END
};

static const struct setting tunnel_settings[] = {
	{ "interface", K_IFNAME, T(ifname), NULL, NULL },
	{ "aws-outside", K_ADDR4, T(aws_outside), NULL, NULL },
	{ "cgw-outside", K_ADDR4, T(cgw_outside), NULL, NULL },
	{ "local-address", K_ADDR4, T(local_address), NULL, NULL },
	{ "local-id", K_STRING, T(local_id), NULL, NULL },
	{ "inside", K_PREFIX, T(inside), NULL, NULL },
	{ "inside-local", K_ADDR4, T(inside_local), NULL, NULL },
	{ "inside-remote", K_ADDR4, T(inside_remote), NULL, NULL },
	{ "psk", K_STRING, T(psk), NULL, NULL },
	{ "ike-version", K_UINT, T(ike_version), NULL, "1 or 2" },
	{ "phase1", K_PAIRS, 0, phase1_pairs, NULL },
	{ "phase2", K_PAIRS, 0, phase2_pairs, NULL },
	{ "rekey", K_PAIRS, 0, rekey_pairs, NULL },
	{ "replay-window", K_UINT, T(replay_window), NULL, "packets" },
	{ "dpd", K_PAIRS, 0, dpd_pairs, NULL },
	{ "startup", K_STARTUP, T(startup), NULL, NULL },
	{ "bgp", K_PAIRS, 0, bgp_pairs, NULL },
	{ "mtu", K_UINT, T(mtu), NULL, "bytes" },
	{ "mss", K_UINT, T(mss), NULL, "bytes" },
	{ "encapsulation", K_ENCAP, T(force_encap), NULL, NULL },
	END
};
#undef T

#define C(f) offsetof(struct cgw_conn_conf, f)
static const struct setting conn_settings[] = {
	{ "routing", K_ROUTING, C(routing), NULL, NULL },
	{ "gateway-type", K_GATEWAY, C(gateway), NULL, NULL },
	{ "local-asn", K_U32, C(local_asn), NULL, "an AS number" },
	END
};
#undef C

#define B(f) offsetof(struct cgw_box_conf, f)
static const struct setting failover_pairs[] = {
	{ "probe-interval", K_UINT, B(probe_interval_ms), NULL, "milliseconds" },
	{ "probe-misses", K_UINT, B(probe_misses), NULL, "a count" },
	{ "hold-down", K_UINT, B(holddown_s), NULL, "seconds" },
	END
};
static const struct setting metrics_pairs[] = {
	{ "listen", K_STRING, B(metrics_listen), NULL, NULL },
	{ "port", K_UINT, B(metrics_port), NULL, "a TCP port" },
	END
};
static const struct setting box_settings[] = {
	{ "outside-interface", K_STRING, B(outside_interface), NULL, NULL },
	{ "local-address", K_ADDR4, B(local_address), NULL, NULL },
	{ "local-asn", K_U32, B(local_asn), NULL, "an AS number" },
	{ "router-id", K_ADDR4, B(router_id), NULL, NULL },
	{ "failover", K_PAIRS, 0, failover_pairs, NULL },
	{ "ecmp", K_UINT, B(ecmp), NULL, "a number of paths" },
	{ "outside-filter", K_ONOFF, B(outside_filter), NULL, NULL },
	{ "metrics", K_PAIRS, 0, metrics_pairs, NULL },
	END
};
#undef B

struct parser {
	struct cgw_conf *conf;
	struct cgw_diag *diag;
	const char *file;	/* interned */
	int saw_psk;
	int depth;		/* include depth */
};

static void
expected_list(char *buf, size_t len, const struct setting *t, const char *extra)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; t->kw; t++)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    n ? ", " : "", t->kw);
	if (extra && n < len)
		snprintf(buf + n, len - n, "%s%s", n ? ", " : "", extra);
}

static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "4200000001" or "64512" or asdot "1.10" */
static int
parse_asn(const char *s, uint32_t *out)
{
	unsigned long long hi, lo;
	const char *dot = strchr(s, '.');

	if (dot) {
		char buf[16];

		if ((size_t)(dot - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, dot - s);
		buf[dot - s] = '\0';
		if (parse_uint(buf, 65535, &hi) < 0 ||
		    parse_uint(dot + 1, 65535, &lo) < 0)
			return -EINVAL;
		*out = (uint32_t)(hi << 16 | lo);
		return 0;
	}
	if (parse_uint(s, UINT32_MAX, &lo) < 0)
		return -EINVAL;
	*out = (uint32_t)lo;
	return 0;
}

/* Stores one value; returns 0 or reports and returns -EINVAL. */
static int
store(struct parser *ps, int line, const struct setting *st, void *base,
    const char *v)
{
	void *dst = (char *)base + st->off;
	unsigned long long u;
	int r = 0;

	switch (st->kind) {
	case K_UINT:
		if ((r = parse_uint(v, UINT_MAX, &u)) == 0)
			*(unsigned int *)dst = (unsigned int)u;
		break;
	case K_U32:
		r = parse_asn(v, (uint32_t *)dst);
		break;
	case K_ADDR4:
		r = cgw_addr4_parse(v, dst);
		if (r < 0) {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" is not an IPv4 address (expected e.g. 192.0.2.1)",
			    st->kw, v);
			return r;
		}
		break;
	case K_PREFIX:
		r = cgw_prefix_parse(v, dst, false);
		if (r < 0) {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" is not a prefix (expected address/length with the host bits zero, e.g. 169.254.10.0/30)",
			    st->kw, v);
			return r;
		}
		break;
	case K_STRING: {
		char **sp = dst;

		free(*sp);
		*sp = xstrdup(v);
		if (strcmp(st->kw, "psk") == 0)
			ps->saw_psk = 1;
		break;
	}
	case K_IFNAME:
		if (strlen(v) >= CGW_IFNAMSIZ) {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" is longer than %d characters (a Linux interface name)",
			    st->kw, v, CGW_IFNAMSIZ - 1);
			return -EINVAL;
		}
		strcpy(dst, v);
		break;
	case K_ENCR:
		if (cgw_encr_parse(v, dst) < 0) {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: unknown cipher \"%s\" (expected aes128, aes256, aes128gcm16 or aes256gcm16)",
			    st->kw, v);
			return -EINVAL;
		}
		break;
	case K_INTEG:
		if (cgw_integ_parse(v, dst) < 0) {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: unknown integrity algorithm \"%s\" (expected sha1, sha256, sha384, sha512 or none)",
			    st->kw, v);
			return -EINVAL;
		}
		break;
	case K_GROUP:
		if (strcmp(v, "none") == 0)
			*(unsigned int *)dst = 0;
		else if ((r = parse_uint(v, 1000, &u)) == 0)
			*(unsigned int *)dst = (unsigned int)u;
		else {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" is not a Diffie-Hellman group number (expected e.g. 14, or none)",
			    st->kw, v);
			return r;
		}
		break;
	case K_DPD_ACTION:
		if (cgw_dpd_action_parse(v, dst) < 0) {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" is not a DPD action (expected clear, none or restart)",
			    st->kw, v);
			return -EINVAL;
		}
		break;
	case K_STARTUP:
		if (strcmp(v, "start") == 0)
			*(enum cgw_startup *)dst = CGW_STARTUP_START;
		else if (strcmp(v, "add") == 0)
			*(enum cgw_startup *)dst = CGW_STARTUP_ADD;
		else {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" (expected start or add)", st->kw, v);
			return -EINVAL;
		}
		break;
	case K_ROUTING:
		if (strcmp(v, "bgp") == 0)
			*(enum cgw_routing *)dst = CGW_ROUTING_BGP;
		else if (strcmp(v, "static") == 0)
			*(enum cgw_routing *)dst = CGW_ROUTING_STATIC;
		else {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" (expected bgp or static)", st->kw, v);
			return -EINVAL;
		}
		break;
	case K_GATEWAY:
		if (strcmp(v, "vgw") == 0)
			*(enum cgw_gateway_type *)dst = CGW_GW_VGW;
		else if (strcmp(v, "tgw") == 0)
			*(enum cgw_gateway_type *)dst = CGW_GW_TGW;
		else {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" (expected vgw or tgw)", st->kw, v);
			return -EINVAL;
		}
		break;
	case K_ENCAP:
		if (strcmp(v, "auto") == 0)
			*(bool *)dst = false;
		else if (strcmp(v, "udp") == 0)
			*(bool *)dst = true;
		else {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" (expected auto or udp)", st->kw, v);
			return -EINVAL;
		}
		break;
	case K_ONOFF:
		if (strcmp(v, "on") == 0)
			*(bool *)dst = true;
		else if (strcmp(v, "off") == 0)
			*(bool *)dst = false;
		else {
			cgw_diag_add(ps->diag, ps->file, line,
			    "%s: \"%s\" (expected on or off)", st->kw, v);
			return -EINVAL;
		}
		break;
	case K_PAIRS:
		return -EINVAL;		/* not a single value */
	}
	if (r < 0)
		cgw_diag_add(ps->diag, ps->file, line,
		    "%s: \"%s\" is not valid (expected %s)", st->kw, v,
		    st->expect ? st->expect : "a number");
	return r;
}

static const struct setting *
lookup(const struct setting *t, const char *kw)
{
	for (; t->kw; t++)
		if (strcmp(t->kw, kw) == 0)
			return t;
	return NULL;
}

/* A "keyword value" or "keyword k1 v1 k2 v2 ..." statement. */
static void
apply_setting(struct parser *ps, const struct cgw_stmt *s,
    const struct setting *st, void *base, int *seen_line)
{
	char exp[256];

	if (s->is_block) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "%s takes no block", st->kw);
		return;
	}
	if (seen_line && *seen_line) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "%s is set twice (first at line %d): remove one", st->kw,
		    *seen_line);
		return;
	}
	if (seen_line)
		*seen_line = s->line;
	if (st->kind != K_PAIRS) {
		if (s->n_words != 2) {
			cgw_diag_add(ps->diag, ps->file, s->line,
			    "%s takes exactly one value", st->kw);
			return;
		}
		store(ps, s->line, st, base, s->words[1]);
		return;
	}
	if (s->n_words < 3 || (s->n_words - 1) % 2) {
		expected_list(exp, sizeof(exp), st->sub, NULL);
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "%s takes keyword/value pairs (keywords: %s)", st->kw, exp);
		return;
	}
	for (size_t i = 1; i + 1 < s->n_words; i += 2) {
		const struct setting *sub = lookup(st->sub, s->words[i]);
		bool dup = false;

		for (size_t k = 1; k < i; k += 2)
			dup |= strcmp(s->words[k], s->words[i]) == 0;
		if (dup) {
			cgw_diag_add(ps->diag, ps->file, s->line,
			    "%s: %s is given twice", st->kw, s->words[i]);
			continue;
		}
		if (!sub) {
			expected_list(exp, sizeof(exp), st->sub, NULL);
			cgw_diag_add(ps->diag, ps->file, s->line,
			    "%s: unknown keyword \"%s\" (expected one of: %s)",
			    st->kw, s->words[i], exp);
			continue;
		}
		store(ps, s->line, sub, base, s->words[i + 1]);
	}
}

static void
unknown(struct parser *ps, const struct cgw_stmt *s, const char *where,
    const struct setting *t, const char *extra)
{
	char exp[512];

	expected_list(exp, sizeof(exp), t, extra);
	cgw_diag_add(ps->diag, ps->file, s->line,
	    "unknown setting \"%s\" in %s (expected one of: %s)",
	    s->words[0], where, exp);
}

static void
parse_settings(struct parser *ps, const struct cgw_stmt *s,
    const struct setting *t, void *base, int *seen, const char *where)
{
	const struct setting *st = lookup(t, s->words[0]);

	if (!st) {
		unknown(ps, s, where, t, NULL);
		return;
	}
	apply_setting(ps, s, st, base, &seen[st - t]);
}

static void
parse_prefix_stmt(struct parser *ps, const struct cgw_stmt *s,
    struct cgw_prefix *p)
{
	p->family = 0;		/* "no prefix" unless one parses */
	if (s->is_block || s->n_words != 2) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "%s takes exactly one prefix", s->words[0]);
		return;
	}
	if (cgw_prefix_parse(s->words[1], p, false) < 0 ||
	    p->family != AF_INET)
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "%s: \"%s\" is not an IPv4 prefix (expected address/length with the host bits zero, e.g. 10.0.0.0/16)",
		    s->words[0], s->words[1]);
	else
		return;
	p->family = 0;
}

static void
parse_tunnel(struct parser *ps, const struct cgw_stmt *s,
    struct cgw_conn_conf *conn, int *tunnel_line)
{
	struct cgw_tunnel_conf *t;
	unsigned long long idx;
	int seen[sizeof(tunnel_settings) / sizeof(tunnel_settings[0])] = { 0 };

	if (!s->is_block || s->n_words != 2 ||
	    parse_uint(s->words[1], 2, &idx) < 0 || idx < 1) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "expected \"tunnel 1 {\" or \"tunnel 2 {\"");
		return;
	}
	if (tunnel_line[idx - 1]) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "tunnel %llu is defined twice (first at line %d)", idx,
		    tunnel_line[idx - 1]);
		return;
	}
	tunnel_line[idx - 1] = s->line;
	t = &conn->tunnel[idx - 1];
	t->where = (struct cgw_where){ ps->file, s->line };
	for (const struct cgw_stmt *c = s->children; c; c = c->next)
		parse_settings(ps, c, tunnel_settings, t, seen, "a tunnel block");
}

/* "policy active-active" or "policy active-standby [preferred-tunnel 1|2]" */
static void
parse_policy(struct parser *ps, const struct cgw_stmt *s,
    struct cgw_conn_conf *conn, int *seen_line)
{
	static const char usage[] =
	    "expected policy active-active, or policy active-standby with an optional preferred-tunnel 1 or 2";
	unsigned long long idx = 1;

	if (*seen_line) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "policy is set twice (first at line %d): remove one",
		    *seen_line);
		return;
	}
	*seen_line = s->line;
	if (s->is_block || s->n_words < 2) {
		cgw_diag_add(ps->diag, ps->file, s->line, "%s", usage);
		return;
	}
	if (strcmp(s->words[1], "active-active") == 0 && s->n_words == 2) {
		conn->policy = CGW_POLICY_ACTIVE_ACTIVE;
		return;
	}
	if (strcmp(s->words[1], "active-standby") != 0 ||
	    (s->n_words != 2 && s->n_words != 4)) {
		cgw_diag_add(ps->diag, ps->file, s->line, "%s", usage);
		return;
	}
	if (s->n_words == 4 && (strcmp(s->words[2], "preferred-tunnel") != 0 ||
	    parse_uint(s->words[3], 2, &idx) < 0 || idx < 1)) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "policy active-standby: expected preferred-tunnel 1 or preferred-tunnel 2");
		return;
	}
	conn->policy = CGW_POLICY_ACTIVE_STANDBY;
	conn->preferred_tunnel = (unsigned int)idx;
}

static void
parse_connection(struct parser *ps, const struct cgw_stmt *s)
{
	struct cgw_conn_conf *conn;
	int seen[sizeof(conn_settings) / sizeof(conn_settings[0])] = { 0 };
	int tunnel_line[CGW_TUNNELS] = { 0 };
	int policy_line = 0;

	if (!s->is_block || s->n_words != 2) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "expected connection \"vpn-...\" { ... }");
		return;
	}
	conn = cgw_conn_new(ps->conf, s->words[1],
	    (struct cgw_where){ ps->file, s->line });
	for (const struct cgw_stmt *c = s->children; c; c = c->next) {
		struct cgw_prefix p;

		if (strcmp(c->words[0], "tunnel") == 0)
			parse_tunnel(ps, c, conn, tunnel_line);
		else if (strcmp(c->words[0], "static-route") == 0) {
			parse_prefix_stmt(ps, c, &p);
			if (p.family && cgw_conn_add_static_route(conn, &p) < 0)
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "static-route %s is listed twice",
				    c->words[1]);
		} else if (strcmp(c->words[0], "policy") == 0)
			parse_policy(ps, c, conn, &policy_line);
		else if (lookup(conn_settings, c->words[0]))
			parse_settings(ps, c, conn_settings, conn, seen,
			    "a connection block");
		else
			unknown(ps, c, "a connection block", conn_settings,
			    "policy, static-route, tunnel");
	}
	cgw_conn_derive(ps->conf, conn);
}

static void
parse_gateway(struct parser *ps, const struct cgw_stmt *s)
{
	struct cgw_box_conf *box = &ps->conf->box;
	int seen[sizeof(box_settings) / sizeof(box_settings[0])] = { 0 };

	if (!s->is_block || s->n_words != 1) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "expected gateway { ... }");
		return;
	}
	if (box->present) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "gateway is defined twice (first at %s:%d)",
		    box->where.file, box->where.line);
		return;
	}
	box->present = true;
	box->where = (struct cgw_where){ ps->file, s->line };
	for (const struct cgw_stmt *c = s->children; c; c = c->next) {
		struct cgw_prefix p;

		if (strcmp(c->words[0], "advertise") == 0) {
			parse_prefix_stmt(ps, c, &p);
			if (p.family && cgw_box_add_advertise(box, &p) < 0)
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "advertise %s is listed twice", c->words[1]);
		} else if (lookup(box_settings, c->words[0]))
			parse_settings(ps, c, box_settings, box, seen,
			    "the gateway block");
		else
			unknown(ps, c, "the gateway block", box_settings,
			    "advertise");
	}
}

/* dns { listen A; source A; endpoint A; zone NAME; allow PREFIX } */
/* Records the line of the statement that added the n-th element. */
static void
dns_line(int **lines, size_t n, int line)
{
	*lines = xreallocarray(*lines, n, sizeof(**lines));
	(*lines)[n - 1] = line;
}

static void
parse_dns_addr(struct parser *ps, const struct cgw_stmt *c,
    struct in_addr **arr, size_t *n)
{
	struct in_addr a;

	if (c->is_block || c->n_words != 2) {
		cgw_diag_add(ps->diag, ps->file, c->line,
		    "%s takes exactly one IPv4 address", c->words[0]);
		return;
	}
	if (cgw_addr4_parse(c->words[1], &a) < 0)
		cgw_diag_add(ps->diag, ps->file, c->line,
		    "%s: \"%s\" is not an IPv4 address (expected e.g. 10.2.0.53)",
		    c->words[0], c->words[1]);
	else if (cgw_dns_add_addr(arr, n, a) < 0)
		cgw_diag_add(ps->diag, ps->file, c->line,
		    "%s %s is listed twice", c->words[0], c->words[1]);
}

static void
parse_dns(struct parser *ps, const struct cgw_stmt *s)
{
	struct cgw_dns_conf *dns = &ps->conf->dns;
	int source_line = 0;

	if (!s->is_block || s->n_words != 1) {
		cgw_diag_add(ps->diag, ps->file, s->line, "expected dns { ... }");
		return;
	}
	if (dns->present) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "dns is defined twice (first at %s:%d)", dns->where.file,
		    dns->where.line);
		return;
	}
	dns->present = true;
	dns->where = (struct cgw_where){ ps->file, s->line };
	for (const struct cgw_stmt *c = s->children; c; c = c->next) {
		const char *kw = c->words[0];
		struct cgw_prefix p;
		size_t one = 0;
		int r;

		if (strcmp(kw, "listen") == 0) {
			one = dns->n_listen;
			parse_dns_addr(ps, c, &dns->listen, &dns->n_listen);
			if (dns->n_listen > one)
				dns_line(&dns->listen_line, dns->n_listen, c->line);
		} else if (strcmp(kw, "endpoint") == 0) {
			one = dns->n_endpoints;
			parse_dns_addr(ps, c, &dns->endpoints, &dns->n_endpoints);
			if (dns->n_endpoints > one)
				dns_line(&dns->endpoint_line, dns->n_endpoints, c->line);
		} else if (strcmp(kw, "source") == 0) {
			struct in_addr *a = NULL;

			if (source_line) {
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "source is set twice (first at line %d): remove one",
				    source_line);
				continue;
			}
			source_line = dns->source_line = c->line;
			parse_dns_addr(ps, c, &a, &one);
			if (one)
				dns->source = a[0];
			free(a);
		} else if (strcmp(kw, "zone") == 0) {
			if (c->is_block || c->n_words != 2) {
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "zone takes exactly one domain name");
				continue;
			}
			r = cgw_dns_add_zone(dns, c->words[1]);
			if (r == -EEXIST)
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "zone %s is listed twice", c->words[1]);
			else if (r < 0)
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "zone: \"%s\" is not a domain name (expected labels of letters, digits and hyphens, e.g. corp.example or us-east-1.amazonaws.com)",
				    c->words[1]);
		} else if (strcmp(kw, "allow") == 0) {
			parse_prefix_stmt(ps, c, &p);
			if (p.family && cgw_dns_add_allow(dns, &p) < 0)
				cgw_diag_add(ps->diag, ps->file, c->line,
				    "allow %s is listed twice", c->words[1]);
			else if (p.family)
				dns_line(&dns->allow_line, dns->n_allow, c->line);
		} else
			cgw_diag_add(ps->diag, ps->file, c->line,
			    "unknown setting \"%s\" in the dns block (expected one of: listen, source, endpoint, zone, allow)",
			    kw);
	}
}

static void parse_path(struct parser *ps, const char *path, int line);

static void
parse_include(struct parser *ps, const struct cgw_stmt *s, int follow)
{
	glob_t g;
	char *pattern;
	int r;

	if (s->is_block || s->n_words != 2) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "expected include \"FILE-OR-GLOB\"");
		return;
	}
	ps->conf->includes = xreallocarray(ps->conf->includes,
	    ps->conf->n_includes + 1, sizeof(char *));
	ps->conf->includes[ps->conf->n_includes++] = xstrdup(s->words[1]);
	if (!follow)
		return;
	if (ps->depth >= MAX_INCLUDE_DEPTH) {
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "includes nested deeper than %d (an include loop?)",
		    MAX_INCLUDE_DEPTH);
		return;
	}
	/* Relative patterns are relative to the including file. */
	if (s->words[1][0] == '/' || !strchr(ps->file, '/'))
		pattern = xstrdup(s->words[1]);
	else
		pattern = xasprintf("%.*s/%s",
		    (int)(strrchr(ps->file, '/') - ps->file), ps->file,
		    s->words[1]);
	r = glob(pattern, 0, NULL, &g);
	if (r == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			parse_path(ps, g.gl_pathv[i], s->line);
		globfree(&g);
	} else if (r != GLOB_NOMATCH || !strpbrk(pattern, "*?[")) {
		/* An empty conn.d is fine; a named file that is missing is not. */
		cgw_diag_add(ps->diag, ps->file, s->line,
		    "include \"%s\": no such file", pattern);
	}
	free(pattern);
}

static void
parse_tree(struct parser *ps, const struct cgw_stmt *tree, int follow)
{
	for (const struct cgw_stmt *s = tree; s; s = s->next) {
		if (strcmp(s->words[0], "gateway") == 0)
			parse_gateway(ps, s);
		else if (strcmp(s->words[0], "connection") == 0)
			parse_connection(ps, s);
		else if (strcmp(s->words[0], "dns") == 0)
			parse_dns(ps, s);
		else if (strcmp(s->words[0], "include") == 0)
			parse_include(ps, s, follow);
		else
			cgw_diag_add(ps->diag, ps->file, s->line,
			    "unknown statement \"%s\" (expected gateway, connection, dns or include)",
			    s->words[0]);
	}
}

/* Drop what the lexer reported as broken (and statements without words),
 * so nothing below has to check for them. */
static struct cgw_stmt *
prune(struct cgw_stmt *s)
{
	struct cgw_stmt **pp = &s;

	while (*pp) {
		struct cgw_stmt *cur = *pp;

		if (cur->broken || cur->n_words == 0) {
			*pp = cur->next;
			cur->next = NULL;
			cgw_stmt_free(cur);
			continue;
		}
		cur->children = prune(cur->children);
		pp = &cur->next;
	}
	return s;
}

static void
parse_mem(struct parser *ps, const char *buf, size_t len, int follow)
{
	struct cgw_stmt *tree = prune(cgw_lex(ps->file, buf, len, ps->diag));

	parse_tree(ps, tree, follow);
	cgw_stmt_free(tree);
}

static int
read_file(const char *path, char **bufp, size_t *lenp, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char *buf = NULL;
	ssize_t n;
	size_t len = 0;
	int r = 0;

	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (fstat(fd, st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode)) {
		r = -EINVAL;
		goto out;
	}
	if (st->st_size > MAX_FILE_SIZE) {
		r = -EFBIG;
		goto out;
	}
	buf = xcalloc(1, (size_t)st->st_size + 1);
	while ((n = read(fd, buf + len, (size_t)st->st_size - len)) > 0)
		len += (size_t)n;
	if (n < 0)
		r = -errno;
out:
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void
parse_path(struct parser *ps, const char *path, int line)
{
	const char *outer = ps->file;
	int outer_psk = ps->saw_psk;
	struct stat st;
	char *buf;
	size_t len;
	int r;

	r = read_file(path, &buf, &len, &st);
	if (r < 0) {
		cgw_diag_add(ps->diag, outer ? outer : path, outer ? line : 0,
		    "cannot read %s: %s", path,
		    r == -EINVAL ? "not a regular file" : strerror(-r));
		return;
	}
	ps->file = cgw_conf_file(ps->conf, path);
	ps->saw_psk = 0;
	ps->depth++;
	parse_mem(ps, buf, len, 1);
	ps->depth--;
	/* Like iked's check_file_secrecy(): PSKs only in files that no one
	 * but their owner (root or us) can read. */
	if (ps->saw_psk && (st.st_mode & (S_IRWXG | S_IRWXO)))
		cgw_diag_add(ps->diag, ps->file, 0,
		    "holds pre-shared keys but is accessible by group or others (mode %04o): run chmod 600 %s",
		    (unsigned)(st.st_mode & 07777), path);
	if (ps->saw_psk && st.st_uid != 0 && st.st_uid != geteuid())
		cgw_diag_add(ps->diag, ps->file, 0,
		    "holds pre-shared keys but is owned by uid %u: it must be owned by root",
		    (unsigned)st.st_uid);
	explicit_bzero(buf, len);
	free(buf);
	ps->file = outer;
	ps->saw_psk = outer_psk;
}

int
cgw_conf_parse_file(struct cgw_conf *conf, const char *path,
    struct cgw_diag *diag)
{
	struct parser ps = { .conf = conf, .diag = diag };
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	parse_path(&ps, path, 0);
	return 0;
}

int
cgw_conf_parse_buffer(struct cgw_conf *conf, const char *name,
    const char *buf, size_t len, struct cgw_diag *diag)
{
	struct parser ps = { .conf = conf, .diag = diag };

	ps.file = cgw_conf_file(conf, name);
	parse_mem(&ps, buf, len, 0);
	return 0;
}
