/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, AWS "Cisco ASA 9.7+ (VTI)" download
 *
 * Read as ASA commands, not as a template: a top-level command opens a
 * block ("crypto ikev1|ikev2 policy N", "crypto ipsec profile NAME",
 * "crypto ipsec ikev2 ipsec-proposal NAME", "tunnel-group ADDR
 * ipsec-attributes", "interface TunnelN", "router bgp ASN") whose indented
 * lines belong to it.  A tunnel is an "interface TunnelN" with a "tunnel
 * destination" (the AWS endpoint); it takes the pre-shared key of the
 * tunnel-group of that address, the transform set / proposal, PFS group and
 * lifetime of its "tunnel protection ipsec profile", the BGP neighbor in its
 * /30, and the IKE policy of its "IPSec Tunnel #N" section (else the first
 * policy).  Global commands (sysopt connection tcpmss, replay window-size)
 * apply to both tunnels.  The ASA template has no customer gateway outside
 * address ('outside_interface'): it stays unset, and the operator gives it
 * (cgwctl import --cgw-outside; build.c refuses the file without it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

#define MAXOBJ 16

struct named {
	char name[64];
	int label, line, version;
	char encr[32], integ[32], dh[16], life[16], ref[64];
};

struct asa {
	struct named pol[MAXOBJ], prof[MAXOBJ], tset[MAXOBJ], nbr[MAXOBJ];
	int n_pol, n_prof, n_tset, n_nbr;
	char tun_prof[MAXOBJ][64];	/* per tunnel index: profile name */
	int tun_sec[MAXOBJ];		/* per tunnel index: section label */
	char mss[16], replay[16], local_asn[16];
	int mss_line, replay_line, asn_line;
};

static struct named *
add(struct named *arr, int *n, const char *name, int label, int line)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(arr[i].name, name))
			return &arr[i];
	if (*n == MAXOBJ)
		return NULL;
	memset(&arr[*n], 0, sizeof(arr[*n]));
	snprintf(arr[*n].name, sizeof(arr[*n].name), "%s", name);
	arr[*n].label = label;
	arr[*n].line = line;
	return &arr[(*n)++];
}

static const char *
map(const char *s, const char *const tab[][2])
{
	for (int i = 0; tab[i][0]; i++)
		if (!strcasecmp(s, tab[i][0]))
			return tab[i][1];
	return s;
}

static const char *const encr_tab[][2] = {
	{ "aes", "aes128" }, { "aes-256", "aes256" },
	{ "esp-aes", "aes128" }, { "esp-aes-256", "aes256" },
	{ "aes-gcm", "aes128gcm16" }, { "aes-gcm-256", "aes256gcm16" },
	{ "esp-aes-gcm", "aes128gcm16" }, { "esp-aes-gcm-256", "aes256gcm16" },
	{ NULL, NULL } };
static const char *const integ_tab[][2] = {
	{ "sha", "sha1" }, { "sha-1", "sha1" }, { "sha-256", "sha256" },
	{ "sha-384", "sha384" }, { "sha-512", "sha512" },
	{ "esp-sha-hmac", "sha1" }, { "esp-sha256-hmac", "sha256" },
	{ "esp-sha384-hmac", "sha384" }, { "esp-sha512-hmac", "sha512" },
	{ "null", "none" }, { "esp-none", "none" }, { NULL, NULL } };

