/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the in-memory kernel, for unit tests
 *
 * Keeps links, addresses, routes and sysctls in arrays and counts every
 * change, so a test can assert that reconciling an unchanged state
 * changes nothing.  Behaves like rtnetlink where it matters: EXCL creation
 * fails with -EEXIST, unknown links with -ENODEV.
 */
#include "kernel/kernel_fake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

static struct kernel_fake *
F(struct kernel *k)
{
	return k->priv;
}

static struct fake_link *
find_index(struct kernel_fake *f, int ifindex)
{
	for (int i = 0; i < f->n_links; i++)
		if (f->links[i].link.ifindex == ifindex)
			return &f->links[i];
	return NULL;
}

static int
fake_link_get(struct kernel *k, const char *name, struct kernel_link *out)
{
	struct kernel_fake *f = F(k);

	for (int i = 0; i < f->n_links; i++)
		if (strcmp(f->links[i].link.name, name) == 0) {
			*out = f->links[i].link;
			return 0;
		}
	return -ENODEV;
}

int
kernel_fake_add_link(struct kernel *k, const char *name, bool is_xfrm,
    uint32_t if_id, int parent, unsigned int mtu)
{
	struct kernel_fake *f = F(k);
	struct fake_link *l;

	for (int i = 0; i < f->n_links; i++)
		if (strcmp(f->links[i].link.name, name) == 0)
			return -EEXIST;
	if (f->n_links == FAKE_MAX)
		return -ENOSPC;
	l = &f->links[f->n_links++];
	memset(l, 0, sizeof(*l));
	snprintf(l->link.name, sizeof(l->link.name), "%s", name);
	l->link.ifindex = ++f->next_ifindex;
	l->link.is_xfrm = is_xfrm;
	l->link.if_id = if_id;
	l->link.parent_ifindex = parent;
	l->link.mtu = mtu ? mtu : 1500;
	return l->link.ifindex;
}

static int
fake_xfrm_link_add(struct kernel *k, const char *name, uint32_t if_id,
    int parent_ifindex, unsigned int mtu)
{
	int r = kernel_fake_add_link(k, name, true, if_id, parent_ifindex, mtu);

	F(k)->changes++;
	return r < 0 ? r : 0;
}

static int
fake_link_del(struct kernel *k, int ifindex)
{
	struct kernel_fake *f = F(k);
	struct fake_link *l = find_index(f, ifindex);

	if (!l)
		return -ENODEV;
	*l = f->links[--f->n_links];
	f->changes++;
	return 0;
}

static int
fake_link_set(struct kernel *k, int ifindex, bool up, unsigned int mtu)
{
	struct fake_link *l = find_index(F(k), ifindex);

	if (!l)
		return -ENODEV;
	l->link.up = up;
	if (mtu)
		l->link.mtu = mtu;
	F(k)->changes++;
	return 0;
}

static int
fake_addr4_list(struct kernel *k, int ifindex, struct kernel_addr4 *out, int max)
{
	struct fake_link *l = find_index(F(k), ifindex);
	int n = 0;

	if (!l)
		return -ENODEV;
	for (; n < l->n_addrs && n < max; n++)
		out[n] = l->addrs[n];
	return n;
}

static int
fake_addr4_add(struct kernel *k, int ifindex, const struct kernel_addr4 *a)
{
	struct fake_link *l = find_index(F(k), ifindex);

	if (!l)
		return -ENODEV;
	for (int i = 0; i < l->n_addrs; i++)
		if (l->addrs[i].addr.s_addr == a->addr.s_addr)
			return -EEXIST;
	if (l->n_addrs == FAKE_MAX)
		return -ENOSPC;
	l->addrs[l->n_addrs++] = *a;
	F(k)->changes++;
	return 0;
}

static int
fake_addr4_del(struct kernel *k, int ifindex, const struct kernel_addr4 *a)
{
	struct fake_link *l = find_index(F(k), ifindex);

	if (!l)
		return -ENODEV;
	for (int i = 0; i < l->n_addrs; i++)
		if (l->addrs[i].addr.s_addr == a->addr.s_addr &&
		    l->addrs[i].plen == a->plen) {
			l->addrs[i] = l->addrs[--l->n_addrs];
			F(k)->changes++;
			return 0;
		}
	return -EADDRNOTAVAIL;
}

