/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: mark and sweep of cgw's objects in bgpd (see frr_sweep.h)
 */
#include "cgwd/frr_sweep.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cgwd/frr_conf.h"
#include "lib/xalloc.h"

struct names {
	char **v;
	size_t n;
};

/* cgw's objects found in one configuration text. */
struct objs {
	unsigned long asn;		/* the default instance's, 0: none */
	bool asn_cgw;			/* it holds cgw's neighbors/networks */
	struct names neighbors;		/* "169.254.10.1" */
	struct names networks;		/* "10.10.0.0/16" */
	struct names plist;		/* "CGW-ON-PREM seq 5" */
	struct names rmaps;		/* "CGW-OUT-cgw-abcdef-1" */
};

static bool
has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

static void
add(struct names *s, const char *name)
{
	if (has(s, name))
		return;
	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = xstrdup(name);
}

static void
names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void
objs_free(struct objs *o)
{
	names_free(&o->neighbors);
	names_free(&o->networks);
	names_free(&o->plist);
	names_free(&o->rmaps);
}

/* The words of one line, at most max, each at most 63 characters. */
static int
words(const char *line, char w[][64], int max)
{
	int n = 0;

	while (n < max) {
		size_t len;

		line += strspn(line, " \t");
		len = strcspn(line, " \t\r\n");
		if (!len)
			break;
		if (len > 63)
			len = 63;
		memcpy(w[n], line, len);
		w[n++][len] = '\0';
		line += strcspn(line, " \t\r\n");
	}
	return n;
}

static bool
is_cgw_name(const char *name)
{
	return strncmp(name, "CGW-", 4) == 0 &&
	    strncmp(name, "CGW-DONE-", 9) != 0;
}

static void
parse(const char *text, struct objs *o)
{
	bool in_bgp = false;

	memset(o, 0, sizeof(*o));
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[512], w[8][64], key[140];
		int n;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, text, len);
		line[len] = '\0';
		text = nl ? nl + 1 : NULL;
		n = words(line, w, 8);
		if (n == 0)
			continue;
		if (line[0] != ' ' && line[0] != '\t')
			in_bgp = false;	/* any top-level line ends a block */
		if (n == 3 && strcmp(w[0], "router") == 0 &&
		    strcmp(w[1], "bgp") == 0) {
			/* the default instance only: "router bgp N vrf X"
			 * has more words */
			in_bgp = true;
			o->asn = strtoul(w[2], NULL, 10);
		} else if (in_bgp && n >= 4 && strcmp(w[0], "neighbor") == 0 &&
		    strcmp(w[2], "description") == 0 &&
		    strcmp(w[3], "cgw") == 0) {
			add(&o->neighbors, w[1]);
			o->asn_cgw = true;
		} else if (in_bgp && n == 4 && strcmp(w[0], "network") == 0 &&
		    strcmp(w[2], "route-map") == 0 &&
		    strcmp(w[3], FRR_NET_ROUTE_MAP) == 0) {
			add(&o->networks, w[1]);
			o->asn_cgw = true;
		} else if (n >= 5 && strcmp(w[0], "ip") == 0 &&
		    strcmp(w[1], "prefix-list") == 0 && is_cgw_name(w[2]) &&
		    strcmp(w[3], "seq") == 0) {
			snprintf(key, sizeof(key), "%s seq %s", w[2], w[4]);
			add(&o->plist, key);
		} else if (n == 4 && strcmp(w[0], "route-map") == 0 &&
		    is_cgw_name(w[1])) {
			add(&o->rmaps, w[1]);
		}
	}
}

unsigned int
frr_sweep_write(FILE *before, FILE *after, const char *running,
    const struct cgw_conf *conf)
{
	struct objs have, want;
	char *text = NULL;
	size_t len = 0, k;
	unsigned int removed = 0;
	bool instance_gone = false;
	FILE *f = open_memstream(&text, &len);

	frr_conf_write(f, conf, NULL);
	fclose(f);
	parse(text, &want);
	free(text);
	parse(running, &have);

	/* One bgpd instance, one ASN: cgw's old instance goes as a whole
	 * (an instance that holds nothing of cgw's is the operator's, and
	 * stays; bgpd then refuses cgw's, which shows as an error). */
	if (have.asn && have.asn_cgw && want.asn && have.asn != want.asn) {
		fprintf(before, "configure terminal\nno router bgp %lu\nend\n",
		    have.asn);
		instance_gone = true;
		removed++;
	}
	fputs("configure terminal\n", after);
	if (!instance_gone && have.asn) {
		unsigned int in_bgp = 0;

		for (k = 0; k < have.neighbors.n; k++)
			if (!has(&want.neighbors, have.neighbors.v[k]))
				in_bgp++;
		for (k = 0; k < have.networks.n; k++)
			if (!has(&want.networks, have.networks.v[k]))
				in_bgp++;
		if (in_bgp) {
			fprintf(after, "router bgp %lu\n", have.asn);
			for (k = 0; k < have.neighbors.n; k++)
				if (!has(&want.neighbors, have.neighbors.v[k]))
					fprintf(after, " no neighbor %s\n",
					    have.neighbors.v[k]);
			fputs(" address-family ipv4 unicast\n", after);
			for (k = 0; k < have.networks.n; k++)
				if (!has(&want.networks, have.networks.v[k]))
					fprintf(after, "  no network %s route-map %s\n",
					    have.networks.v[k], FRR_NET_ROUTE_MAP);
			fputs(" exit-address-family\nexit\n", after);
			removed += in_bgp;
		}
	}
	for (k = 0; k < have.plist.n; k++)
		if (!has(&want.plist, have.plist.v[k])) {
			fprintf(after, "no ip prefix-list %s\n", have.plist.v[k]);
			removed++;
		}
	/* After the neighbors that referred to them. */
	for (k = 0; k < have.rmaps.n; k++)
		if (!has(&want.rmaps, have.rmaps.v[k])) {
			fprintf(after, "no route-map %s\n", have.rmaps.v[k]);
			removed++;
		}
	fputs("end\n", after);
	objs_free(&have);
	objs_free(&want);
	return removed;
}
