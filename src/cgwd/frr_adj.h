/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: what bgpd actually advertises to a neighbor (its adj-rib-out)
 *
 * cgwctl show routes lists what AWS is told from bgpd itself, the text of
 * `show bgp ipv4 unicast neighbors A advertised-routes json`, next to
 * what the configuration and the failover verdict say it should be: a
 * prefix bgpd does not send, or one it sends that cgw never asked for,
 * is a difference the operator must see.  Pure code, fuzzed.
 */
#ifndef CGW_FRR_ADJ_H
#define CGW_FRR_ADJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define FRR_ADJ_MAX 1000	/* AWS accepts 100 from a gateway; far above */

struct frr_adj_out {
	struct cgw_prefix *prefixes;	/* IPv4, in bgpd's order */
	size_t n;
	char note[96];		/* bgpd's warning ("No such neighbor ..."),
				 * or why its answer could not be read */
};

/* Reads bgpd's answer.  0: prefixes holds what bgpd advertises (none
 * when bgpd warned, e.g. of a neighbor it does not have: note says so);
 * -1: the answer is not what bgpd sends (note says why, prefixes empty).
 * Frees what *out held before. */
int frr_adj_parse(const char *text, struct frr_adj_out *out);
void frr_adj_clear(struct frr_adj_out *out);
/* Whether p is among what bgpd advertises. */
bool frr_adj_has(const struct frr_adj_out *out, const struct cgw_prefix *p);

/* One advertised line of show routes: a prefix and what bgpd does with
 * it (enum cgw_route_bgpd). */
struct frr_adj_line {
	struct cgw_prefix prefix;
	uint32_t bgpd;
};
/* What cgw wants advertised (want, in order), each as bgpd has it, then
 * what bgpd advertises beyond that; adj NULL: bgpd was not read, every
 * wanted prefix is "unread".  out holds n_want + adj->n lines; returns
 * how many were written. */
size_t frr_adj_compare(const struct cgw_prefix *want, size_t n_want,
    const struct frr_adj_out *adj, struct frr_adj_line *out);

#endif
