/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: addresses: the tunnels' inside /30s
 */
#include "kernel/nl.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>

struct addr_list {
	int ifindex;
	struct kernel_addr4 *out;
	int max, n;
};

static int
addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *al = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET ||
	    (int)ifa->ifa_index != al->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(attr) != IFA_LOCAL ||
		    mnl_attr_get_payload_len(attr) < 4)
			continue;
		if (al->n < al->max) {
			memcpy(&al->out[al->n].addr, mnl_attr_get_payload(attr), 4);
			al->out[al->n].plen = ifa->ifa_prefixlen;
		}
		al->n++;
	}
	return MNL_CB_OK;
}

int
nl_addr4_list(struct kernel *k, int ifindex, struct kernel_addr4 *out, int max)
{
	struct nl *nl = kernel_nl(k);
	struct addr_list al = { ifindex, out, max, 0 };
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int r, tries = 0;

	do {
		al.n = 0;
		nlh = nl_request(nl, RTM_GETADDR, NLM_F_DUMP);
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_INET;
		r = nl_talk(nl, nlh, addr_cb, &al);
	} while (r == -EINTR && ++tries < 5);
	return r < 0 ? r : (al.n < max ? al.n : max);
}

static int
addr4_change(struct kernel *k, uint16_t type, uint16_t flags, int ifindex,
    const struct kernel_addr4 *a)
{
	struct nl *nl = kernel_nl(k);
	struct nlmsghdr *nlh = nl_request(nl, type, flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, 4, &a->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &a->addr);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_addr4_add(struct kernel *k, int ifindex, const struct kernel_addr4 *a)
{
	return addr4_change(k, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
	    ifindex, a);
}

int
nl_addr4_del(struct kernel *k, int ifindex, const struct kernel_addr4 *a)
{
	return addr4_change(k, RTM_DELADDR, 0, ifindex, a);
}
