/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: changes to cgw's nftables table by others (nf_tables notifications)
 *
 * cgw's MSS clamp lives in "table inet cgw".  Anyone can flush or delete
 * it after cgwd wrote it (`nft flush ruleset`, a firewall service that
 * restarts): the watch reads nf_tables' notifications and says when a
 * transaction committed by another process touched that table, so cgwd
 * writes it again.  Each transaction's notifications end with NEWGEN,
 * which names the process that committed it; cgwd's own are not reported
 * (and cgwd drains the watch after each of its writes, for a cgwd in a
 * pid namespace whose pid the kernel reports differently).
 */
#ifndef CGW_NFT_WATCH_H
#define CGW_NFT_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The decoder, pure (unit tests, fuzzing): state across buffers, since a
 * transaction's notifications may span several reads. */
struct nft_watch_state {
	bool touched;		/* this transaction touched table inet cgw */
	bool changed;		/* a committed one by another process did */
	uint32_t pid;		/* ...that process */
	char proc[32];		/* ...its name, as the kernel gives it */
};

/* Feeds one buffer of netlink messages as read from the socket. */
void nft_watch_feed(struct nft_watch_state *s, const void *buf, size_t len,
    uint32_t self_pid);

struct nft_watch;

/* Subscribes to nf_tables' notifications; NULL and -errno in *err. */
struct nft_watch *nft_watch_open(int *err);
struct nft_watch *nft_watch_free(struct nft_watch *w);
int nft_watch_fd(const struct nft_watch *w);
/* Reads what is pending (non-blocking): 1 if another process changed the
 * table (who in *s), 0 if not, -ENOBUFS when notifications were lost
 * (the table may have changed), or -errno. */
int nft_watch_read(struct nft_watch *w, struct nft_watch_state *s);

#endif
