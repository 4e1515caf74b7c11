/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the configuration model (see conf.h)
 *
 * Construction with AWS's defaults, derivation of the settings that follow
 * from others, the name tables shared by the parser, the printer and the
 * importers, and freeing the tree.
 */
#include "conf/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xalloc.h"

struct cgw_conf *
cgw_conf_new(void)
{
	struct cgw_conf *conf = xcalloc(1, sizeof(struct cgw_conf));

	conf->box.probe_interval_ms = CGW_DEF_PROBE_INTERVAL_MS;
	conf->box.probe_misses = CGW_DEF_PROBE_MISSES;
	conf->box.holddown_s = CGW_DEF_HOLDDOWN_S;
	conf->box.ecmp = 1;
	conf->box.outside_filter = true;
	return conf;
}

static void
conn_free(struct cgw_conn_conf *c)
{
	for (int i = 0; i < CGW_TUNNELS; i++) {
		struct cgw_tunnel_conf *t = &c->tunnel[i];

		if (t->psk) {
			/* Keep the secret out of freed heap memory. */
			explicit_bzero(t->psk, strlen(t->psk));
			free(t->psk);
		}
		free(t->local_id);
	}
	free(c->static_routes);
	free(c->id);
	free(c);
}

struct cgw_conf *
cgw_conf_free(struct cgw_conf *conf)
{
	struct cgw_conn_conf *c, *next;

	if (!conf)
		return NULL;
	for (c = conf->conns; c; c = next) {
		next = c->next;
		conn_free(c);
	}
	free(conf->box.outside_interface);
	free(conf->box.metrics_listen);
	free(conf->box.advertise);
	free(conf->dns.listen);
	free(conf->dns.endpoints);
	free(conf->dns.allow);
	free(conf->dns.listen_line);
	free(conf->dns.endpoint_line);
	free(conf->dns.allow_line);
	for (size_t i = 0; i < conf->dns.n_zones; i++)
		free(conf->dns.zones[i]);
	free(conf->dns.zones);
	for (size_t i = 0; i < conf->n_files; i++)
		free(conf->files[i]);
	free(conf->files);
	for (size_t i = 0; i < conf->n_includes; i++)
		free(conf->includes[i]);
	free(conf->includes);
	free(conf);
	return NULL;
}

const char *
cgw_conf_file(struct cgw_conf *conf, const char *name)
{
	for (size_t i = 0; i < conf->n_files; i++)
		if (strcmp(conf->files[i], name) == 0)
			return conf->files[i];
	conf->files = xreallocarray(conf->files, conf->n_files + 1,
	    sizeof(*conf->files));
	conf->files[conf->n_files] = xstrdup(name);
	return conf->files[conf->n_files++];
}

void
cgw_tunnel_defaults(struct cgw_tunnel_conf *t, unsigned int index)
{
	memset(t, 0, sizeof(*t));
	t->index = index;
	t->ike_version = 2;
	/* AWS's defaults accept many proposals; cgw offers one, and these are
	 * the strongest every AWS tunnel accepts unless told otherwise. */
	t->phase1 = (struct cgw_proposal){ CGW_ENCR_AES128, CGW_INTEG_SHA256,
	    14, CGW_DEF_P1_LIFETIME };
	t->phase2 = (struct cgw_proposal){ CGW_ENCR_AES128, CGW_INTEG_SHA256,
	    14, CGW_DEF_P2_LIFETIME };
	t->rekey_margin = CGW_DEF_REKEY_MARGIN;
	t->rekey_fuzz = CGW_DEF_REKEY_FUZZ;
	t->replay_window = CGW_DEF_REPLAY_WINDOW;
	t->dpd_delay = CGW_DEF_DPD_DELAY;
	t->dpd_timeout = CGW_DEF_DPD_TIMEOUT;
	t->dpd_action = CGW_DPD_RESTART;
	t->startup = CGW_STARTUP_START;
	t->aws_asn = CGW_DEF_AWS_ASN;
	t->bgp_keepalive = CGW_DEF_BGP_KEEPALIVE;
	t->bgp_hold = CGW_DEF_BGP_HOLD;
	t->mtu = CGW_DEF_MTU;
	t->mss = CGW_DEF_MSS;
}

struct cgw_conn_conf *
cgw_conn_new(struct cgw_conf *conf, const char *id, struct cgw_where where)
{
	struct cgw_conn_conf *c = xcalloc(1, sizeof(*c)), **tail;

	c->id = xstrdup(id);
	c->where = where;
	c->routing = CGW_ROUTING_BGP;
	c->gateway = CGW_GW_VGW;
	c->policy = CGW_POLICY_ACTIVE_ACTIVE;
	c->preferred_tunnel = 1;
	for (int i = 0; i < CGW_TUNNELS; i++) {
		cgw_tunnel_defaults(&c->tunnel[i], i + 1);
		c->tunnel[i].where = where;
	}
	for (tail = &conf->conns; *tail; tail = &(*tail)->next)
		;
	*tail = c;
	return c;
}

