/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: a tunnel's XFRM interface, reconciled
 *
 * What one tunnel needs from the kernel: its XFRM interface bound to the
 * outside device with the tunnel's if_id, its MTU, the inside address,
 * the sysctls route-based tunnels need, and an admin state that follows
 * the tunnel's health.  tunnel_if_reconcile() compares that with what the
 * kernel has and changes only what differs, so a restarted cgwd adopts
 * working tunnels instead of tearing them down.
 */
#ifndef CGW_TUNNEL_IF_H
#define CGW_TUNNEL_IF_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/kernel.h"

struct tunnel_if_want {
	const char *ifname;
	uint32_t if_id;
	const char *parent;		/* outside device; NULL = none */
	unsigned int mtu;
	struct kernel_addr4 inside;	/* ours, e.g. 169.254.10.2/30 */
	int up;				/* admin state: 1, 0, or -1 to keep */
};

/* An if_id derived from the interface name: stable across restarts and
 * the same on every run, so adopting a link adopts its SAs too. */
uint32_t tunnel_if_id(const char *ifname);

/* Returns the ifindex, or -errno; *changes counts kernel changes made. */
int tunnel_if_reconcile(struct kernel *k, const struct tunnel_if_want *w,
    int *changes);
/* Sets only the admin state (the fast path of failover). */
int tunnel_if_set_up(struct kernel *k, int ifindex, bool up);
int tunnel_if_remove(struct kernel *k, const char *ifname);

#endif