static void
cp(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

enum blk { B_NONE, B_POL, B_PROF, B_PROP, B_TG, B_IF, B_BGP };

int
imp_asa_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c)
{
	struct asa *a = xcalloc(1, sizeof(*a));
	struct named *cur = NULL;
	struct imp_tunnel *t = NULL;
	char tg[64] = "", ifaddr[64] = "", ifmask[64] = "", ifdest[64] = "";
	char ifprof[64] = "";
	int label = 0, ifline = 0, addr_line = 0, iflabel = 0;
	enum blk b = B_NONE;

	for (int i = 0; i <= ls->n; i++) {
		char copy[512], *w[12];
		const char *raw = i < ls->n ? ls->l[i] : "end";
		bool indented = raw[0] == ' ' || raw[0] == '\t';
		int n, line = i + 1;

		cp(copy, sizeof(copy), raw);
		n = imp_words(copy, w, 12);
		if (n && w[0][0] == '!') {
			const char *p = strstr(raw, "Tunnel #");

			if (p && imp_contains(raw, "IPSec Tunnel #"))
				label = atoi(p + 8);
			continue;
		}
		if (!n)
			continue;
		if (!indented || !strcmp(w[0], "exit")) {
			/* The block ends: an interface becomes a tunnel. */
			if (b == B_IF && ifdest[0]) {
				t = imp_conn_tunnel(c, ifline, iflabel, ifdest);
				if (ifaddr[0]) {
					imp_set(ctx, t, IF_IN_LOCAL, ifaddr,
					    addr_line);
					imp_set(ctx, t, IF_IN_LEN, ifmask,
					    addr_line);
				}
				imp_set(ctx, t, IF_AWS_OUT, ifdest, ifline);
				if (t - c->tun < MAXOBJ) {
					cp(a->tun_prof[t - c->tun], 64, ifprof);
					a->tun_sec[t - c->tun] = iflabel;
				}
			} else if (b == B_IF) {
				imp_err(ctx, ifline, "interface without "
				    "\"tunnel destination\": cannot tell which "
				    "AWS endpoint it is for");
			}
			b = B_NONE;
			cur = NULL;
			if (c->n_tun >= MAXOBJ - 1)
				break;
		}
		if (!indented) {
			if (n >= 4 && !strcmp(w[0], "crypto") &&
			    (!strcmp(w[1], "ikev1") || !strcmp(w[1], "ikev2")) &&
			    !strcmp(w[2], "policy")) {
				b = B_POL;
				cur = add(a->pol, &a->n_pol, w[3], label, line);
				if (cur)
					cur->version = w[1][4] - '0';
			} else if (n >= 4 && !strcmp(w[0], "crypto") &&
			    !strcmp(w[1], "ipsec") && !strcmp(w[2], "profile")) {
				b = B_PROF;
				cur = add(a->prof, &a->n_prof, w[3], label, line);
			} else if (n >= 5 && !strcmp(w[0], "crypto") &&
			    !strcmp(w[2], "ikev2") &&
			    !strcmp(w[3], "ipsec-proposal")) {
				b = B_PROP;
				cur = add(a->tset, &a->n_tset, w[4], label, line);
			} else if (n >= 7 && !strcmp(w[0], "crypto") &&
			    !strcmp(w[2], "ikev1") &&
			    !strcmp(w[3], "transform-set") &&
			    (cur = add(a->tset, &a->n_tset, w[4], label, line))) {
				cp(cur->encr, 32, map(w[5], encr_tab));
				cp(cur->integ, 32, map(w[6], integ_tab));
				cur = NULL;
			} else if (n >= 3 && !strcmp(w[0], "tunnel-group") &&
			    !strcmp(w[2], "ipsec-attributes")) {
				b = B_TG;
				cp(tg, sizeof(tg), w[1]);
			} else if (n >= 2 && !strcmp(w[0], "interface") &&
			    !strncmp(w[1], "Tunnel", 6)) {
				b = B_IF;
				ifline = line;
				iflabel = label;
				ifaddr[0] = ifdest[0] = ifprof[0] = '\0';
			} else if (n >= 3 && !strcmp(w[0], "router") &&
			    !strcmp(w[1], "bgp")) {
				b = B_BGP;
				cp(a->local_asn, 16, w[2]);
				a->asn_line = line;
			} else if (n >= 4 && !strcmp(w[0], "sysopt") &&
			    !strcmp(w[2], "tcpmss")) {
				cp(a->mss, 16, w[3]);
				a->mss_line = line;
			} else if (n >= 6 && !strcmp(w[0], "crypto") &&
			    !strcmp(w[3], "replay") &&
			    !strcmp(w[4], "window-size")) {
				cp(a->replay, 16, w[5]);
				a->replay_line = line;
			}
			continue;
		}
		/* Inside a block. */
		if (b == B_POL && cur && n >= 2) {
			if (!strcmp(w[0], "encryption"))
				cp(cur->encr, 32, map(w[1], encr_tab));
			else if (!strcmp(w[0], "hash") ||
			    !strcmp(w[0], "integrity"))
				cp(cur->integ, 32, map(w[1], integ_tab));
			else if (!strcmp(w[0], "group"))
				cp(cur->dh, 16, w[1]);
			else if (!strcmp(w[0], "lifetime"))
				cp(cur->life, 16, w[n - 1]);
			else if (!strcmp(w[0], "authentication") &&
			    strcmp(w[1], "pre-share"))
				imp_err(ctx, line, "authentication \"%s\": cgw "
				    "supports pre-shared keys only", w[1]);
		} else if (b == B_PROP && cur && n >= 4 &&
		    !strcmp(w[0], "protocol") && !strcmp(w[1], "esp")) {
			if (!strcmp(w[2], "encryption"))
				cp(cur->encr, 32, map(w[3], encr_tab));
			else if (!strcmp(w[2], "integrity"))
				cp(cur->integ, 32, map(w[3], integ_tab));
			cur->version = 2;
		} else if (b == B_PROF && cur && n >= 3 && !strcmp(w[0], "set")) {
			if (!strcmp(w[1], "pfs"))
				cp(cur->dh, 16, w[2]);
			else if (!strcmp(w[1], "security-association") &&
			    n >= 5 && !strcmp(w[3], "seconds"))
				cp(cur->life, 16, w[4]);
			else if ((!strcmp(w[1], "ikev1") ||
			    !strcmp(w[1], "ikev2")) && n >= 4) {
				cp(cur->ref, 64, w[3]);
				cur->version = w[1][4] - '0';
			}
		} else if (b == B_TG && n >= 3) {
			const char *psk = NULL;

			if (!strcmp(w[0], "ikev1") && !strcmp(w[1],
			    "pre-shared-key"))
				psk = w[2];
			else if (!strcmp(w[0], "ikev2") && n >= 4 &&
			    !strcmp(w[2], "pre-shared-key"))
				psk = w[3];
			if (psk) {
				t = imp_conn_tunnel(c, line, label, tg);
				imp_set(ctx, t, IF_PSK, psk, line);
				imp_set(ctx, t, IF_IKE_VERSION, w[0], line);
			} else if (!strcmp(w[0], "isakmp") && n >= 4 &&
			    !strcmp(w[2], "threshold")) {
				t = imp_conn_tunnel(c, line, label, tg);
				imp_set(ctx, t, IF_DPD_DELAY, w[3], line);
			}
		} else if (b == B_IF && n >= 3) {
			if (!strcmp(w[0], "ip") && !strcmp(w[1], "address")) {
				cp(ifaddr, sizeof(ifaddr), w[2]);
				cp(ifmask, sizeof(ifmask), n > 3 ? w[3] : "");
				addr_line = line;
			} else if (!strcmp(w[0], "tunnel") &&
			    !strcmp(w[1], "destination")) {
				cp(ifdest, sizeof(ifdest), w[2]);
			} else if (!strcmp(w[0], "tunnel") && n >= 5 &&
			    !strcmp(w[1], "protection")) {
				cp(ifprof, sizeof(ifprof), w[4]);
			}
		} else if (b == B_BGP && n >= 4 && !strcmp(w[0], "neighbor")) {
			struct named *nb = add(a->nbr, &a->n_nbr, w[1], label,
			    line);

			if (nb && !strcmp(w[2], "remote-as"))
				cp(nb->encr, 32, w[3]);
			else if (nb && !strcmp(w[2], "timers") && n >= 5) {
				cp(nb->integ, 32, w[3]);
				cp(nb->life, 16, w[4]);
			}
		}
	}
	/* Join: profiles, policies and neighbors onto the tunnels. */
	for (size_t k = 0; k < c->n_tun && k < MAXOBJ; k++) {
		struct imp_tunnel *x = &c->tun[k];
		struct named *pf = NULL, *ts = NULL, *po = NULL;
		const char *loc = x->f[IF_IN_LOCAL].s;
		struct in_addr in;

		for (int i = 0; i < a->n_prof; i++)
			if (!strcmp(a->prof[i].name, a->tun_prof[k]))
				pf = &a->prof[i];
		for (int i = 0; pf && i < a->n_tset; i++)
			if (!strcmp(a->tset[i].name, pf->ref))
				ts = &a->tset[i];
		for (int i = 0; i < a->n_pol && !po; i++)
			if (a->pol[i].label == a->tun_sec[k])
				po = &a->pol[i];
		if (!po && a->n_pol)
			po = &a->pol[0];
		if (pf) {
			if (pf->dh[0])
				imp_set(ctx, x, IF_P2_PFS, pf->dh, pf->line);
			if (pf->life[0])
				imp_set(ctx, x, IF_P2_LIFE, pf->life, pf->line);
		} else if (a->tun_prof[k][0]) {
			imp_err(ctx, x->line, "tunnel protection ipsec profile "
			    "\"%s\" is not defined", a->tun_prof[k]);
		}
		if (ts && ts->encr[0])
			imp_set(ctx, x, IF_P2_ENCR, ts->encr, ts->line);
		if (ts && ts->integ[0])
			imp_set(ctx, x, IF_P2_INTEG, ts->integ, ts->line);
		if (po) {
			if (po->encr[0])
				imp_set(ctx, x, IF_P1_ENCR, po->encr, po->line);
			if (po->integ[0])
				imp_set(ctx, x, IF_P1_INTEG, po->integ, po->line);
			if (po->dh[0])
				imp_set(ctx, x, IF_P1_DH, po->dh, po->line);
			if (po->life[0])
				imp_set(ctx, x, IF_P1_LIFE, po->life, po->line);
		}
		if (a->mss[0])
			imp_set(ctx, x, IF_MSS, a->mss, a->mss_line);
		if (a->replay[0])
			imp_set(ctx, x, IF_REPLAY, a->replay, a->replay_line);
		if (!loc || cgw_addr4_parse(loc, &in) < 0)
			continue;
		for (int i = 0; i < a->n_nbr; i++) {
			struct named *m = &a->nbr[i];

			if (!imp_same_inside(m->name, in))
				continue;
			imp_set(ctx, x, IF_NEXT_HOP, m->name, m->line);
			if (m->encr[0])
				imp_set(ctx, x, IF_AWS_ASN, m->encr, m->line);
			if (m->integ[0])
				imp_set(ctx, x, IF_KEEPALIVE, m->integ, m->line);
			if (m->life[0])
				imp_set(ctx, x, IF_HOLD, m->life, m->line);
			if (a->local_asn[0])
				imp_set(ctx, x, IF_LOCAL_ASN, a->local_asn,
				    a->asn_line);
		}
	}
	c->routing = a->n_nbr ? IMP_ROUTING_BGP : IMP_ROUTING_STATIC;
	free(a);
	return 0;
}
