/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: DNS messages for the resolver's probes and diagnose dns
 *
 * cgw does not resolve names (unbound does); it only asks the inbound
 * endpoint one question at a time to learn whether it answers, and what.
 * Packets are built and read by libldns.  Pure: no I/O.
 */
#ifndef CGW_DNS_WIRE_H
#define CGW_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define DNS_WIRE_MAX 4096	/* what cgw reads of a reply over UDP */

enum dns_qtype { DNS_Q_A, DNS_Q_SOA };

struct dns_reply {
	int rcode;		/* 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED ... */
	char rcode_name[16];	/* "NOERROR", as ldns spells it */
	unsigned int answers;	/* records in the answer section */
	char first[64];		/* the first answer's data ("10.2.0.80"), or "" */
};

/* A recursive query for name into buf (at most len bytes): its length, or
 * -EINVAL when name is not a domain name, -ENOSPC when it does not fit. */
int dns_wire_query(const char *name, enum dns_qtype type, uint16_t id,
    uint8_t *buf, size_t len);
/* Reads a reply to the query with this id: 0 and *r filled, -EBADMSG when
 * buf is no DNS reply, -ESRCH when it answers another id. */
int dns_wire_reply(const uint8_t *buf, size_t len, uint16_t id,
    struct dns_reply *r);

#endif
