/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: importers, AWS "strongSwan" download
 *
 * The download is instructions around ipsec.conf, ipsec.secrets and shell
 * commands.  What is read, wherever it appears:
 *   conn NAME + indented key=value lines (right, leftid, keyexchange, ike,
 *       esp, ikelifetime, lifetime/keylife, dpddelay, dpdtimeout,
 *       rekeymargin/margintime, rekeyfuzz, replay_window)
 *   LEFT RIGHT : PSK "secret"                     (ipsec.secrets)
 *   ip link add IF type vti local X remote RIGHT  (binds IF to the tunnel)
 *   ip addr add A/30 remote B/30 dev IF           (inside addresses)
 *   ip link set IF up mtu N
 *   ip route add CIDR dev IF                      (static route, unless a
 *                                                  <VPC CIDR> placeholder)
 *   iptables ... -o IF ... --clamp-mss-to-pmtu    (MSS = MTU - 40) or
 *       --set-mss N
 *   router bgp ASN / neighbor ADDR remote-as ASN / neighbor ADDR timers K H
 * A tunnel is a conn; everything else is joined to it through its "right"
 * address (the AWS endpoint) and, for BGP, the inside /30.  The first
 * proposal of ike= and esp= is taken (cgw offers one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_int.h"
#include "lib/xalloc.h"

#define MAXOBJ 32

struct rec {
	char a[64], b[64], c[72];
	int line;
};

struct sw {
	struct rec links[MAXOBJ], addrs[MAXOBJ], mtus[MAXOBJ], mss[MAXOBJ];
	struct rec routes[MAXOBJ], nbrs[MAXOBJ], secrets[MAXOBJ];
	int n_links, n_addrs, n_mtus, n_mss, n_routes, n_nbrs, n_secrets;
	char asn[16];
	int asn_line;
};

static void
rec(struct rec *arr, int *n, const char *a, const char *b, const char *c,
    int line)
{
	if (*n == MAXOBJ)
		return;
	snprintf(arr[*n].a, sizeof(arr[*n].a), "%s", a);
	snprintf(arr[*n].b, sizeof(arr[*n].b), "%s", b ? b : "");
	snprintf(arr[*n].c, sizeof(arr[*n].c), "%s", c ? c : "");
	arr[*n].line = line;
	(*n)++;
}

static const char *const dh_names[][2] = {
	{ "modp1024", "2" }, { "modp1536", "5" }, { "modp2048", "14" },
	{ "modp3072", "15" }, { "modp4096", "16" }, { "modp6144", "17" },
	{ "modp8192", "18" }, { "ecp256", "19" }, { "ecp384", "20" },
	{ "ecp521", "21" }, { "modp1024s160", "22" }, { "modp2048s224", "23" },
	{ "modp2048s256", "24" }, { NULL, NULL } };

/* "aes128-sha1-modp1024,aes256-..." -> the first proposal's parts. */
static void
proposal(struct imp_ctx *ctx, struct imp_tunnel *t, const char *s, int line,
    enum imp_field fe, enum imp_field fi, enum imp_field fd)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	buf[strcspn(buf, ",!")] = '\0';
	for (tok = strtok_r(buf, "-", &save); tok;
	    tok = strtok_r(NULL, "-", &save)) {
		enum cgw_encr e;
		enum cgw_integ g;
		int k;

		if (cgw_encr_parse(tok, &e) == 0) {
			imp_set(ctx, t, fe, tok, line);
			continue;
		}
		if (!strncmp(tok, "sha2_", 5))
			memmove(tok + 3, tok + 5, strlen(tok + 5) + 1);
		if (cgw_integ_parse(tok, &g) == 0) {
			imp_set(ctx, t, fi, tok, line);
			continue;
		}
		for (k = 0; dh_names[k][0] && strcmp(dh_names[k][0], tok); k++)
			;
		if (dh_names[k][0])
			imp_set(ctx, t, fd, dh_names[k][1], line);
		else if (strncmp(tok, "prf", 3) != 0)
			imp_err(ctx, line, "tunnel %d: \"%s\" in \"%s\" is not "
			    "an algorithm AWS offers", t->label, tok, s);
	}
}

