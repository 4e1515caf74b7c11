/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: what the previous cgwd left, and reload
 *
 * cgwd is restarted, not reconfigured in place: a reload checks the new
 * configuration and, only if it is valid, re-executes cgwd, which adopts
 * what works exactly as after a restart.  To know what changed, cgwd
 * keeps a small state file in its runtime directory: per tunnel its name,
 * its interface and a hash of its configuration (never the key itself).
 * At start-up, tunnels that are gone lose their interface and their
 * charon configuration; tunnels whose configuration changed are reset
 * once charon has the new one; unchanged tunnels are not touched.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgwd/tunnel_if.h"
#include "lib/log.h"
#include "lib/xalloc.h"

static uint64_t
tunnel_hash(const struct tunnel *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	uint64_t h = 1469598103934665603ull;	/* FNV-1a 64 */

	cgw_tunnel_print(f, t->conn, t->conf);
	fclose(f);
	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)text[i];
		h *= 1099511628211ull;
	}
	explicit_bzero(text, len);	/* it holds the PSK */
	free(text);
	return h;
}

void
state_load(struct cgwd *d)
{
	char path[300], name[CGW_NAME_MAX], ifname[32];
	unsigned long long h;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tunnels.state", d->run_dir);
	for (size_t i = 0; i < d->n_tunnels; i++)
		d->tunnels[i].hash = tunnel_hash(&d->tunnels[i]);
	if (!(f = fopen(path, "r")))
		return;		/* first start */
	d->restarted = true;
	for (size_t i = 0; i < d->n_tunnels; i++)
		d->tunnels[i].added_on_load = true;	/* until found */
	while (fscanf(f, "%47s %31s %llx", name, ifname, &h) == 3) {
		struct tunnel *t = tunnel_by_name(d, name);
		int r;

		if (t)
			t->added_on_load = false;
		if (t && t->hash != h) {
			t->reset_on_load = true;
			log_info(LOG_CFG, "%s: configuration changed: will be reset",
			    name);
		}
		if (t)
			continue;
		log_info(LOG_CFG, "%s: no longer configured: removing it", name);
		if (strcmp(ifname, "-") != 0 &&
		    (r = tunnel_if_remove(d->kernel, ifname)) < 0)
			log_errno(LOG_KNL, r, "remove %s", ifname);
		d->stale = xreallocarray(d->stale, d->n_stale + 1,
		    sizeof(*d->stale));
		d->stale[d->n_stale++] = xstrdup(name);
	}
	fclose(f);
}

void
state_save(struct cgwd *d)
{
	char path[300], tmp[310];
	FILE *f = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/tunnels.state", d->run_dir);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	/* 0600 whatever the umask: the hashes cover text with the PSKs in it */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "w"))) {
		log_errno(LOG_CFG, -errno, "write %s", tmp);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (size_t i = 0; i < d->n_tunnels; i++)
		fprintf(f, "%s %s %llx\n", d->tunnels[i].name,
		    d->tunnels[i].conf->ifname,
		    (unsigned long long)d->tunnels[i].hash);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		log_errno(LOG_CFG, -errno, "write %s", path);
}

/* Checks the configuration on disk: 0 if cgwd can be re-executed with
 * it, else -errno with why in msg (and every error on stderr). */
int
cgwd_reload_check(struct cgwd *d, char *msg, size_t len)
{
	struct cgw_conf *conf = cgw_conf_new();
	struct cgw_diag diag;
	int r;

	cgw_diag_init(&diag);
	r = cgw_conf_parse_file(conf, d->conf_path, &diag);
	if (r == 0 && diag.n == 0)
		cgw_conf_validate(conf, &diag);
	cgw_conf_free(conf);
	if (r < 0 || diag.n) {
		if (r < 0)
			snprintf(msg, len, "%s: %s; nothing was changed",
			    d->conf_path, strerror(-r));
		else
			snprintf(msg, len, "%s: %zu error%s (run cgwd -n); nothing was changed",
			    d->conf_path, diag.n, diag.n == 1 ? "" : "s");
		log_warn(LOG_CFG, "reload refused: %s", msg);
		cgw_diag_print(stderr, &diag);
		cgw_diag_clear(&diag);
		return -EINVAL;
	}
	cgw_diag_clear(&diag);
	return 0;
}

/* Re-executes cgwd; returns only if that failed. */
void
cgwd_reload_exec(struct cgwd *d)
{
	log_info(LOG_CFG, "reload: configuration valid, restarting cgwd (tunnels stay up)");
	/* No descriptor leaks into the new cgwd (all are close-on-exec) but
	 * the vtysh session.  The signal mask stays as it is: a SIGTERM or
	 * SIGHUP that came meanwhile stays pending across the execve, and
	 * the new cgwd, which blocks the same set, reads it from its
	 * signalfd (unblocked, it would kill cgwd); its children start
	 * with none blocked (they reset the mask). */
	frr_before_exec(d);
	execv("/proc/self/exe", d->argv);
	log_errno(LOG_CFG, -errno, "re-execute cgwd");
}
