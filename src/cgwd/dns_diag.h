/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: diagnose dns NAME: where resolution stops
 *
 * cgwd gathers the facts (dns.c): for each inbound endpoint address, the
 * kernel's route to it and what it answered when asked NAME from the
 * source address; what unbound answered for NAME on the box; the
 * addresses unbound's queries leave from.  This turns them into findings,
 * each a stable cause key and one sentence with the fix.  Pure.
 */
#ifndef CGW_DNS_DIAG_H
#define CGW_DNS_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgwd/dns_wire.h"
#include "conf/conf.h"

/* The kernel's route to an endpoint address: none; the default route or
 * the outside interface (the internet, in clear: never used); a route of
 * the operator's through another interface (Direct Connect, a router on
 * the LAN: used, and said); one of cgw's tunnels. */
enum dns_route { DNS_ROUTE_NONE, DNS_ROUTE_OUTSIDE, DNS_ROUTE_OTHER,
	DNS_ROUTE_TUNNEL };

/* One question's fate. */
struct dns_asked {
	int err;			/* -errno: could not be sent; 0 = sent */
	bool answered;			/* else: no answer in time... */
	int icmp_err;			/* ...or the ICMP error that came back */
	struct dns_reply reply;
	uint32_t rtt_us;
};

struct dns_diag_facts {
	const char *name;			/* as asked, no final dot */
	const struct cgw_conf *conf;
	struct {
		enum dns_route route;
		char ifname[16];		/* the route's interface */
		struct dns_asked asked;
	} ep[CGW_DNS_ENDPOINTS_MAX];
	struct dns_asked unbound;		/* NAME on 127.0.0.1 */
	bool outgoing_known;			/* unbound said its option */
	char outgoing[8][16];			/* outgoing-interface values */
	size_t n_outgoing;
};

enum dns_severity { DNS_OK, DNS_WARNING, DNS_FAULT };

struct dns_finding {
	char where[16];			/* an endpoint address, or "unbound" */
	char cause[32];
	enum dns_severity severity;
	char text[512];
};

#define DNS_FINDINGS_MAX (CGW_DNS_ENDPOINTS_MAX + 4)

/* Fills out (at most DNS_FINDINGS_MAX); returns the count. */
size_t dns_diagnose(const struct dns_diag_facts *f, struct dns_finding *out);
/* Whether name is one of the zones or below one. */
bool dns_in_zone(const char *name, const char *zone);

#endif