static void
conn_kv(struct imp_ctx *ctx, struct imp_tunnel *t, const char *k, char *v,
    int line)
{
	size_t n = strlen(v);

	if (n && v[n - 1] == '%')
		v[n - 1] = '\0';
	if (!strcmp(k, "right"))
		imp_set(ctx, t, IF_AWS_OUT, v, line);
	else if (!strcmp(k, "leftid"))
		imp_set(ctx, t, IF_CGW_OUT, v, line);
	else if (!strcmp(k, "keyexchange") && strcmp(v, "ike"))
		imp_set(ctx, t, IF_IKE_VERSION, v, line);
	else if (!strcmp(k, "ike"))
		proposal(ctx, t, v, line, IF_P1_ENCR, IF_P1_INTEG, IF_P1_DH);
	else if (!strcmp(k, "esp"))
		proposal(ctx, t, v, line, IF_P2_ENCR, IF_P2_INTEG, IF_P2_PFS);
	else if (!strcmp(k, "ikelifetime"))
		imp_set(ctx, t, IF_P1_LIFE, v, line);
	else if (!strcmp(k, "lifetime") || !strcmp(k, "keylife"))
		imp_set(ctx, t, IF_P2_LIFE, v, line);
	else if (!strcmp(k, "dpddelay"))
		imp_set(ctx, t, IF_DPD_DELAY, v, line);
	else if (!strcmp(k, "dpdtimeout"))
		imp_set(ctx, t, IF_DPD_TIMEOUT, v, line);
	else if (!strcmp(k, "rekeymargin") || !strcmp(k, "margintime"))
		imp_set(ctx, t, IF_REKEY_MARGIN, v, line);
	else if (!strcmp(k, "rekeyfuzz"))
		imp_set(ctx, t, IF_REKEY_FUZZ, v, line);
	else if (!strcmp(k, "replay_window"))
		imp_set(ctx, t, IF_REPLAY, v, line);
	else if ((!strcmp(k, "leftauth") || !strcmp(k, "rightauth") ||
	    !strcmp(k, "authby")) && strcmp(v, "psk") && strcmp(v, "secret"))
		imp_err(ctx, line, "tunnel %d: %s=%s: cgw supports pre-shared "
		    "keys only", t->label, k, v);
}

/* Shell commands and ipsec.secrets lines. */
static void
other(struct sw *s, char *raw, int line)
{
	char copy[512], *w[24];
	const char *psk;
	int n;

	if ((psk = strstr(raw, " : PSK \""))) {
		char sel[160], *sw[4];
		size_t len = strcspn(psk + 8, "\"");

		snprintf(sel, sizeof(sel), "%.*s", (int)(psk - raw), raw);
		if (imp_words(sel, sw, 4) >= 2 && len < 72 &&
		    s->n_secrets < MAXOBJ) {
			rec(s->secrets, &s->n_secrets, sw[0], sw[1], "", line);
			snprintf(s->secrets[s->n_secrets - 1].c, 72, "%.*s",
			    (int)len, psk + 8);
		}
		return;
	}
	snprintf(copy, sizeof(copy), "%s", raw);
	n = imp_words(copy, w, 24);
	for (int i = 0; i + 3 < n; i++) {
		if (!strcmp(w[i], "link") && !strcmp(w[i + 1], "add")) {
			for (int k = i + 3; k + 1 < n; k++)
				if (!strcmp(w[k], "remote"))
					rec(s->links, &s->n_links, w[i + 2],
					    w[k + 1], "", line);
		} else if (!strcmp(w[i], "addr") && !strcmp(w[i + 1], "add") &&
		    i + 6 < n && !strcmp(w[i + 3], "remote") &&
		    !strcmp(w[i + 5], "dev")) {
			rec(s->addrs, &s->n_addrs, w[i + 6], w[i + 2], w[i + 4],
			    line);
		} else if (!strcmp(w[i], "link") && !strcmp(w[i + 1], "set")) {
			for (int k = i + 3; k + 1 < n; k++)
				if (!strcmp(w[k], "mtu"))
					rec(s->mtus, &s->n_mtus, w[i + 2],
					    w[k + 1], "", line);
		} else if (!strcmp(w[i], "route") && !strcmp(w[i + 1], "add") &&
		    i + 4 < n && !strcmp(w[i + 3], "dev")) {
			rec(s->routes, &s->n_routes, w[i + 4], w[i + 2], "",
			    line);
		} else if (!strcmp(w[i], "-o") && strstr(raw, "TCPMSS")) {
			const char *m = strstr(raw, "--set-mss ");

			rec(s->mss, &s->n_mss, w[i + 1], m ? m + 10 : "clamp",
			    "", line);
		}
	}
	if (n >= 3 && !strcmp(w[0], "router") && !strcmp(w[1], "bgp")) {
		snprintf(s->asn, sizeof(s->asn), "%s", w[2]);
		s->asn_line = line;
	} else if (n >= 4 && !strcmp(w[0], "neighbor") &&
	    !strcmp(w[2], "remote-as")) {
		rec(s->nbrs, &s->n_nbrs, w[1], w[3], "", line);
	} else if (n >= 5 && !strcmp(w[0], "neighbor") &&
	    !strcmp(w[2], "timers")) {
		for (int i = 0; i < s->n_nbrs; i++)
			if (!strcmp(s->nbrs[i].a, w[1]))
				snprintf(s->nbrs[i].c, 72, "%s %s", w[3], w[4]);
	}
}

static void
join(struct imp_ctx *ctx, struct sw *s, struct imp_conn *c,
    struct imp_tunnel *t)
{
	const char *right = t->f[IF_AWS_OUT].s, *ifn = NULL;
	unsigned long mtu = 0;
	struct in_addr a;
	char addr[64];

