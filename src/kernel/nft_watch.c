/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: changes to cgw's nftables table by others (see nft_watch.h)
 */
#include "kernel/nft_watch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CGW_NFT_TABLE "cgw"

struct nft_watch {
	struct mnl_socket *sock;
	char buf[32768];
};

struct feed {
	struct nft_watch_state *s;
	uint32_t self;
};

/* The attribute of an object message that names its table: the first
 * one in each of them (NFTA_TABLE_NAME, NFTA_CHAIN_TABLE, ...). */
static bool
names_table(uint16_t msg)
{
	switch (msg) {
	case NFT_MSG_NEWTABLE: case NFT_MSG_DELTABLE:
	case NFT_MSG_NEWCHAIN: case NFT_MSG_DELCHAIN:
	case NFT_MSG_NEWRULE: case NFT_MSG_DELRULE:
	case NFT_MSG_NEWSET: case NFT_MSG_DELSET:
	case NFT_MSG_NEWSETELEM: case NFT_MSG_DELSETELEM:
	case NFT_MSG_NEWOBJ: case NFT_MSG_DELOBJ:
	case NFT_MSG_NEWFLOWTABLE: case NFT_MSG_DELFLOWTABLE:
		return true;
	default:
		return false;
	}
}

struct attrs {
	const struct nlattr *a[NFTA_GEN_PROC_NAME + 1];
};

static int
attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= NFTA_GEN_PROC_NAME)
		at->a[type] = a;
	return MNL_CB_OK;
}

/* A string attribute, NUL-terminated within its payload. */
static bool
attr_str_is(const struct nlattr *a, const char *want)
{
	size_t n = strlen(want) + 1;

	return a && mnl_attr_get_payload_len(a) >= n &&
	    memcmp(mnl_attr_get_payload(a), want, n) == 0;
}

static int
on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct feed *f = data;
	struct nft_watch_state *s = f->s;
	uint16_t msg = NFNL_MSG_TYPE(nlh->nlmsg_type);
	const struct nfgenmsg *g;
	struct attrs at = { { 0 } };

	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_NFTABLES ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*g)))
		return MNL_CB_OK;
	g = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*g), attr_cb, &at) < 0)
		return MNL_CB_OK;	/* what it said cannot be read: skip */
	if (names_table(msg)) {
		/* inet only: an ip or ip6 table of that name is not ours */
		if (g->nfgen_family == NFPROTO_INET &&
		    attr_str_is(at.a[1], CGW_NFT_TABLE))
			s->touched = true;
		return MNL_CB_OK;
	}
	if (msg != NFT_MSG_NEWGEN)
		return MNL_CB_OK;
	/* the transaction is committed: by whom? */
	if (s->touched) {
		uint32_t pid = 0;
		const struct nlattr *p = at.a[NFTA_GEN_PROC_PID];
		const struct nlattr *n = at.a[NFTA_GEN_PROC_NAME];

		if (p && mnl_attr_get_payload_len(p) >= sizeof(uint32_t))
			pid = ntohl(mnl_attr_get_u32(p));
		if (pid != f->self) {
			s->changed = true;
			s->pid = pid;
			s->proc[0] = '\0';
			if (n)
				snprintf(s->proc, sizeof(s->proc), "%.*s",
				    (int)mnl_attr_get_payload_len(n),
				    (const char *)mnl_attr_get_payload(n));
		}
	}
	s->touched = false;
	return MNL_CB_OK;
}

void
nft_watch_feed(struct nft_watch_state *s, const void *buf, size_t len,
    uint32_t self_pid)
{
	struct feed f = { s, self_pid };
	const unsigned char *p = buf;

	/* Walked here, not by mnl_cb_run: libmnl takes a length of 2 GiB or
	 * more for a negative one and runs off the buffer (found by
	 * fuzzing).  A truncated or malformed message ends the buffer. */
	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t step;

		/* libmnl walks attributes up to the aligned end of the
		 * message: an unaligned length at the end of the buffer
		 * would let it read past it (found by fuzzing).  The
		 * kernel pads every message it sends.  Aligned in size_t:
		 * NLMSG_ALIGN wraps a 32-bit length near 4 GiB to 0. */
		step = ((size_t)nlh->nlmsg_len + NLMSG_ALIGNTO - 1) &
		    ~(size_t)(NLMSG_ALIGNTO - 1);
		if (nlh->nlmsg_len < sizeof(*nlh) || step > len)
			return;
		on_msg(nlh, &f);
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
}

struct nft_watch *
nft_watch_free(struct nft_watch *w)
{
	if (w) {
		if (w->sock)
			mnl_socket_close(w->sock);
		free(w);
	}
	return NULL;
}

struct nft_watch *
nft_watch_open(int *err)
{
	struct nft_watch *w = calloc(1, sizeof(*w));
	unsigned int group = NFNLGRP_NFTABLES;

	if (!w) {
		*err = -ENOMEM;
		return NULL;
	}
	w->sock = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!w->sock || mnl_socket_bind(w->sock, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(w->sock, NETLINK_ADD_MEMBERSHIP, &group,
	    sizeof(group)) < 0) {
		*err = -errno;
		return nft_watch_free(w);
	}
	return w;
}

int
nft_watch_fd(const struct nft_watch *w)
{
	return mnl_socket_get_fd(w->sock);
}

int
nft_watch_read(struct nft_watch *w, struct nft_watch_state *s)
{
	s->changed = false;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(w->sock, w->buf, sizeof(w->buf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return s->changed ? 1 : 0;
			if (errno == EINTR)
				continue;
			/* ENOBUFS: lost; what was half-seen means nothing */
			s->touched = false;
			return -errno;
		}
		nft_watch_feed(s, w->buf, (size_t)n, (uint32_t)getpid());
	}
}
