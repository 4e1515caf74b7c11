/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, AWS "Vyatta" download (also VyOS)
 *
 * Read as `set` commands, not as a template, so order does not matter:
 *   set vpn ipsec ike-group G {lifetime, proposal N {dh-group, encryption,
 *       hash}, dead-peer-detection {interval, timeout}, key-exchange}
 *   set vpn ipsec esp-group G {lifetime, pfs, mode, proposal N {...}}
 *   set vpn ipsec site-to-site peer ADDR {authentication pre-shared-secret,
 *       ike-group, local-address, vti bind, vti esp-group, description,
 *       remote-address (VyOS 1.4)}
 *   set interfaces vti VTI {address, mtu}
 *   set protocols bgp ASN neighbor ADDR {remote-as, timers holdtime,
 *       timers keepalive}
 * A tunnel is a site-to-site peer; it takes its groups by name (the lowest
 * proposal number of a group wins: cgw offers one proposal), its inside
 * /30 from its bound vti, and the BGP neighbor inside that /30.  AWS's
 * template writes the customer gateway's outside address as local-address:
 * that is taken as the customer gateway outside address.  Vyatta's default
 * key exchange is IKEv1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

#define MAXOBJ 16

enum gv { G_LIFE, G_DH, G_ENCR, G_HASH, G_DPD_INT, G_DPD_TO, G_KEX, G_PFS,
	G_MODE, G_IKE, G_ESP, G_VTI, G_ADDR, G_MTU, G_ASN, G_HOLD, G_KA, G_N };

struct obj {
	char name[64];
	char v[G_N][64];
	int line[G_N];
	long prop;		/* proposal number the values are from */
};

struct vy {
	struct obj ike[MAXOBJ], esp[MAXOBJ], vti[MAXOBJ], nbr[MAXOBJ];
	struct obj peer[MAXOBJ];
	int n_ike, n_esp, n_vti, n_nbr, n_peer;
	char asn[16];
	int asn_line;
};

static struct obj *
get(struct obj *arr, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(arr[i].name, name))
			return &arr[i];
	if (*n == MAXOBJ)
		return NULL;
	memset(&arr[*n], 0, sizeof(arr[*n]));
	snprintf(arr[*n].name, sizeof(arr[*n].name), "%s", name);
	arr[*n].prop = -1;
	return &arr[(*n)++];
}

static void
put(struct obj *o, enum gv k, const char *v, int line)
{
	if (!o)
		return;
	snprintf(o->v[k], sizeof(o->v[k]), "%s", v);
	o->line[k] = line;
}

/* "proposal N key value": the lowest N wins. */
static void
proposal(struct obj *o, char **w, int n, int line)
{
	long num;

	if (!o || n < 4)
		return;
	num = strtol(w[1], NULL, 10);
	if (o->prop >= 0 && num > o->prop)
		return;
	if (num < o->prop)
		o->v[G_DH][0] = o->v[G_ENCR][0] = o->v[G_HASH][0] = '\0';
	o->prop = num;
	if (!strcmp(w[2], "dh-group"))
		put(o, G_DH, w[3], line);
	else if (!strcmp(w[2], "encryption"))
		put(o, G_ENCR, w[3], line);
	else if (!strcmp(w[2], "hash"))
		put(o, G_HASH, w[3], line);
}

/* Vyatta spells GCM with its ICV in bits. */
static const char *
encr(const char *s)
{
	if (!strcasecmp(s, "aes128gcm128"))
		return "aes128gcm16";
	if (!strcasecmp(s, "aes256gcm128"))
		return "aes256gcm16";
	return s;
}

static void
set_from(struct imp_ctx *ctx, struct imp_tunnel *t, enum imp_field f,
    struct obj *o, enum gv k, const char *(*fn)(const char *))
{
	if (o && o->v[k][0])
		imp_set(ctx, t, f, fn ? fn(o->v[k]) : o->v[k], o->line[k]);
}

