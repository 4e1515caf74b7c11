/*
 * DOC: routes: static-routing VPNs' VPC prefixes
 *
 * BGP routes reach the kernel through FRR's zebra; cgwd itself installs
 * routes only for static-routing connections, marked with its own
 * protocol number so they are told apart from everyone else's.
 */
#include "kernel/nl.h"

#include <linux/rtnetlink.h>

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
