/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: addresses and prefixes
 *
 * Parse and print IPv4/IPv6 addresses and prefixes.  Pure; no allocation.
 */
#ifndef CGW_ADDR_H
#define CGW_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cgw_prefix {
	int family;		/* AF_INET, AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint8_t len;
};

#define CGW_ADDRSTRLEN 64	/* fits "ffff:...:ffff/128" */

/* "192.0.2.1" -> 0, else -EINVAL. */
int cgw_addr4_parse(const char *s, struct in_addr *out);
/* Dotted mask "255.255.255.252" -> 30, else -EINVAL (non-contiguous too). */
int cgw_mask4_parse(const char *s, uint8_t *len);
/* "10.0.0.0/16", "fd00::/64"; host bits must be zero (strict) unless
 * allow_host is set, in which case they are cleared. */
int cgw_prefix_parse(const char *s, struct cgw_prefix *out, bool allow_host);
/* Writes into buf (CGW_ADDRSTRLEN) and returns it. */
const char *cgw_addr4_str(struct in_addr a, char *buf);
const char *cgw_prefix_str(const struct cgw_prefix *p, char *buf);
bool cgw_prefix_equal(const struct cgw_prefix *a, const struct cgw_prefix *b);
/* Whether p is one of the n prefixes of list. */
bool cgw_prefix_in(const struct cgw_prefix *list, size_t n,
    const struct cgw_prefix *p);
bool cgw_prefix_overlap(const struct cgw_prefix *a, const struct cgw_prefix *b);
bool cgw_addr4_is_set(struct in_addr a);
/* Host-order helpers for /30 arithmetic. */
uint32_t cgw_addr4_host(struct in_addr a);
struct in_addr cgw_addr4_from_host(uint32_t h);

#endif