static int
route_find(struct kernel_fake *f, const struct kernel_route4 *r)
{
	for (int i = 0; i < f->n_routes; i++)
		if (f->routes[i].dst.s_addr == r->dst.s_addr &&
		    f->routes[i].plen == r->plen &&
		    f->routes[i].table == r->table &&
		    f->routes[i].metric == r->metric)
			return i;
	return -1;
}

static int
fake_route4_replace(struct kernel *k, const struct kernel_route4 *r)
{
	struct kernel_fake *f = F(k);
	int i = route_find(f, r);

	if (i < 0) {
		if (f->n_routes == FAKE_MAX)
			return -ENOSPC;
		i = f->n_routes++;
	}
	f->routes[i] = *r;
	f->changes++;
	return 0;
}

static int
fake_route4_list(struct kernel *k, struct kernel_route4 *out, int max)
{
	struct kernel_fake *f = k->priv;
	int n = 0;

	for (int i = 0; i < f->n_routes && n < max; i++)
		if (f->routes[i].table == 0)
			out[n++] = f->routes[i];
	return n;
}

static int
fake_route4_del(struct kernel *k, const struct kernel_route4 *r)
{
	struct kernel_fake *f = F(k);
	int i = route_find(f, r);

	if (i < 0)
		return -ESRCH;
	f->routes[i] = f->routes[--f->n_routes];
	f->changes++;
	return 0;
}

static int
fake_sysctl_set(struct kernel *k, const char *path, const char *value)
{
	struct kernel_fake *f = F(k);

	for (int i = 0; i < f->n_sysctls; i++)
		if (strcmp(f->sysctls[i].path, path) == 0) {
			if (strcmp(f->sysctls[i].value, value) != 0)
				f->changes++;
			snprintf(f->sysctls[i].value, sizeof(f->sysctls[i].value),
			    "%s", value);
			return 0;
		}
	if (f->n_sysctls == FAKE_MAX)
		return -ENOSPC;
	snprintf(f->sysctls[f->n_sysctls].path, sizeof(f->sysctls[0].path),
	    "%s", path);
	snprintf(f->sysctls[f->n_sysctls].value, sizeof(f->sysctls[0].value),
	    "%s", value);
	f->n_sysctls++;
	f->changes++;
	return 0;
}

const char *
kernel_fake_sysctl(struct kernel *k, const char *path)
{
	struct kernel_fake *f = F(k);

	for (int i = 0; i < f->n_sysctls; i++)
		if (strcmp(f->sysctls[i].path, path) == 0)
			return f->sysctls[i].value;
	return NULL;
}

static int
fake_nft_apply(struct kernel *k, const char *ruleset, char *err, size_t errlen)
{
	struct kernel_fake *f = F(k);

	(void)err;
	(void)errlen;
	if (strcmp(f->nft, ruleset) != 0)
		f->changes++;
	snprintf(f->nft, sizeof(f->nft), "%s", ruleset);
	return 0;
}

static void
fake_destroy(struct kernel *k)
{
	free(k->priv);
	free(k);
}

static const struct kernel_ops fake_ops = {
	.link_get = fake_link_get,
	.xfrm_link_add = fake_xfrm_link_add,
	.link_del = fake_link_del,
	.link_set = fake_link_set,
	.addr4_list = fake_addr4_list,
	.addr4_add = fake_addr4_add,
	.addr4_del = fake_addr4_del,
	.route4_replace = fake_route4_replace,
	.route4_del = fake_route4_del,
	.route4_list = fake_route4_list,
	.sysctl_set = fake_sysctl_set,
	.nft_apply = fake_nft_apply,
	.destroy = fake_destroy,
};

struct kernel *
kernel_fake_new(void)
{
	struct kernel *k = xcalloc(1, sizeof(*k));

	k->ops = &fake_ops;
	k->priv = xcalloc(1, sizeof(struct kernel_fake));
	return k;
}

struct kernel_fake *
kernel_fake_state(struct kernel *k)
{
	return F(k);
}
