/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the MSS clamp and the outside firewall kept in place (nftables)
 *
 * cgwd writes its "table inet cgw" (mss.c, outside_filter.c) at start and
 * after a reload,
 * and again whenever another process changes it (nft_watch.h): a firewall
 * service's `nft flush ruleset` would otherwise take the clamp away
 * silently, and TCP through the tunnels would hang on full-size segments
 * while pings and BGP look fine.  A write nftables refuses is kept for
 * diagnose (mss-clamp-missing, on every tunnel) and tried again every
 * CLAMP_RETRY_S seconds.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "cgwd/loop.h"
#include "cgwd/mss.h"
#include "cgwd/outside_filter.h"
#include "lib/log.h"

#define CLAMP_RETRY_S 5

/* nftables' message, its first line: the lines after it quote cgw's own
 * rule and put a caret under it, which tells an operator nothing. */
static void
first_line(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	for (; *src && *src != '\n' && n + 1 < len; src++)
		dst[n++] = *src == '\t' ? ' ' : *src;
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

void
clamp_apply(struct cgwd *d)
{
	char *text = NULL, err[512] = "";
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f) {
		log_errno(LOG_KNL, -errno, "MSS clamping");
		return;
	}
	mss_rules_write(f, d->conf);
	outside_rules_write(f, d->conf);
	cleartext_rules_write(f, d->conf, d->clamp.learned, d->clamp.n_learned,
	    d->clamp.wan_routes, d->clamp.n_wan_routes);
	fclose(f);
	r = d->kernel->ops->nft_apply(d->kernel, text, err, sizeof(err));
	free(text);
	d->clamp.next_try = time(NULL) + CLAMP_RETRY_S;
	/* Our own transaction is in the watch now (it is ours by its pid, so
	 * not reported); another's that came meanwhile means writing again,
	 * at the next tick. */
	d->clamp.again = false;
	if (d->clamp.watch && nft_watch_read(d->clamp.watch, &d->clamp.seen) != 0)
		d->clamp.again = true;
	if (r < 0) {
		char line[sizeof(d->clamp.refused)];

		first_line(line, sizeof(line), err[0] ? err : strerror(-r));
		if (strcmp(line, d->clamp.refused) != 0)
			log_warn(LOG_KNL, "MSS clamping (nftables table inet cgw) "
			    "not installed: %s; trying again every %d s", line,
			    CLAMP_RETRY_S);
		snprintf(d->clamp.refused, sizeof(d->clamp.refused), "%s", line);
		return;
	}
	if (d->clamp.refused[0])
		log_info(LOG_KNL, "MSS clamping installed again (nftables took "
		    "table inet cgw)");
	d->clamp.refused[0] = '\0';
}

static void
watch_readable(void *arg, int fd, uint32_t events)
{
	struct cgwd *d = arg;
	const struct nft_watch_state *s = &d->clamp.seen;
	int r;

	(void)fd;
	(void)events;
	r = nft_watch_read(d->clamp.watch, &d->clamp.seen);
	if (r == 0)
		return;
	if (r == -ENOBUFS)
		log_warn(LOG_KNL, "nftables notifications lost: writing table inet cgw again");
	else if (r < 0) {
		log_errno(LOG_KNL, r, "nftables notifications");
		return;
	} else
		log_warn(LOG_KNL, "table inet cgw was changed outside cgw (pid %u, %s): "
		    "putting the MSS clamp back", s->pid, s->proc[0] ? s->proc : "?");
	clamp_apply(d);
}

void
clamp_start(struct cgwd *d)
{
	int r = 0;

	cleartext_load(d);
	/* Watching first: a change between the write and the watch would
	 * go unseen. */
	if (!(d->clamp.watch = nft_watch_open(&r)))
		log_errno(LOG_KNL, r, "nftables notifications (table inet cgw "
		    "is written at start and reload only)");
	else if ((r = loop_add_fd(d->loop, nft_watch_fd(d->clamp.watch),
	    EPOLLIN, watch_readable, d)) < 0) {
		log_errno(LOG_KNL, r, "nftables notifications");
		d->clamp.watch = nft_watch_free(d->clamp.watch);
	}
	clamp_apply(d);
}

void
clamp_retry(struct cgwd *d)
{
	if (d->clamp.again)
		log_warn(LOG_KNL, "table inet cgw was changed outside cgw while "
		    "cgw wrote it: putting the MSS clamp back");
	if (d->clamp.again ||
	    (d->clamp.refused[0] && time(NULL) >= d->clamp.next_try))
		clamp_apply(d);
}

void
clamp_stop(struct cgwd *d)
{
	d->clamp.watch = nft_watch_free(d->clamp.watch);
	free(d->clamp.learned);
	d->clamp.learned = NULL;
	d->clamp.n_learned = 0;
	free(d->clamp.wan_routes);
	d->clamp.wan_routes = NULL;
	d->clamp.n_wan_routes = 0;
}
