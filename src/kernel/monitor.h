/*
 * DOC: kernel change notifications (rtnetlink multicast groups)
 *
 * cgwd owns a few kernel objects (its XFRM interfaces, their addresses).
 * Anyone can change them after it configured them (`ip link set ... down`,
 * `ip addr del ...`): the monitor reports which interface a link or
 * address change was about, and cgwd reconciles that interface against
 * what it wants.  Our own changes are reported too; reconciling them finds
 * nothing to do.
 */
#ifndef CGW_MONITOR_H
#define CGW_MONITOR_H

#include <stdbool.h>

struct kernel_monitor;

/* Subscribes to link and IPv4 address changes; NULL and -errno in *err
 * on failure. */
struct kernel_monitor *kernel_monitor_open(int *err);
struct kernel_monitor *kernel_monitor_free(struct kernel_monitor *m);
int kernel_monitor_fd(const struct kernel_monitor *m);
/* Reads what is pending (non-blocking) and calls cb once per message with
 * the interface index it is about, and whether the link itself is gone.
 * Returns 0, -ENOBUFS when notifications were lost (then everything must
 * be reconciled), or -errno. */
int kernel_monitor_read(struct kernel_monitor *m,
    void (*cb)(void *arg, int ifindex, bool link_gone), void *arg);

#endif
