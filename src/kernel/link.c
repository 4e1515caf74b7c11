/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: links: the tunnels' XFRM interfaces
 *
 * An XFRM interface ("ip link add NAME type xfrm dev PARENT if_id N") is
 * the route-based end of a tunnel: charon installs the SAs and 0/0
 * policies with the same if_id, and whatever is routed into the interface
 * is encrypted.  Creation uses NLM_F_CREATE|NLM_F_EXCL so an existing link
 * is never silently reused; the reconciler adopts it explicitly instead.
 */
#include "kernel/nl.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

struct link_parse {
	struct kernel_link *out;
};

static int
linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct kernel_link *l = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_INFO_KIND:
		l->is_xfrm = strcmp(mnl_attr_get_str(attr), "xfrm") == 0;
		break;
	case IFLA_INFO_DATA: {
		const struct nlattr *a;

		mnl_attr_for_each_nested(a, attr) {
			if (mnl_attr_get_type(a) == IFLA_XFRM_IF_ID &&
			    mnl_attr_get_payload_len(a) >= 4)
				l->if_id = mnl_attr_get_u32(a);
			else if (mnl_attr_get_type(a) == IFLA_XFRM_LINK &&
			    mnl_attr_get_payload_len(a) >= 4)
				l->parent_ifindex = (int)mnl_attr_get_u32(a);
		}
		break;
	}
	}
	return MNL_CB_OK;
}

static int
link_attr_cb(const struct nlattr *attr, void *data)
{
	struct kernel_link *l = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		strncpy(l->name, mnl_attr_get_str(attr), KERNEL_IFNAMSIZ - 1);
		break;
	case IFLA_MTU:
		if (mnl_attr_get_payload_len(attr) >= 4)
			l->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(attr, linkinfo_cb, l);
		break;
	case IFLA_STATS64:
		if (mnl_attr_get_payload_len(attr) >=
		    sizeof(struct rtnl_link_stats64)) {
			struct rtnl_link_stats64 st;

			/* copied: the attribute is only 4-byte aligned */
			memcpy(&st, mnl_attr_get_payload(attr), sizeof(st));
			l->rx_packets = st.rx_packets;
			l->tx_packets = st.tx_packets;
			l->rx_bytes = st.rx_bytes;
			l->tx_bytes = st.tx_bytes;
			l->rx_errors = st.rx_errors;
			l->tx_errors = st.tx_errors;
			l->rx_dropped = st.rx_dropped;
			l->tx_dropped = st.tx_dropped;
		}
		break;
	}
	return MNL_CB_OK;
}

static int
link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kernel_link *l = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->up = ifi->ifi_flags & IFF_UP;
	return mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, l);
}

int
nl_link_get(struct kernel *k, const char *name, struct kernel_link *out)
{
	struct nl *nl = kernel_nl(k);
	struct nlmsghdr *nlh = nl_request(nl, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	int r;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	r = nl_talk(nl, nlh, link_cb, out);
	return r == -ENODEV || r == -ENOENT ? -ENODEV : r;
}

int
nl_xfrm_link_add(struct kernel *k, const char *name, uint32_t if_id,
    int parent_ifindex, unsigned int mtu)
{
	struct nl *nl = kernel_nl(k);
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *info, *data;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "xfrm");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (parent_ifindex > 0)
		mnl_attr_put_u32(nlh, IFLA_XFRM_LINK, (uint32_t)parent_ifindex);
	mnl_attr_put_u32(nlh, IFLA_XFRM_IF_ID, if_id);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_link_del(struct kernel *k, int ifindex)
{
	struct nl *nl = kernel_nl(k);
	struct nlmsghdr *nlh = nl_request(nl, RTM_DELLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_link_set(struct kernel *k, int ifindex, bool up, unsigned int mtu)
{
	struct nl *nl = kernel_nl(k);
	struct nlmsghdr *nlh = nl_request(nl, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nl, nlh, NULL, NULL);
}
