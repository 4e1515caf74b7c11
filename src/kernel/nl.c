/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the netlink kernel implementation: socket, request/ack, dumps
 */
#include "kernel/nl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/xalloc.h"

struct nlmsghdr *
nl_request(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

struct dump_ctx {
	mnl_cb_t cb;
	void *data;
	int intr;
};

static int
dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dc->intr = 1;
	return dc->cb ? dc->cb(nlh, dc->data) : MNL_CB_OK;
}

int
nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct dump_ctx dc = { .cb = cb, .data = data };
	uint32_t seq = nlh->nlmsg_seq;
	int r;

	/* NLM_F_DUMP shares bits with NLM_F_EXCL|NLM_F_CREATE: a dump is
	 * both its bits on a GET (rtnetlink GETs are type % 4 == 2). */
	bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP &&
	    (nlh->nlmsg_type & 3) == 2;

	if (!dump)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf,
		    sizeof(nl->buf));

		if (n < 0)
			return -errno;
		r = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, dump_cb,
		    &dc);
		if (r < 0)
			return -errno;
		if (r == MNL_CB_STOP)
			break;
	}
	/* The dump saw a concurrent change: its result may be incomplete. */
	return dc.intr ? -EINTR : 0;
}

static void
nl_destroy(struct kernel *k)
{
	struct nl *nl = k->priv;

	mnl_socket_close(nl->sock);
	free(nl);
	free(k);
}

static const struct kernel_ops netlink_ops = {
	.link_get = nl_link_get,
	.xfrm_link_add = nl_xfrm_link_add,
	.link_del = nl_link_del,
	.link_set = nl_link_set,
	.addr4_list = nl_addr4_list,
	.addr4_add = nl_addr4_add,
	.addr4_del = nl_addr4_del,
	.route4_replace = nl_route4_replace,
	.route4_list = nl_route4_list,
	.route4_del = nl_route4_del,
	.sysctl_set = sysctl_write,
	.nft_apply = nft_apply,
	.destroy = nl_destroy,
};

struct nl *
kernel_nl(struct kernel *k)
{
	return k->priv;
}

struct kernel *
kernel_netlink_new(int *err)
{
	struct kernel *k;
	struct nl *nl = xcalloc(1, sizeof(*nl));

	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		*err = -errno;
		if (nl->sock)
			mnl_socket_close(nl->sock);
		free(nl);
		return NULL;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	k = xcalloc(1, sizeof(*k));
	k->ops = &netlink_ops;
	k->priv = nl;
	return k;
}