static void
parse_line(struct vy *y, struct imp_ctx *ctx, struct imp_conn *c,
    char **w, int n, int line)
{
	struct obj *o;

	if (n >= 6 && !strcmp(w[1], "vpn") && !strcmp(w[2], "ipsec") &&
	    !strcmp(w[3], "ike-group")) {
		o = get(y->ike, &y->n_ike, w[4]);
		if (!strcmp(w[5], "lifetime") && n >= 7)
			put(o, G_LIFE, w[6], line);
		else if (!strcmp(w[5], "proposal"))
			proposal(o, w + 5, n - 5, line);
		else if (!strcmp(w[5], "key-exchange") && n >= 7)
			put(o, G_KEX, w[6], line);
		else if (!strcmp(w[5], "dead-peer-detection") && n >= 8 &&
		    !strcmp(w[6], "interval"))
			put(o, G_DPD_INT, w[7], line);
		else if (!strcmp(w[5], "dead-peer-detection") && n >= 8 &&
		    !strcmp(w[6], "timeout"))
			put(o, G_DPD_TO, w[7], line);
	} else if (n >= 6 && !strcmp(w[1], "vpn") && !strcmp(w[2], "ipsec") &&
	    !strcmp(w[3], "esp-group")) {
		o = get(y->esp, &y->n_esp, w[4]);
		if (!strcmp(w[5], "lifetime") && n >= 7)
			put(o, G_LIFE, w[6], line);
		else if (!strcmp(w[5], "pfs") && n >= 7)
			put(o, G_PFS, w[6], line);
		else if (!strcmp(w[5], "mode") && n >= 7)
			put(o, G_MODE, w[6], line);
		else if (!strcmp(w[5], "proposal"))
			proposal(o, w + 5, n - 5, line);
	} else if (n >= 7 && !strcmp(w[1], "vpn") && !strcmp(w[2], "ipsec") &&
	    !strcmp(w[3], "site-to-site") && !strcmp(w[4], "peer")) {
		struct imp_tunnel *t = imp_conn_tunnel(c, line, 0, w[5]);

		o = get(y->peer, &y->n_peer, w[5]);
		if (!o)
			return;
		if (!strcmp(w[6], "authentication") && n >= 9 &&
		    !strcmp(w[7], "pre-shared-secret"))
			imp_set(ctx, t, IF_PSK, w[8], line);
		else if (!strcmp(w[6], "authentication") && n >= 9 &&
		    !strcmp(w[7], "mode") && strcmp(w[8], "pre-shared-secret"))
			imp_err(ctx, line, "authentication mode \"%s\": cgw "
			    "supports pre-shared keys only", w[8]);
		else if (!strcmp(w[6], "ike-group") && n >= 8)
			put(o, G_IKE, w[7], line);
		else if (!strcmp(w[6], "local-address") && n >= 8)
			imp_set(ctx, t, IF_CGW_OUT, w[7], line);
		else if (!strcmp(w[6], "remote-address") && n >= 8)
			imp_set(ctx, t, IF_AWS_OUT, w[7], line);
		else if (!strcmp(w[6], "vti") && n >= 9 && !strcmp(w[7], "bind"))
			put(o, G_VTI, w[8], line);
		else if (!strcmp(w[6], "vti") && n >= 9 &&
		    !strcmp(w[7], "esp-group"))
			put(o, G_ESP, w[8], line);
		else if (!strcmp(w[6], "description") && n >= 8) {
			const char *d = strstr(w[7], "unnel ");

			if (d && atoi(d + 6) > 0)
				t->label = atoi(d + 6);
		}
	} else if (n >= 6 && !strcmp(w[1], "interfaces") &&
	    !strcmp(w[2], "vti")) {
		o = get(y->vti, &y->n_vti, w[3]);
		if (!strcmp(w[4], "address"))
			put(o, G_ADDR, w[5], line);
		else if (!strcmp(w[4], "mtu"))
			put(o, G_MTU, w[5], line);
	} else if (n >= 7 && !strcmp(w[1], "protocols") &&
	    !strcmp(w[2], "bgp") && !strcmp(w[4], "neighbor")) {
		snprintf(y->asn, sizeof(y->asn), "%s", w[3]);
		y->asn_line = line;
		o = get(y->nbr, &y->n_nbr, w[5]);
		if (!strcmp(w[6], "remote-as") && n >= 8)
			put(o, G_ASN, w[7], line);
		else if (!strcmp(w[6], "timers") && n >= 9)
			put(o, !strcmp(w[7], "holdtime") ? G_HOLD : G_KA, w[8],
			    line);
	}
}

