/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: a tunnel's XFRM interface, reconciled (see tunnel_if.h)
 *
 * The sysctls, and why:
 * - rp_filter 2 (loose) on the tunnel: AWS may return traffic over the
 *   other tunnel (it picks one egress tunnel by its own rules), and strict
 *   reverse-path filtering would drop it.
 * - disable_policy 1 on the tunnel: decrypted packets arriving on the
 *   interface are already checked against the if_id policies; without it
 *   forwarded traffic needs matching forward policies as well.
 * - ip_forward 1: the box routes between on-prem and the VPC.
 * - disable_ipv6 1 on the tunnel: it carries IPv4 only (AWS's inside
 *   addresses are a /30); otherwise the kernel's own IPv6 (router
 *   solicitations, MLD reports) goes into it, finds no SA, and counts as
 *   transmit errors on the interface, a few every minute, that look like
 *   loss.  A box without IPv6 has no such setting: nothing to do.
 */
#include "cgwd/tunnel_if.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

uint32_t
tunnel_if_id(const char *ifname)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = ifname; *p; p++) {
		h ^= (uint8_t)*p;
		h *= 16777619u;
	}
	/* 0 means "no interface" to the kernel; keep clear of it. */
	return h ? h : 1;
}

static int
ensure_sysctls(struct kernel *k, const char *ifname)
{
	static const struct { const char *name, *value; } want[] = {
		{ "rp_filter", "2" },
		{ "disable_policy", "1" },
	};
	char path[128];
	int r;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), "net/ipv4/conf/%s/%s", ifname,
		    want[i].name);
		if ((r = k->ops->sysctl_set(k, path, want[i].value)) < 0)
			return r;
	}
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/disable_ipv6", ifname);
	if ((r = k->ops->sysctl_set(k, path, "1")) < 0 && r != -ENOENT)
		return r;
	return k->ops->sysctl_set(k, "net/ipv4/ip_forward", "1");
}

static int
ensure_addr(struct kernel *k, int ifindex, const struct kernel_addr4 *want,
    int *changes)
{
	struct kernel_addr4 have[16];
	bool found = false;
	int n, r;

	n = k->ops->addr4_list(k, ifindex, have, 16);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (have[i].addr.s_addr == want->addr.s_addr &&
		    have[i].plen == want->plen) {
			found = true;
			continue;
		}
		/* Only one inside address belongs on a tunnel interface. */
		if ((r = k->ops->addr4_del(k, ifindex, &have[i])) < 0)
			return r;
		(*changes)++;
	}
	if (found)
		return 0;
	if ((r = k->ops->addr4_add(k, ifindex, want)) < 0)
		return r;
	(*changes)++;
	return 0;
}

int
tunnel_if_reconcile(struct kernel *k, const struct tunnel_if_want *w,
    int *changes)
{
	struct kernel_link have, parent = { 0 };
	int r;

	if (w->parent && (r = k->ops->link_get(k, w->parent, &parent)) < 0)
		return r;
	r = k->ops->link_get(k, w->ifname, &have);
	if (r == 0 && (!have.is_xfrm || have.if_id != w->if_id ||
	    (w->parent && have.parent_ifindex != parent.ifindex))) {
		/* A link by that name that is not our tunnel: replace it
		 * (the name is cgw's by configuration). */
		if ((r = k->ops->link_del(k, have.ifindex)) < 0)
			return r;
		(*changes)++;
		r = -ENODEV;
	}
	if (r == -ENODEV) {
		r = k->ops->xfrm_link_add(k, w->ifname, w->if_id,
		    parent.ifindex, w->mtu);
		if (r < 0)
			return r;
		(*changes)++;
		if ((r = k->ops->link_get(k, w->ifname, &have)) < 0)
			return r;
	} else if (r < 0) {
		return r;
	}
	if ((r = ensure_sysctls(k, w->ifname)) < 0)
		return r;
	if ((r = ensure_addr(k, have.ifindex, &w->inside, changes)) < 0)
		return r;
	if (have.mtu != w->mtu || (w->up >= 0 && have.up != (w->up > 0))) {
		bool up = w->up < 0 ? have.up : w->up > 0;

		if ((r = k->ops->link_set(k, have.ifindex, up, w->mtu)) < 0)
			return r;
		(*changes)++;
	}
	return have.ifindex;
}

int
tunnel_if_set_up(struct kernel *k, int ifindex, bool up)
{
	return k->ops->link_set(k, ifindex, up, 0);
}

int
tunnel_if_remove(struct kernel *k, const char *ifname)
{
	struct kernel_link have;
	int r = k->ops->link_get(k, ifname, &have);

	if (r == -ENODEV)
		return 0;
	if (r < 0)
		return r;
	if (!have.is_xfrm)
		return -EEXIST;	/* not ours to delete */
	return k->ops->link_del(k, have.ifindex);
}
