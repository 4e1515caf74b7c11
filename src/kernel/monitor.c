/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: kernel change notifications (see monitor.h)
 */
#include "kernel/monitor.h"

#include <errno.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/nl.h"

struct kernel_monitor {
	struct mnl_socket *sock;
	char buf[32768];
	void (*cb)(void *arg, const struct kernel_change *c);
	void *arg;
};

struct kernel_monitor *
kernel_monitor_free(struct kernel_monitor *m)
{
	if (m) {
		if (m->sock)
			mnl_socket_close(m->sock);
		free(m);
	}
	return NULL;
}

struct kernel_monitor *
kernel_monitor_open(int *err)
{
	struct kernel_monitor *m = calloc(1, sizeof(*m));

	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	m->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!m->sock || mnl_socket_bind(m->sock,
	    (1u << (RTNLGRP_LINK - 1)) | (1u << (RTNLGRP_IPV4_IFADDR - 1)) |
	    (1u << (RTNLGRP_IPV4_ROUTE - 1)),
	    MNL_SOCKET_AUTOPID) < 0) {
		*err = -errno;
		return kernel_monitor_free(m);
	}
	return m;
}

int
kernel_monitor_fd(const struct kernel_monitor *m)
{
	return mnl_socket_get_fd(m->sock);
}

static int
on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct kernel_monitor *m = data;
	struct kernel_change c = { 0 };

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
			return MNL_CB_OK;
		c.what = KERNEL_CHANGE_LINK;
		c.ifindex = ifi->ifi_index;
		c.link_gone = nlh->nlmsg_type == RTM_DELLINK;
		break;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
			return MNL_CB_OK;
		c.what = KERNEL_CHANGE_ADDR;
		c.ifindex = (int)ifa->ifa_index;
		break;
	}
	case RTM_DELROUTE: {
		const struct nlattr *mp;

		if (nl_route4_parse(nlh, &c.route, &mp) < 0)
			return MNL_CB_OK;
		c.what = KERNEL_CHANGE_ROUTE_DEL;
		/* the first next hop's: cgw's own routes have one */
		if (mp && !c.route.ifindex &&
		    mnl_attr_get_payload_len(mp) >= sizeof(struct rtnexthop))
			c.route.ifindex = ((const struct rtnexthop *)
			    mnl_attr_get_payload(mp))->rtnh_ifindex;
		c.ifindex = c.route.ifindex;
		break;
	}
	default:
		return MNL_CB_OK;
	}
	m->cb(m->arg, &c);
	return MNL_CB_OK;
}

int
kernel_monitor_read(struct kernel_monitor *m,
    void (*cb)(void *arg, const struct kernel_change *c), void *arg)
{
	m->cb = cb;
	m->arg = arg;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(m->sock, m->buf, sizeof(m->buf));

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 :
			    -errno;
		/* Notifications carry no sequence numbers or port: 0, 0. */
		if (mnl_cb_run(m->buf, (size_t)n, 0, 0, on_msg, m) < 0 &&
		    errno != EINTR)
			return -errno;
	}
}