/* "vpn-0123456789abcdef0" -> "cgw-bcdef0-1": unique enough across a box's
 * connections, short enough for IFNAMSIZ; validate.c catches collisions. */
static void
default_ifname(const struct cgw_conn_conf *conn, unsigned int index,
    char *buf)
{
	char alnum[64];
	size_t n = 0;

	for (const char *p = conn->id; *p && n < sizeof(alnum) - 1; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z'))
			alnum[n++] = *p;
	alnum[n] = '\0';
	/* The id's last 6 letters and the tunnel's index: 13 characters at
	 * most, in IFNAMSIZ (a tunnel index is 1 or 2). */
	snprintf(buf, CGW_IFNAMSIZ, "cgw-%.6s-%u", alnum + (n > 6 ? n - 6 : 0),
	    index % 100);
}

void
cgw_conn_derive(const struct cgw_conf *conf, struct cgw_conn_conf *conn)
{
	for (int i = 0; i < CGW_TUNNELS; i++) {
		struct cgw_tunnel_conf *t = &conn->tunnel[i];

		if (!t->ifname[0])
			default_ifname(conn, t->index, t->ifname);
		if (!cgw_addr4_is_set(t->local_address))
			t->local_address = cgw_addr4_is_set(
			    conf->box.local_address) ?
			    conf->box.local_address : t->cgw_outside;
		if (t->inside.family == AF_INET && t->inside.len == 30) {
			uint32_t net = cgw_addr4_host(t->inside.addr.v4);

			if (!cgw_addr4_is_set(t->inside_remote))
				t->inside_remote = cgw_addr4_from_host(net + 1);
			if (!cgw_addr4_is_set(t->inside_local))
				t->inside_local = cgw_addr4_from_host(net + 2);
		}
	}
}

static int
add_prefix(struct cgw_prefix **arr, size_t *n, const struct cgw_prefix *p)
{
	if (cgw_prefix_in(*arr, *n, p))
		return -EEXIST;
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = *p;
	return 0;
}

int
cgw_conn_add_static_route(struct cgw_conn_conf *conn,
    const struct cgw_prefix *p)
{
	return add_prefix(&conn->static_routes, &conn->n_static_routes, p);
}

int
cgw_box_add_advertise(struct cgw_box_conf *box, const struct cgw_prefix *p)
{
	return add_prefix(&box->advertise, &box->n_advertise, p);
}

int
cgw_dns_add_addr(struct in_addr **arr, size_t *n, struct in_addr a)
{
	for (size_t i = 0; i < *n; i++)
		if ((*arr)[i].s_addr == a.s_addr)
			return -EEXIST;
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = a;
	return 0;
}

int
cgw_dns_add_allow(struct cgw_dns_conf *dns, const struct cgw_prefix *p)
{
	return add_prefix(&dns->allow, &dns->n_allow, p);
}

/* RFC 1035 names as resolvers accept them: labels of 1-63 letters, digits,
 * hyphens (and underscores, as in _msdcs zones), at most 253 in all. */
int
cgw_dns_name_canon(const char *in, char *name, size_t size)
{
	size_t len = strlen(in), label = 0;

	if (strcmp(in, ".") == 0) {
		if (size < 2)
			return -EINVAL;
		strcpy(name, ".");	/* the root: every name */
		return 0;
	}
	if (len && in[len - 1] == '.')
		len--;
	if (len == 0 || len >= size || len >= CGW_DNS_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];

		if (ch == '.') {
			if (label == 0)
				return -EINVAL;
			label = 0;
		} else if (isalnum(ch) || ch == '-' || ch == '_') {
			if (++label > 63)
				return -EINVAL;
		} else
			return -EINVAL;
		name[i] = (char)tolower(ch);
	}
	if (label == 0)
		return -EINVAL;
	name[len] = '\0';
	return 0;
}

int
cgw_dns_add_zone(struct cgw_dns_conf *dns, const char *zone)
{
	char name[CGW_DNS_NAME_MAX];

	if (cgw_dns_name_canon(zone, name, sizeof(name)) < 0)
		return -EINVAL;
	for (size_t i = 0; i < dns->n_zones; i++)
		if (strcmp(dns->zones[i], name) == 0)
			return -EEXIST;
	dns->zones = xreallocarray(dns->zones, dns->n_zones + 1,
	    sizeof(*dns->zones));
	dns->zones[dns->n_zones++] = xstrdup(name);
	return 0;
}

