/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the outside firewall (nftables rules, as text)
 *
 * cgw sits on the internet-facing edge: on the outside interface, IKE
 * (UDP 500 and 4500, which also carries ESP in UDP) and ESP are accepted
 * only from the configured AWS endpoints; anyone else's are dropped and
 * counted.  Everything else on that interface is not cgw's business and
 * passes untouched, as does IPv6 (cgw's tunnels are IPv4).  A chain of
 * cgw's own table (mss.h writes the rest), so the operator's ruleset is
 * never touched; "outside-filter off" in cgw.conf leaves it out.
 */
#ifndef CGW_OUTSIDE_FILTER_H
#define CGW_OUTSIDE_FILTER_H

#include <stdio.h>

#include "conf/conf.h"

/* Appends the chain to "table inet cgw" (nothing when off, or without an
 * outside interface). */
void outside_rules_write(FILE *out, const struct cgw_conf *conf);

/* No cleartext, ever: traffic to a connection's VPC prefixes (its
 * static-routes, and learned, the prefixes seen routed through its
 * tunnels) that would leave the outside interface (the tunnels down, their
 * routes gone, the default route left) is dropped and counted, forwarded
 * or the box's own; IKE and ESP to the AWS endpoints always pass, and so
 * does what a route of the outside interface's other than the default
 * route carries (wan_routes: its subnet, a route of the operator's).
 * Without an outside interface, nothing. */
void cleartext_rules_write(FILE *out, const struct cgw_conf *conf,
    const struct cgw_prefix *learned, size_t n_learned,
    const struct cgw_prefix *wan_routes, size_t n_wan_routes);

#endif
