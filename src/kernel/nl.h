/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: netlink plumbing shared by link.c, addr.c and route.c
 */
#ifndef CGW_NL_H
#define CGW_NL_H

#include <libmnl/libmnl.h>

#include "kernel/kernel.h"

struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char buf[32768];		/* >= MNL_SOCKET_BUFFER_SIZE (a run-time value) */
};

/* Sends the request in nl->buf (built with nl_request()) and waits for
 * its ack or, for dumps, runs cb on every reply.  -errno from the kernel.
 * A dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is retried
 * by the caller: nl_talk returns -EINTR. */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
struct nlmsghdr *nl_request(struct nl *nl, uint16_t type, uint16_t flags);
struct nl *kernel_nl(struct kernel *k);

int nl_link_get(struct kernel *k, const char *name, struct kernel_link *out);
int nl_xfrm_link_add(struct kernel *k, const char *name, uint32_t if_id,
    int parent_ifindex, unsigned int mtu);
int nl_link_del(struct kernel *k, int ifindex);
int nl_link_set(struct kernel *k, int ifindex, bool up, unsigned int mtu);
int nl_addr4_list(struct kernel *k, int ifindex, struct kernel_addr4 *out, int max);
int nl_addr4_add(struct kernel *k, int ifindex, const struct kernel_addr4 *a);
int nl_addr4_del(struct kernel *k, int ifindex, const struct kernel_addr4 *a);
int nl_route4_replace(struct kernel *k, const struct kernel_route4 *r);
int nl_route4_del(struct kernel *k, const struct kernel_route4 *r);
int nl_route4_list(struct kernel *k, struct kernel_route4 *out, int max);
/* An RTM_*ROUTE message of the main table's IPv4 unicast routes into r
 * (*multipath: its next hops, if it has several); -1 for any other. */
int nl_route4_parse(const struct nlmsghdr *nlh, struct kernel_route4 *r,
    const struct nlattr **multipath);
int sysctl_write(struct kernel *k, const char *path, const char *value);
int nft_apply(struct kernel *k, const char *ruleset, char *err, size_t errlen);

#endif
