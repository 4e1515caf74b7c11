/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: kernel change notifications (rtnetlink multicast groups)
 *
 * cgwd owns a few kernel objects (its XFRM interfaces, their addresses,
 * the routes of static-routing connections).  Anyone can change them after
 * it configured them (`ip link set ... down`, `ip addr del ...`, `ip route
 * del ...`): the monitor reports which interface a link or address change
 * was about, and which route was deleted, and cgwd reconciles that against
 * what it wants.  Our own changes are reported too; reconciling them finds
 * nothing to do.
 */
#ifndef CGW_MONITOR_H
#define CGW_MONITOR_H

#include <stdbool.h>

#include "kernel/kernel.h"

struct kernel_monitor;

/* One notification, as much of it as cgwd acts on. */
struct kernel_change {
	enum { KERNEL_CHANGE_LINK, KERNEL_CHANGE_ADDR, KERNEL_CHANGE_ROUTE_DEL } what;
	int ifindex;		/* the link's, the address's, a route's oif (0: none) */
	bool link_gone;		/* LINK: the interface was deleted */
	struct kernel_route4 route;	/* ROUTE_DEL: main table, IPv4 */
};

/* Subscribes to link, IPv4 address and IPv4 route changes; NULL and -errno
 * in *err on failure. */
struct kernel_monitor *kernel_monitor_open(int *err);
struct kernel_monitor *kernel_monitor_free(struct kernel_monitor *m);
int kernel_monitor_fd(const struct kernel_monitor *m);
/* Reads what is pending (non-blocking) and calls cb once per link or
 * address message and per deleted main-table route.  Returns 0, -ENOBUFS
 * when notifications were lost (then everything must be reconciled), or
 * -errno.  The kernel flushes the routes through a link set down without
 * telling: whoever repairs a link puts its routes back too. */
int kernel_monitor_read(struct kernel_monitor *m,
    void (*cb)(void *arg, const struct kernel_change *c), void *arg);

#endif
