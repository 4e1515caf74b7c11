/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: names over the VPN, at run time
 *
 * With a dns block, cgwd keeps unbound's part of it written (unbound_conf.h)
 * and in force (unbound-control, one command at a time, never waited for),
 * and probes each inbound endpoint address with a real query from the
 * source address, through the tunnels, once a second.  An address that
 * misses DNS_MISSES answers in a row leaves unbound's forward list (at run
 * time: forward_add replaces a zone's list without touching the cache)
 * and comes back with its first answer.
 */
#ifndef CGWD_DNS_H
#define CGWD_DNS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgwd/dns_diag.h"
#include "lib/cgw_msg.h"

#define DNS_MISSES 3			/* probes unanswered: the address is down */
#define DNS_UNBOUND_TIMEOUT_S 5		/* an unbound-control run, at most */
#define DNS_VERIFY_S 10			/* unbound's forwards checked this often */

struct cgwd;
struct msgout;

/* An inbound endpoint address, or (local) one of unbound's own listening
 * addresses: asked the same question, it shows unbound answers there (a
 * reload does not open new listening addresses; a restart does). */
struct dns_endpoint {
	struct in_addr addr;
	bool local;
	int fd;				/* UDP, bound to the source, connected */
	uint16_t id;			/* of the query in flight */
	uint64_t sent_us;		/* 0: none in flight */
	unsigned int misses;		/* in a row */
	bool judged;			/* has answered or missed DNS_MISSES */
	bool up;
	bool forwarded;			/* in unbound's list, as last set */
	uint32_t rtt_us;		/* the last answer's */
	int rcode;			/* ...and its rcode */
	uint64_t sent, answered;
	uint64_t since_us;		/* up or down since */
	char detail[CGW_TEXT_MAX];	/* why it is down, "" when up */
	char last_err[64];		/* the kernel's word on the last probe */
	enum dns_route route;		/* at the last tick */
	char route_if[16];		/* ...and its interface */
};

/* Starts (or, after a reload, re-syncs) unbound's part; with no dns block,
 * takes a file of an earlier configuration's out of unbound. */
void dns_start(struct cgwd *d);
void dns_stop(struct cgwd *d);
void dns_tick(struct cgwd *d);
/* SIGCHLD: an unbound-control run ended. */
void dns_reaped(struct cgwd *d, pid_t pid, int status);
/* diagnose dns NAME: asks every endpoint address and unbound, then calls
 * control_dns_diag_ready() with the findings.  -ENOENT without a dns
 * block, -EBUSY while one runs, -EINVAL for a name that is none. */
int dns_diagnose_start(struct cgwd *d, const char *name);
struct dns_finding;
void control_dns_diag_ready(struct cgwd *d, const struct dns_finding *f,
    size_t n);
/* For the metrics: the inbound endpoint addresses (NULL, *n 0 without a
 * dns block) and whether unbound is ok. */
const struct dns_endpoint *dns_endpoints(const struct cgwd *d, size_t *n,
    bool *unbound_ok);
/* show dns: DNS_STATUS records (endpoints, then unbound's) and END. */
int dns_status_send(struct cgwd *d, struct msgout *out, uint32_t seq);

#endif
