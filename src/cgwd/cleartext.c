/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the VPC prefixes that never leave in clear
 *
 * A BGP connection's VPC prefixes are known only while AWS announces them:
 * when both tunnels are down the routes go, the default route is left,
 * and on-prem traffic to the VPC would leave the outside interface
 * unencrypted.  So every prefix seen routed through a tunnel is kept (in
 * the state directory, across restarts and reboots) and goes into the
 * nftables set the cleartext chains drop on (outside_filter.h).  A prefix
 * AWS stops announcing for good stays in it: remove the file
 * (vpc-prefixes in the state directory) and reload to forget it.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/xalloc.h"

#define LEARN_EVERY_S 2
#define LEARNED_MAX 1024
#define ROUTES_MAX 4096			/* read of the main table, at most */

static char *
learned_path(const struct cgwd *d)
{
	return xasprintf("%s/vpc-prefixes", d->state_dir);
}

static bool
learn(struct cgwd *d, const struct cgw_prefix *p)
{
	if (p->len == 0 || cgw_prefix_in(d->clamp.learned, d->clamp.n_learned, p))
		return false;
	if (d->clamp.n_learned >= LEARNED_MAX) {
		if (!d->clamp.learn_full)
			log_warn(LOG_KNL, "%d VPC prefixes learned: no more are (summarise them in AWS)",
			    LEARNED_MAX);
		d->clamp.learn_full = true;
		return false;
	}
	d->clamp.learned = xreallocarray(d->clamp.learned,
	    d->clamp.n_learned + 1, sizeof(*d->clamp.learned));
	d->clamp.learned[d->clamp.n_learned++] = *p;
	return true;
}

static void
save(struct cgwd *d)
{
	char *path = learned_path(d), *tmp = xasprintf("%s.new", path);
	char a[CGW_ADDRSTRLEN];
	FILE *f;

	if (mkdir(d->state_dir, 0700) < 0 && errno != EEXIST)
		log_errno(LOG_KNL, -errno, "mkdir %s", d->state_dir);
	if (!(f = fopen(tmp, "we"))) {
		log_errno(LOG_KNL, -errno, "write %s", tmp);
		goto out;
	}
	for (size_t i = 0; i < d->clamp.n_learned; i++)
		fprintf(f, "%s\n", cgw_prefix_str(&d->clamp.learned[i], a));
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		log_errno(LOG_KNL, -errno, "write %s", path);
out:
	free(tmp);
	free(path);
}

void
cleartext_load(struct cgwd *d)
{
	char *path = learned_path(d), line[80];
	FILE *f = fopen(path, "re");
	struct cgw_prefix p;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		/* a damaged line is skipped: the prefix is learned again */
		if (cgw_prefix_parse(line, &p, true) == 0 && p.family == AF_INET)
			learn(d, &p);
	}
	if (f)
		fclose(f);
	free(path);
}

static bool
same_prefixes(const struct cgw_prefix *a, size_t na, const struct cgw_prefix *b,
    size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!cgw_prefix_equal(&a[i], &b[i]))
			return false;
	return true;
}

/* Every LEARN_EVERY_S: the main table's routes through cgw's tunnels (the
 * VPC's, but for cgw's own: static routes, which the configuration has),
 * and those out of the outside interface but the default route. */
void
cleartext_tick(struct cgwd *d)
{
	struct kernel_route4 *rs;
	struct cgw_prefix *wan = NULL;
	size_t n_wan = 0;
	bool changed = false;
	uint64_t now = cgw_mono_ms();
	unsigned int wan_if = d->conf->box.outside_interface ?
	    if_nametoindex(d->conf->box.outside_interface) : 0;
	int n;

	if (now < d->clamp.learn_at_ms)
		return;
	d->clamp.learn_at_ms = now + LEARN_EVERY_S * 1000;
	rs = xcalloc(ROUTES_MAX, sizeof(*rs));
	n = d->kernel->ops->route4_list(d->kernel, rs, ROUTES_MAX);
	if (n < 0 && !d->clamp.learn_failed)
		log_errno(LOG_KNL, n, "the kernel's routes (VPC prefixes are not learned meanwhile)");
	d->clamp.learn_failed = n < 0;
	if (n == ROUTES_MAX)
		log_debug(LOG_KNL, "more than %d routes: VPC prefixes past them not learned",
		    ROUTES_MAX);
	for (int i = 0; i < n; i++) {
		struct cgw_prefix p = { .family = AF_INET, .len = rs[i].plen,
		    .addr.v4 = rs[i].dst };

		if (wan_if && (unsigned int)rs[i].ifindex == wan_if && rs[i].plen) {
			if (!cgw_prefix_in(wan, n_wan, &p)) {
				wan = xreallocarray(wan, n_wan + 1, sizeof(*wan));
				wan[n_wan++] = p;
			}
			continue;
		}
		if (rs[i].protocol == RTPROT_CGW)
			continue;
		for (size_t t = 0; t < d->n_tunnels; t++)
			/* not the tunnel's own inside /30 (169.254/16) */
			if (d->tunnels[t].ifindex && rs[i].ifindex == d->tunnels[t].ifindex &&
			    (cgw_addr4_host(rs[i].dst) >> 16) != 0xa9fe) {
				char a[CGW_ADDRSTRLEN];

				if (learn(d, &p)) {
					changed = true;
					log_info(LOG_KNL, "%s is the VPC's (routed through %s): never sent out in clear",
					    cgw_prefix_str(&p, a), d->tunnels[t].conf->ifname);
				}
			}
	}
	free(rs);
	if (n >= 0 && !same_prefixes(wan, n_wan, d->clamp.wan_routes,
	    d->clamp.n_wan_routes)) {
		free(d->clamp.wan_routes);
		d->clamp.wan_routes = wan;
		d->clamp.n_wan_routes = n_wan;
		wan = NULL;
		changed = true;
	}
	free(wan);
	if (changed) {
		save(d);
		clamp_apply(d);
	}
}
