/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, the neutral description and shared value parsers
 *
 * struct imp_conn / imp_tunnel hold what a format parser found, as strings
 * with their line numbers; a value given twice with different contents is
 * a conflict (a file edited by hand or two files pasted together).  The
 * value parsers here accept the spellings every AWS format uses for
 * durations, Diffie-Hellman groups and numbers, and spot the placeholders
 * of AWS's documentation examples.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

static const char *const names[IF_COUNT] = {
	[IF_AWS_OUT] = "AWS outside address",
	[IF_CGW_OUT] = "customer gateway outside address",
	[IF_IN_LOCAL] = "customer gateway inside address",
	[IF_IN_REMOTE] = "AWS inside address",
	[IF_IN_LEN] = "inside prefix length",
	[IF_PSK] = "pre-shared key",
	[IF_IKE_VERSION] = "IKE version",
	[IF_P1_MODE] = "phase 1 negotiation mode",
	[IF_P1_ENCR] = "phase 1 encryption",
	[IF_P1_INTEG] = "phase 1 integrity",
	[IF_P1_DH] = "phase 1 Diffie-Hellman group",
	[IF_P1_LIFE] = "phase 1 lifetime",
	[IF_P2_PROTO] = "phase 2 protocol",
	[IF_P2_MODE] = "phase 2 mode",
	[IF_P2_ENCR] = "phase 2 encryption",
	[IF_P2_INTEG] = "phase 2 integrity",
	[IF_P2_PFS] = "phase 2 PFS group",
	[IF_P2_LIFE] = "phase 2 lifetime",
	[IF_DPD_DELAY] = "DPD interval",
	[IF_DPD_TIMEOUT] = "DPD timeout",
	[IF_DPD_RETRIES] = "DPD retries",
	[IF_REKEY_MARGIN] = "rekey margin",
	[IF_REKEY_FUZZ] = "rekey fuzz",
	[IF_REPLAY] = "replay window",
	[IF_MTU] = "tunnel MTU",
	[IF_MSS] = "TCP MSS",
	[IF_LOCAL_ASN] = "customer gateway BGP ASN",
	[IF_AWS_ASN] = "AWS BGP ASN",
	[IF_HOLD] = "BGP hold time",
	[IF_KEEPALIVE] = "BGP keepalive",
	[IF_NEXT_HOP] = "next hop / BGP neighbor",
};

const char *
imp_field_name(enum imp_field f)
{
	return f < IF_COUNT && names[f] ? names[f] : "value";
}

void
imp_conn_init(struct imp_conn *c)
{
	memset(c, 0, sizeof(*c));
}

void
imp_conn_free(struct imp_conn *c)
{
	for (size_t i = 0; i < c->n_tun; i++) {
		struct imp_tunnel *t = &c->tun[i];

		if (t->f[IF_PSK].s)
			explicit_bzero(t->f[IF_PSK].s, strlen(t->f[IF_PSK].s));
		for (int f = 0; f < IF_COUNT; f++)
			free(t->f[f].s);
		free(t->key);
	}
	free(c->tun);
	for (size_t i = 0; i < c->n_routes; i++)
		free(c->routes[i].s);
	free(c->routes);
	free(c->id.s);
	free(c->gateway.s);
	imp_conn_init(c);
}

struct imp_tunnel *
imp_conn_find(struct imp_conn *c, const char *key)
{
	for (size_t i = 0; i < c->n_tun; i++)
		if (c->tun[i].key && strcmp(c->tun[i].key, key) == 0)
			return &c->tun[i];
	return NULL;
}

struct imp_tunnel *
imp_conn_tunnel(struct imp_conn *c, int line, int label, const char *key)
{
	struct imp_tunnel *t;

	if (key && (t = imp_conn_find(c, key)))
		return t;
	c->tun = xreallocarray(c->tun, c->n_tun + 1, sizeof(*c->tun));
	t = &c->tun[c->n_tun++];
	memset(t, 0, sizeof(*t));
	t->line = line;
	t->label = label;
	t->key = key ? xstrdup(key) : NULL;
	return t;
}

void
imp_set_val(struct imp_ctx *ctx, struct imp_val *v, const char *what,
    const char *val, int line)
{
	if (v->s && strcmp(v->s, val) != 0) {
		imp_err(ctx, line, "%s given twice with different values "
		    "(first on line %d); the file was edited or is not one "
		    "AWS configuration: keep one", what, v->line);
		return;
	}
	if (!v->s) {
		v->s = xstrdup(val);
		v->line = line;
	}
}

