/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: routes: static-routing VPNs' VPC prefixes
 *
 * BGP routes reach the kernel through FRR's zebra; cgwd itself installs
 * routes only for static-routing connections, marked with its own
 * protocol number so they are told apart from everyone else's.
 */
#include "kernel/nl.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>

static int
route4_change(struct kernel *k, uint16_t type, uint16_t flags,
    const struct kernel_route4 *r)
{
	struct nl *nl = kernel_nl(k);
	struct nlmsghdr *nlh = nl_request(nl, type, flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->plen;
	rtm->rtm_table = r->table && r->table < 256 ? (uint8_t)r->table :
	    RT_TABLE_MAIN;
	rtm->rtm_protocol = r->protocol ? r->protocol : RTPROT_CGW;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, 4, &r->dst);
	if (r->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->ifindex);
	if (r->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	if (r->table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_route4_replace(struct kernel *k, const struct kernel_route4 *r)
{
	return route4_change(k, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
}

int
nl_route4_del(struct kernel *k, const struct kernel_route4 *r)
{
	return route4_change(k, RTM_DELROUTE, 0, r);
}

struct route_list {
	struct kernel_route4 *out;
	int max, n;
};

static void
route_add(struct route_list *rl, const struct kernel_route4 *r)
{
	if (rl->n < rl->max)
		rl->out[rl->n] = *r;
	rl->n++;
}

int
nl_route4_parse(const struct nlmsghdr *nlh, struct kernel_route4 *r,
    const struct nlattr **multipath)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	uint32_t table;

	*multipath = NULL;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)) ||
	    rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_UNICAST ||
	    rtm->rtm_dst_len > 32)
		return -1;
	memset(r, 0, sizeof(*r));
	r->plen = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	table = rtm->rtm_table;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			if (mnl_attr_get_payload_len(a) == 4)
				memcpy(&r->dst, mnl_attr_get_payload(a), 4);
			break;
		case RTA_OIF:
			r->ifindex = (int)mnl_attr_get_u32(a);
			break;
		case RTA_PRIORITY:
			r->metric = mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			table = mnl_attr_get_u32(a);
			break;
		case RTA_MULTIPATH:
			*multipath = a;
			break;
		}
	}
	return table == RT_TABLE_MAIN ? 0 : -1;
}

static int
route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_list *rl = data;
	struct kernel_route4 r;
	const struct nlattr *mp;

	if (nl_route4_parse(nlh, &r, &mp) < 0)
		return MNL_CB_OK;
	if (!mp) {
		route_add(rl, &r);
		return MNL_CB_OK;
	}
	/* ECMP: one entry per next hop (struct rtnexthop list) */
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);

	while (left >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const void *)p;

		if (nh->rtnh_len < sizeof(*nh) || (size_t)nh->rtnh_len > left)
			break;
		r.ifindex = nh->rtnh_ifindex;
		r.multipath = true;
		route_add(rl, &r);
		size_t step = (size_t)RTNH_ALIGN(nh->rtnh_len);

		left -= step < left ? step : left;
		p += step;
	}
	return MNL_CB_OK;
}

int
nl_route4_list(struct kernel *k, struct kernel_route4 *out, int max)
{
	struct nl *nl = kernel_nl(k);
	struct route_list rl = { out, max, 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int r, tries = 0;

	do {
		rl.n = 0;
		nlh = nl_request(nl, RTM_GETROUTE, NLM_F_DUMP);
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		r = nl_talk(nl, nlh, route_cb, &rl);
	} while (r == -EINTR && ++tries < 5);
	return r < 0 ? r : (rl.n < max ? rl.n : max);
}
