/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw's part of the FRR configuration, as text
 *
 * Pure: from the model and each tunnel's failover verdict, the vtysh
 * commands that make bgpd do what cgw wants.  Everything is idempotent
 * (vtysh accepts the same command twice), names start with CGW- so cgw
 * only ever touches its own part, and the policy toward AWS is:
 * - by default (policy active-active) equal attributes on both tunnels
 *   (AWS steers with MED, and lowers it on the healthy tunnel during its
 *   maintenance); with policy active-standby the standby tunnel's routes
 *   get a lower local preference inbound (CGW-IN-<ifname>) and its
 *   announcements an AS path prepended twice outbound, so both
 *   directions use the preferred tunnel while it works;
 * - one path per prefix unless the box asks for ECMP (`ecmp N`:
 *   maximum-paths N; bgpd's own default is ECMP);
 * - timers from the connection (AWS: keepalive 10, hold 30) and
 *   `timers connect 1`, so BGP comes up as soon as its tunnel does
 *   instead of after a 120 s connect-retry;
 * - the on-prem prefixes announced on every tunnel; their more-specifics
 *   (each prefix split in two) announced only on a tunnel that must pull
 *   the return path because the other one died, since AWS prefers the
 *   longest prefix before any BGP attribute and so moves VPC->on-prem
 *   traffic at once instead of after its 30 s hold timer;
 * - `bgp route-map delay-timer 0`: a policy change applies at once;
 *   `coalesce-time 100`: a session that comes up gets its routes at once.
 */
#ifndef CGW_FRR_CONF_H
#define CGW_FRR_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "conf/conf.h"

/* The route-map on cgw's network statements: it changes nothing, it
 * marks them as cgw's (frr_sweep.c removes those it no longer wants). */
#define FRR_NET_ROUTE_MAP "CGW-NET"
#define FRR_COALESCE_MS 100

/* What failover wants of one tunnel's BGP session. */
struct frr_policy {
	int pull;		/* announce the more-specifics: 1, 0, or -1:
				 * leave as is (frr_policy_write); a full
				 * write needs 0 or 1 */
	int shut;		/* 1: neighbor shutdown, 0: not, -1: leave as is */
	/* in its hold-down: the session runs (AWS sees the tunnel UP) but
	 * its routes are made less preferred both ways, as a standby's */
	bool held;
	bool held_changed;	/* ...since the last write: re-apply inbound */
};

/* Writes the commands (starting with "configure terminal") to out.
 * pol[i] is for tunnel i, in connection order, two per connection (NULL:
 * no pull, leave shutdowns).  Returns the number of prefixes announced on
 * the busiest session, for the prefix-limit check. */
size_t frr_conf_write(FILE *out, const struct cgw_conf *conf,
    const struct frr_policy *pol);
/* Only what failover changes (route-map entries, neighbor shutdowns, and
 * the soft clears that push them): the fast path, a few lines. */
void frr_policy_write(FILE *out, const struct cgw_conf *conf,
    const struct frr_policy *pol);
/* The more-specific halves of p (two /len+1); false if p is a /32. */
bool frr_more_specifics(const struct cgw_prefix *p, struct cgw_prefix out[2]);
/* AWS's limit of prefixes from the customer per BGP session. */
size_t frr_prefix_limit(const struct cgw_conn_conf *c);

#endif
