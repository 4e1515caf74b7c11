/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: kernel access
 *
 * Everything cgwd asks of the kernel goes through one ops table: the real
 * implementation speaks rtnetlink through libmnl (nl.c, link.c, addr.c,
 * route.c, sysctl.c); kernel_fake.c keeps the same state in memory for
 * unit tests of the reconciler.  Functions return 0 or -errno and never
 * log.
 */
#ifndef CGW_KERNEL_H
#define CGW_KERNEL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KERNEL_IFNAMSIZ 16

struct kernel_link {
	char name[KERNEL_IFNAMSIZ];
	int ifindex;
	bool is_xfrm;		/* IFLA_INFO_KIND "xfrm" */
	uint32_t if_id;		/* IFLA_XFRM_IF_ID */
	int parent_ifindex;	/* IFLA_XFRM_LINK */
	unsigned int mtu;
	bool up;		/* IFF_UP */
	/* IFLA_STATS64: what came in (decrypted) and went out (before
	 * encryption), and what the kernel counted as errors */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
};

struct kernel_addr4 {
	struct in_addr addr;
	uint8_t plen;
};

struct kernel_route4 {
	struct in_addr dst;
	uint8_t plen;
	int ifindex;
	uint32_t table;		/* 0 = main */
	uint32_t metric;
	uint8_t protocol;	/* RTPROT_*; cgw's own routes use RTPROT_CGW */
	bool multipath;		/* route4_list: one of several next hops */
};

#define RTPROT_CGW 185		/* unassigned in rt_protos: marks cgw's routes */

struct kernel;

struct kernel_ops {
	/* -ENODEV when there is no such link. */
	int (*link_get)(struct kernel *k, const char *name, struct kernel_link *out);
	int (*xfrm_link_add)(struct kernel *k, const char *name, uint32_t if_id,
	    int parent_ifindex, unsigned int mtu);
	int (*link_del)(struct kernel *k, int ifindex);
	int (*link_set)(struct kernel *k, int ifindex, bool up, unsigned int mtu);
	/* Up to max addresses of ifindex; returns the count. */
	int (*addr4_list)(struct kernel *k, int ifindex, struct kernel_addr4 *out,
	    int max);
	int (*addr4_add)(struct kernel *k, int ifindex, const struct kernel_addr4 *a);
	int (*addr4_del)(struct kernel *k, int ifindex, const struct kernel_addr4 *a);
	int (*route4_replace)(struct kernel *k, const struct kernel_route4 *r);
	int (*route4_del)(struct kernel *k, const struct kernel_route4 *r);
	/* Up to max unicast routes of the main table, one entry per next
	 * hop (a multipath route gives several); returns the count. */
	int (*route4_list)(struct kernel *k, struct kernel_route4 *out, int max);
	/* path under /proc/sys/, e.g. "net/ipv4/conf/cgw-1/rp_filter". */
	int (*sysctl_set)(struct kernel *k, const char *path, const char *value);
	/* Runs an nft script atomically; err gets nft's message. */
	int (*nft_apply)(struct kernel *k, const char *ruleset, char *err,
	    size_t errlen);
	void (*destroy)(struct kernel *k);
};

struct kernel {
	const struct kernel_ops *ops;
	void *priv;
};

/* The real kernel (netlink); NULL with *err set on failure. */
struct kernel *kernel_netlink_new(int *err);
/* The in-memory fake, for tests. */
struct kernel *kernel_fake_new(void);
struct kernel *kernel_free(struct kernel *k);

#endif