	if (!right)
		return;
	for (int i = 0; i < s->n_secrets; i++)
		if (!strcmp(s->secrets[i].b, right) ||
		    !strcmp(s->secrets[i].a, right))
			imp_set(ctx, t, IF_PSK, s->secrets[i].c,
			    s->secrets[i].line);
	for (int i = 0; i < s->n_links; i++)
		if (!strcmp(s->links[i].b, right))
			ifn = s->links[i].a;
	if (!ifn)
		return;
	for (int i = 0; i < s->n_addrs; i++)
		if (!strcmp(s->addrs[i].a, ifn)) {
			imp_set(ctx, t, IF_IN_LOCAL, s->addrs[i].b,
			    s->addrs[i].line);
			imp_set(ctx, t, IF_IN_REMOTE, s->addrs[i].c,
			    s->addrs[i].line);
		}
	for (int i = 0; i < s->n_mtus; i++)
		if (!strcmp(s->mtus[i].a, ifn)) {
			imp_set(ctx, t, IF_MTU, s->mtus[i].b, s->mtus[i].line);
			imp_parse_uint(s->mtus[i].b, 65535, &mtu);
		}
	for (int i = 0; i < s->n_mss; i++) {
		char v[24];	/* any unsigned long */

		if (strcmp(s->mss[i].a, ifn))
			continue;
		if (strcmp(s->mss[i].b, "clamp"))
			snprintf(v, sizeof(v), "%.15s", s->mss[i].b);
		else if (mtu > 40)	/* clamp to PMTU: MTU - IPv4 - TCP */
			snprintf(v, sizeof(v), "%lu", mtu - 40);
		else
			continue;
		v[strcspn(v, " ")] = '\0';
		imp_set(ctx, t, IF_MSS, v, s->mss[i].line);
	}
	for (int i = 0; i < s->n_routes; i++)
		if (!strcmp(s->routes[i].a, ifn))
			imp_add_route(c, s->routes[i].b, s->routes[i].line);
	snprintf(addr, sizeof(addr), "%s", t->f[IF_IN_LOCAL].s ?
	    t->f[IF_IN_LOCAL].s : "");
	addr[strcspn(addr, "/")] = '\0';
	if (cgw_addr4_parse(addr, &a) < 0)
		return;
	for (int i = 0; i < s->n_nbrs; i++) {
		struct rec *m = &s->nbrs[i];
		char *sp;

		if (!imp_same_inside(m->a, a))
			continue;
		imp_set(ctx, t, IF_NEXT_HOP, m->a, m->line);
		imp_set(ctx, t, IF_AWS_ASN, m->b, m->line);
		if (s->asn[0])
			imp_set(ctx, t, IF_LOCAL_ASN, s->asn, s->asn_line);
		if ((sp = strchr(m->c, ' '))) {
			*sp = '\0';
			imp_set(ctx, t, IF_KEEPALIVE, m->c, m->line);
			imp_set(ctx, t, IF_HOLD, sp + 1, m->line);
		}
	}
}

int
imp_strongswan_parse(struct imp_ctx *ctx, const struct imp_lines *ls,
    struct imp_conn *c)
{
	struct sw *s = xcalloc(1, sizeof(*s));
	struct imp_tunnel *t = NULL;

	for (int i = 0; i < ls->n; i++) {
		char *raw = ls->l[i], kv[256], *eq;
		const char *p = imp_skip_ws(raw), *name;
		int line = i + 1;

		if ((name = imp_prefix(raw, "conn ")) && c->n_tun < MAXOBJ) {
			const char *d = name + strcspn(name, "0123456789");

			t = imp_conn_tunnel(c, line, atoi(d), imp_skip_ws(name));
			continue;
		}
		if (t && (raw[0] == ' ' || raw[0] == '\t') && *p != '#' &&
		    (eq = strchr(p, '=')) && eq > p) {
			/* Found by fuzzing: a longer line cut to fit put the
			 * key's end past the buffer. */
			if (strlen(p) >= sizeof(kv)) {
				imp_err(ctx, line, "line of %zu characters: "
				    "expected key=value of at most %zu; is this "
				    "AWS's strongSwan download?", strlen(p),
				    sizeof(kv) - 1);
				continue;
			}
			snprintf(kv, sizeof(kv), "%s", p);
			kv[eq - p] = '\0';
			conn_kv(ctx, t, imp_trim(kv), imp_trim(kv + (eq - p) +
			    1), line);
			continue;
		}
		if (raw[0] != ' ' && raw[0] != '\t')
			t = NULL;
		other(s, raw, line);
	}
	for (size_t k = 0; k < c->n_tun; k++)
		join(ctx, s, c, &c->tun[k]);
	c->routing = s->n_nbrs ? IMP_ROUTING_BGP : IMP_ROUTING_STATIC;
	explicit_bzero(s, sizeof(*s));
	free(s);
	return 0;
}
