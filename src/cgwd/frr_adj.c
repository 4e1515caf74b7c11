/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: bgpd's adj-rib-out (see frr_adj.h)
 *
 * FRR 8.4 answers {"advertisedRoutes": {"10.1.0.0/16": {"addrPrefix":
 * "10.1.0.0", "prefixLen": 16, ...}, ...}, "totalPrefixCounter": N, ...}
 * for a neighbor it has (an empty object for one that is shut), and
 * {"warning": "No such neighbor in this view/vrf"} for one it does not.
 * The prefix is read from each entry's own fields, the key only when they
 * are missing (older releases).
 */
#include "cgwd/frr_adj.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cgw_msg.h"
#include "lib/xalloc.h"

void
frr_adj_clear(struct frr_adj_out *out)
{
	free(out->prefixes);
	out->prefixes = NULL;
	out->n = 0;
	out->note[0] = '\0';
}

static bool
entry_prefix(const char *key, json_object *e, struct cgw_prefix *p)
{
	json_object *a, *l;
	char buf[64];

	if (json_object_is_type(e, json_type_object) &&
	    json_object_object_get_ex(e, "addrPrefix", &a) &&
	    json_object_object_get_ex(e, "prefixLen", &l) &&
	    json_object_is_type(a, json_type_string) &&
	    json_object_is_type(l, json_type_int)) {
		int64_t len = json_object_get_int64(l);

		if (len < 0 || len > 32)
			return false;
		snprintf(buf, sizeof(buf), "%.40s/%d", json_object_get_string(a),
		    (int)len);
		key = buf;
	}
	return cgw_prefix_parse(key, p, false) == 0 && p->family == AF_INET;
}

int
frr_adj_parse(const char *text, struct frr_adj_out *out)
{
	json_object *root = json_tokener_parse(text), *routes, *w;
	int r = -1;

	frr_adj_clear(out);
	if (!root || !json_object_is_type(root, json_type_object)) {
		snprintf(out->note, sizeof(out->note), "bgpd's answer is not a JSON object");
		goto out;
	}
	if (json_object_object_get_ex(root, "warning", &w)) {
		snprintf(out->note, sizeof(out->note), "bgpd: %.80s",
		    json_object_get_string(w));
		r = 0;
		goto out;
	}
	if (!json_object_object_get_ex(root, "advertisedRoutes", &routes) ||
	    !json_object_is_type(routes, json_type_object)) {
		snprintf(out->note, sizeof(out->note), "bgpd's answer has no advertisedRoutes");
		goto out;
	}
	out->prefixes = xcalloc((size_t)json_object_object_length(routes) + 1,
	    sizeof(*out->prefixes));
	json_object_object_foreach(routes, key, e) {
		struct cgw_prefix p;

		if (!entry_prefix(key, e, &p)) {
			snprintf(out->note, sizeof(out->note),
			    "bgpd advertises a route cgw cannot read: %.40s", key);
			continue;
		}
		if (out->n == FRR_ADJ_MAX) {
			snprintf(out->note, sizeof(out->note),
			    "bgpd advertises more than %d routes: the rest not shown",
			    FRR_ADJ_MAX);
			break;
		}
		out->prefixes[out->n++] = p;
	}
	r = 0;
out:
	json_object_put(root);
	return r;
}

bool
frr_adj_has(const struct frr_adj_out *out, const struct cgw_prefix *p)
{
	return cgw_prefix_in(out->prefixes, out->n, p);
}

size_t
frr_adj_compare(const struct cgw_prefix *want, size_t n_want,
    const struct frr_adj_out *adj, struct frr_adj_line *out)
{
	size_t n = 0;

	for (size_t i = 0; i < n_want; i++) {
		out[n].prefix = want[i];
		out[n++].bgpd = !adj ? CGW_BGPD_UNREAD :
		    frr_adj_has(adj, &want[i]) ? CGW_BGPD_SENT : CGW_BGPD_NOT_SENT;
	}
	for (size_t i = 0; adj && i < adj->n; i++)
		if (!cgw_prefix_in(want, n_want, &adj->prefixes[i])) {
			out[n].prefix = adj->prefixes[i];
			out[n++].bgpd = CGW_BGPD_UNEXPECTED;
		}
	return n;
}