int
imp_vyatta_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c)
{
	struct vy *y = xcalloc(1, sizeof(*y));

	for (int i = 0; i < ls->n && c->n_tun < MAXOBJ; i++) {
		char copy[512], *w[12];
		int n;

		snprintf(copy, sizeof(copy), "%s", ls->l[i]);
		n = imp_words(copy, w, 12);
		if (n >= 3 && !strcmp(w[0], "set"))
			parse_line(y, ctx, c, w, n, i + 1);
		explicit_bzero(copy, sizeof(copy));
	}
	for (size_t k = 0; k < c->n_tun; k++) {
		struct imp_tunnel *t = &c->tun[k];
		struct obj *p = NULL, *ike = NULL, *esp = NULL, *vti = NULL;
		struct in_addr a;
		char addr[64], *slash;

		for (int i = 0; i < y->n_peer; i++)
			if (!strcmp(y->peer[i].name, t->key))
				p = &y->peer[i];
		if (!t->f[IF_AWS_OUT].s)
			imp_set(ctx, t, IF_AWS_OUT, t->key, t->line);
		for (int i = 0; p && i < y->n_ike; i++)
			if (!strcmp(y->ike[i].name, p->v[G_IKE]))
				ike = &y->ike[i];
		for (int i = 0; p && i < y->n_esp; i++)
			if (!strcmp(y->esp[i].name, p->v[G_ESP]))
				esp = &y->esp[i];
		for (int i = 0; p && i < y->n_vti; i++)
			if (!strcmp(y->vti[i].name, p->v[G_VTI]))
				vti = &y->vti[i];
		if (p && p->v[G_IKE][0] && !ike)
			imp_err(ctx, p->line[G_IKE], "ike-group \"%s\" is not "
			    "defined", p->v[G_IKE]);
		if (p && p->v[G_ESP][0] && !esp)
			imp_err(ctx, p->line[G_ESP], "esp-group \"%s\" is not "
			    "defined", p->v[G_ESP]);
		if (p && p->v[G_VTI][0] && !vti)
			imp_err(ctx, p->line[G_VTI], "vti \"%s\" has no "
			    "address", p->v[G_VTI]);
		set_from(ctx, t, IF_P1_LIFE, ike, G_LIFE, NULL);
		set_from(ctx, t, IF_P1_DH, ike, G_DH, NULL);
		set_from(ctx, t, IF_P1_ENCR, ike, G_ENCR, encr);
		set_from(ctx, t, IF_P1_INTEG, ike, G_HASH, NULL);
		set_from(ctx, t, IF_DPD_DELAY, ike, G_DPD_INT, NULL);
		set_from(ctx, t, IF_DPD_TIMEOUT, ike, G_DPD_TO, NULL);
		if (ike)
			imp_set(ctx, t, IF_IKE_VERSION, ike->v[G_KEX][0] ?
			    ike->v[G_KEX] : "ikev1", ike->line[G_KEX] ?
			    ike->line[G_KEX] : t->line);
		set_from(ctx, t, IF_P2_LIFE, esp, G_LIFE, NULL);
		set_from(ctx, t, IF_P2_ENCR, esp, G_ENCR, encr);
		set_from(ctx, t, IF_P2_INTEG, esp, G_HASH, NULL);
		set_from(ctx, t, IF_P2_MODE, esp, G_MODE, NULL);
		if (esp && esp->v[G_PFS][0]) {
			const char *pfs = esp->v[G_PFS];

			if (!strcmp(pfs, "enable"))	/* = the IKE group's */
				set_from(ctx, t, IF_P2_PFS, ike, G_DH, NULL);
			else
				imp_set(ctx, t, IF_P2_PFS, !strncmp(pfs,
				    "dh-group", 8) ? pfs + 8 : pfs,
				    esp->line[G_PFS]);
		}
		set_from(ctx, t, IF_MTU, vti, G_MTU, NULL);
		if (!vti || !vti->v[G_ADDR][0])
			continue;
		imp_set(ctx, t, IF_IN_LOCAL, vti->v[G_ADDR], vti->line[G_ADDR]);
		snprintf(addr, sizeof(addr), "%s", vti->v[G_ADDR]);
		if ((slash = strchr(addr, '/')))
			*slash = '\0';
		if (cgw_addr4_parse(addr, &a) < 0)
			continue;
		for (int i = 0; i < y->n_nbr; i++) {
			struct obj *m = &y->nbr[i];

			if (!imp_same_inside(m->name, a))
				continue;
			imp_set(ctx, t, IF_NEXT_HOP, m->name, m->line[G_ASN]);
			set_from(ctx, t, IF_AWS_ASN, m, G_ASN, NULL);
			set_from(ctx, t, IF_HOLD, m, G_HOLD, NULL);
			set_from(ctx, t, IF_KEEPALIVE, m, G_KA, NULL);
			imp_set(ctx, t, IF_LOCAL_ASN, y->asn, y->asn_line);
		}
	}
	c->routing = y->n_nbr ? IMP_ROUTING_BGP : IMP_ROUTING_STATIC;
	free(y);
	return 0;
}