void
imp_set(struct imp_ctx *ctx, struct imp_tunnel *t, enum imp_field f,
    const char *val, int line)
{
	struct imp_val *v = &t->f[f];

	if (f == IF_PSK && v->s && strcmp(v->s, val) != 0) {
		/* Not imp_set_val: it would be fine, but keep secrets out
		 * of every message path. */
		imp_err(ctx, line, "tunnel %d has two different pre-shared "
		    "keys (the other on line %d); keep the one AWS gave",
		    t->label, v->line);
		return;
	}
	imp_set_val(ctx, v, imp_field_name(f), val, line);
}

void
imp_add_route(struct imp_conn *c, const char *val, int line)
{
	c->routes = xreallocarray(c->routes, c->n_routes + 1,
	    sizeof(*c->routes));
	c->routes[c->n_routes].s = xstrdup(val);
	c->routes[c->n_routes++].line = line;
}

/* AWS documentation examples say YOUR_UPLINK_ADDRESS, <LOCAL IP>, ... */
bool
imp_is_placeholder(const char *s)
{
	bool upper = false;

	if (strchr(s, '<') || strchr(s, '>') || strncasecmp(s, "your_", 5) == 0)
		return true;
	for (const char *p = s; *p; p++) {
		if (islower((unsigned char)*p) || isdigit((unsigned char)*p))
			return false;
		if (isupper((unsigned char)*p))
			upper = true;
		else if (*p != '_' && *p != ' ' && *p != '-')
			return false;
	}
	return upper && strchr(s, '_');
}

int
imp_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -ERANGE;
	}
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "3600", "3600 seconds", "3600s", "60m", "8h", "1d". */
int
imp_parse_duration(const char *s, unsigned long *out)
{
	char num[16], unit[16] = "";
	unsigned long v, mul = 1;
	size_t n = 0;
	int r;

	s = imp_skip_ws(s);
	while (isdigit((unsigned char)*s) && n < sizeof(num) - 1)
		num[n++] = *s++;
	num[n] = '\0';
	s = imp_skip_ws(s);
	snprintf(unit, sizeof(unit), "%s", s);
	if ((r = imp_parse_uint(num, 10000000, &v)) < 0)
		return r;
	if (!*unit || !strcasecmp(unit, "s") || !strcasecmp(unit, "sec") ||
	    !strcasecmp(unit, "secs") || !strcasecmp(unit, "second") ||
	    !strcasecmp(unit, "seconds"))
		mul = 1;
	else if (!strcasecmp(unit, "m") || !strcasecmp(unit, "min") ||
	    !strcasecmp(unit, "minutes"))
		mul = 60;
	else if (!strcasecmp(unit, "h") || !strcasecmp(unit, "hours"))
		mul = 3600;
	else if (!strcasecmp(unit, "d") || !strcasecmp(unit, "days"))
		mul = 86400;
	else
		return -EINVAL;
	*out = v * mul;
	return 0;
}

/* "2", "group2", "Group 2", "Diffie-Hellman Group 2"; "disabled" -> 0. */
int
imp_parse_dh(const char *s, unsigned int *out)
{
	const char *d;
	unsigned long v;

	if (!strcasecmp(s, "disabled") || !strcasecmp(s, "disable") ||
	    !strcasecmp(s, "none") || !strcasecmp(s, "no") ||
	    !strcasecmp(s, "off")) {
		*out = 0;
		return 0;
	}
	for (d = s; *d && !isdigit((unsigned char)*d); d++)
		;
	if (d != s) {
		const char *g = d;

		/* Only "group", "dh-group", "Diffie-Hellman Group" before it. */
		while (g > s && (g[-1] == ' ' || g[-1] == '-'))
			g--;
		if (g - s < 5 || strncasecmp(g - 5, "group", 5) != 0)
			return -EINVAL;
	}
	if (imp_parse_uint(d, 1000, &v) < 0)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* AWS: 8-64 letters, digits, '.' or '_', not starting with '0'.  Says what
 * is wrong without quoting the key. */
int
imp_psk_problem(const char *psk, char *buf, size_t len)
{
	size_t n = strlen(psk), bad = 0;

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)psk[i]) && psk[i] != '.' &&
		    psk[i] != '_')
			bad++;
	if (n < 8 || n > 64)
		snprintf(buf, len, "has %zu characters", n);
	else if (bad)
		snprintf(buf, len, "has %zu character%s other than letters, "
		    "digits, '.' and '_'", bad, bad == 1 ? "" : "s");
	else if (psk[0] == '0')
		snprintf(buf, len, "starts with '0'");
	else
		return 0;
	return -EINVAL;
}

bool
imp_same_inside(const char *nbr, struct in_addr ours)
{
	struct in_addr nb;

	return cgw_addr4_parse(nbr, &nb) == 0 &&
	    (cgw_addr4_host(nb) & ~3u) == (cgw_addr4_host(ours) & ~3u);
}