/* Name tables: the first spelling is canonical; the others are what AWS's
 * API, XML and vendor downloads write. */
struct alias {
	int value;
	const char *names[8];
};

static const struct alias encr_names[] = {
	{ CGW_ENCR_AES128, { "aes128", "AES128", "aes-128-cbc", "aes-128",
	    "aes128-cbc" } },
	{ CGW_ENCR_AES256, { "aes256", "AES256", "aes-256-cbc", "aes-256",
	    "aes256-cbc" } },
	{ CGW_ENCR_AES128_GCM16, { "aes128gcm16", "AES128-GCM-16",
	    "aes-128-gcm-16", "aes-128-gcm", "aes128-gcm16", "aes128gcm" } },
	{ CGW_ENCR_AES256_GCM16, { "aes256gcm16", "AES256-GCM-16",
	    "aes-256-gcm-16", "aes-256-gcm", "aes256-gcm16", "aes256gcm" } },
};

static const struct alias integ_names[] = {
	{ CGW_INTEG_NONE, { "none" } },
	{ CGW_INTEG_SHA1, { "sha1", "SHA1", "hmac-sha1-96", "hmac-sha1",
	    "sha-1" } },
	{ CGW_INTEG_SHA256, { "sha256", "SHA2-256", "hmac-sha2-256-128",
	    "hmac-sha256", "sha2-256", "sha-256" } },
	{ CGW_INTEG_SHA384, { "sha384", "SHA2-384", "hmac-sha2-384-192",
	    "hmac-sha384", "sha2-384", "sha-384" } },
	{ CGW_INTEG_SHA512, { "sha512", "SHA2-512", "hmac-sha2-512-256",
	    "hmac-sha512", "sha2-512", "sha-512" } },
};

static const struct alias dpd_names[] = {
	{ CGW_DPD_CLEAR, { "clear", "Clear" } },
	{ CGW_DPD_NONE, { "none", "None" } },
	{ CGW_DPD_RESTART, { "restart", "Restart" } },
};

static const char *
alias_name(const struct alias *t, size_t n, int v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].names[0];
	return "?";
}

static int
alias_parse(const struct alias *t, size_t n, const char *s, int *out)
{
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 8 && t[i].names[k]; k++)
			if (strcasecmp(t[i].names[k], s) == 0) {
				*out = t[i].value;
				return 0;
			}
	return -EINVAL;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
cgw_encr_name(enum cgw_encr e)
{
	return alias_name(encr_names, NELEM(encr_names), e);
}

int
cgw_encr_parse(const char *s, enum cgw_encr *out)
{
	int v, r = alias_parse(encr_names, NELEM(encr_names), s, &v);

	if (r == 0)
		*out = v;
	return r;
}

const char *
cgw_integ_name(enum cgw_integ i)
{
	return alias_name(integ_names, NELEM(integ_names), i);
}

int
cgw_integ_parse(const char *s, enum cgw_integ *out)
{
	int v, r = alias_parse(integ_names, NELEM(integ_names), s, &v);

	if (r == 0)
		*out = v;
	return r;
}

const char *
cgw_dpd_action_name(enum cgw_dpd_action a)
{
	return alias_name(dpd_names, NELEM(dpd_names), a);
}

int
cgw_dpd_action_parse(const char *s, enum cgw_dpd_action *out)
{
	int v, r = alias_parse(dpd_names, NELEM(dpd_names), s, &v);

	if (r == 0)
		*out = v;
	return r;
}

const char *
cgw_routing_name(enum cgw_routing r)
{
	return r == CGW_ROUTING_STATIC ? "static" : "bgp";
}

const char *
cgw_gateway_name(enum cgw_gateway_type g)
{
	return g == CGW_GW_TGW ? "tgw" : "vgw";
}

const char *
cgw_startup_name(enum cgw_startup s)
{
	return s == CGW_STARTUP_ADD ? "add" : "start";
}

const char *
cgw_policy_name(enum cgw_policy p)
{
	return p == CGW_POLICY_ACTIVE_STANDBY ? "active-standby" : "active-active";
}

int
cgw_conn_standby(const struct cgw_conn_conf *conn)
{
	if (conn->routing != CGW_ROUTING_BGP ||
	    conn->policy != CGW_POLICY_ACTIVE_STANDBY ||
	    conn->preferred_tunnel < 1 || conn->preferred_tunnel > CGW_TUNNELS)
		return -1;
	return conn->preferred_tunnel == 1 ? 1 : 0;
}
