/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the in-memory kernel's state, for tests to inspect
 */
#ifndef CGW_KERNEL_FAKE_H
#define CGW_KERNEL_FAKE_H

#include "kernel/kernel.h"

#define FAKE_MAX 64

struct fake_link {
	struct kernel_link link;
	struct kernel_addr4 addrs[FAKE_MAX];
	int n_addrs;
};

struct kernel_fake {
	struct fake_link links[FAKE_MAX];
	int n_links, next_ifindex;
	struct kernel_route4 routes[FAKE_MAX];
	int n_routes;
	struct { char path[128]; char value[32]; } sysctls[FAKE_MAX];
	int n_sysctls;
	char nft[8192];		/* the last ruleset applied */
	int changes;		/* every successful change */
};

struct kernel_fake *kernel_fake_state(struct kernel *k);
/* A pre-existing link (e.g. the outside interface); returns its ifindex. */
int kernel_fake_add_link(struct kernel *k, const char *name, bool is_xfrm,
    uint32_t if_id, int parent, unsigned int mtu);
const char *kernel_fake_sysctl(struct kernel *k, const char *path);

#endif
