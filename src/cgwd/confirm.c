/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: reload --confirm: the previous configuration comes back by itself
 *
 * Operators often manage a site through its own tunnels: a change that
 * breaks them also cuts the way to undo it (BIRD's `configure timeout`,
 * Junos's `commit confirmed`).  cgwd keeps the files of its configuration
 * as it read them (when a reload comes, the files on disk are the next
 * version already).  `cgwctl reload --confirm SECONDS` writes that copy
 * into the state directory (-S, /var/lib/cgw/confirm: 0700, each file
 * 0600, they hold PSKs), with the files' paths and modes and a deadline
 * (wall clock), before cgwd restarts with the new configuration.  `cgwctl
 * confirm` deletes the copy.  If the deadline passes first, the files are
 * put back, files the unconfirmed configuration added are renamed
 * FILE.unconfirmed (out of the include globs that end in .conf), and cgwd
 * reloads the previous configuration.  The copy outlives a reboot: a box
 * that restarts with a change nobody confirmed must not keep it for good
 * (it may be what cut the way in).  A cgwd that starts after the deadline
 * puts the previous configuration back before it applies anything; one
 * that starts before it counts down the rest.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xalloc.h"

static char *
confirm_path(const struct cgwd *d, const char *name)
{
	return xasprintf("%s/confirm%s%s", d->state_dir, name ? "/" : "",
	    name ? name : "");
}

/* Everything here must survive a power cut: written, then fsync'd, and a
 * file restored is renamed into place, so it is never seen half-written. */
static int
sync_dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, r = 0;

	if (slash)
		*slash = '\0';
	if ((fd = open(slash ? (dir[0] ? dir : "/") : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(fd) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	free(dir);
	return r;
}

static int
finish_fd(int fd, mode_t mode, int r)
{
	if (fchmod(fd, mode) < 0 && !r)
		r = -errno;
	if (fsync(fd) < 0 && !r)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	return r;
}

/* Copies src over path (with mode), through a temporary file beside
 * it (beside the file a symbolic link points to: the link stays). */
static int
copy_file(const char *src, const char *path, mode_t mode)
{
	char buf[8192], *dst = realpath(path, NULL), *tmp;
	int in, out, r = 0;
	ssize_t n;

	if (!dst)
		dst = xstrdup(path);	/* not there (any more): made anew */
	tmp = xasprintf("%s.restoring", dst);
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
		r = -errno;
		free(tmp);
		free(dst);
		return r;
	}
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) < 0) {
		r = -errno;
		close(in);
		free(tmp);
		free(dst);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			r = -EIO;
			break;
		}
	if (n < 0)
		r = -errno;
	r = finish_fd(out, mode, r);
	close(in);
	if (!r && rename(tmp, dst) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	else
		r = sync_dir_of(dst);
	free(tmp);
	free(dst);
	return r;
}

void
confirm_snapshot_free(struct cgwd *d)
{
	for (size_t i = 0; i < d->n_conf_copy; i++) {
		explicit_bzero(d->conf_copy[i].data, d->conf_copy[i].len);
		free(d->conf_copy[i].data);
		free(d->conf_copy[i].path);
	}
	free(d->conf_copy);
	d->conf_copy = NULL;
	d->n_conf_copy = 0;
}

/* Reads the configuration's files as they are now, right after they were
 * parsed.  A file that cannot be read leaves no copy: reload --confirm
 * then refuses. */
void
confirm_snapshot(struct cgwd *d)
{
	confirm_snapshot_free(d);
	d->conf_copy = xcalloc(d->conf->n_files ? d->conf->n_files : 1,
	    sizeof(*d->conf_copy));
	for (size_t i = 0; i < d->conf->n_files; i++) {
		struct conf_copy *c = &d->conf_copy[i];
		const char *path = d->conf->files[i];
		struct stat st;
		FILE *f = fopen(path, "re");

		if (!f || fstat(fileno(f), &st) < 0) {
			log_errno(LOG_CFG, -errno, "%s: no copy for reload --confirm", path);
			if (f)
				fclose(f);
			confirm_snapshot_free(d);
			return;
		}
		c->path = xstrdup(path);
		c->mode = (unsigned int)(st.st_mode & 07777);
		c->data = xcalloc((size_t)st.st_size + 1, 1);
		c->len = fread(c->data, 1, (size_t)st.st_size, f);
		fclose(f);
		d->n_conf_copy++;
	}
}

static int
write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len)
		r = -EIO;
	return finish_fd(fd, mode, r);
}

/* fclose, after the data is on disk */
static int
close_synced(FILE *f)
{
	int r = 0;

	if (fflush(f) != 0 || fsync(fileno(f)) < 0)
		r = -errno;
	if (fclose(f) != 0 && !r)
		r = -errno;
	return r;
}

static void
remove_copy(struct cgwd *d)
{
	char *dir = confirm_path(d, NULL), *p;
	FILE *f;
	char line[4096];

	p = confirm_path(d, "manifest");
	if ((f = fopen(p, "r"))) {
		for (unsigned int i = 0; fgets(line, sizeof(line), f); i++) {
			char *c = xasprintf("%s/%u", dir, i);

			unlink(c);
			free(c);
		}
		fclose(f);
	}
	unlink(p);
	free(p);
	p = confirm_path(d, "deadline");
	unlink(p);
	free(p);
	rmdir(dir);
	free(dir);
	d->confirm_deadline = 0;
}

bool
confirm_pending(const struct cgwd *d)
{
	return d->confirm_deadline != 0;
}

int
confirm_arm(struct cgwd *d, unsigned int secs)
{
	char *dir = confirm_path(d, NULL), *p = NULL;
	FILE *f = NULL;
	bool was_pending = confirm_pending(d);
	int r = 0;

	/* A second reload before the confirm: the way back stays the last
	 * confirmed configuration, the clock starts again. */
	if (!was_pending) {
		if ((mkdir(d->state_dir, 0700) < 0 && errno != EEXIST) ||
		    (mkdir(dir, 0700) < 0 && errno != EEXIST)) {
			r = log_errno(LOG_CFG, -errno, "%s", dir);
			goto out;
		}
		p = confirm_path(d, "manifest");
		if (!(f = fopen(p, "we"))) {
			r = log_errno(LOG_CFG, -errno, "%s", p);
			goto out;
		}
		if (!d->n_conf_copy && d->conf->n_files) {
			r = log_errno(LOG_CFG, -ENOENT, "no copy of the running "
			    "configuration to go back to");
			goto out;
		}
		for (size_t i = 0; i < d->n_conf_copy; i++) {
			const struct conf_copy *cc = &d->conf_copy[i];
			char *c = xasprintf("%s/%zu", dir, i);

			r = write_file(c, cc->data, cc->len, 0600);
			free(c);
			if (r < 0) {
				log_errno(LOG_CFG, r, "keeping a copy of %s", cc->path);
				goto out;
			}
			fprintf(f, "%o %s\n", cc->mode, cc->path);
		}
		r = close_synced(f);
		f = NULL;
		if (r < 0) {
			log_errno(LOG_CFG, r, "%s", p);
			goto out;
		}
		free(p);
	}
	p = confirm_path(d, "deadline");
	if (!(f = fopen(p, "we"))) {
		r = log_errno(LOG_CFG, -errno, "%s", p);
		goto out;
	}
	d->confirm_deadline = time(NULL) + secs;
	fprintf(f, "%lld\n", (long long)d->confirm_deadline);
	/* the deadline last: with it on disk, the copy is complete */
	r = close_synced(f);
	f = NULL;
	if (r < 0 || (r = sync_dir_of(p)) < 0 || (r = sync_dir_of(dir)) < 0)
		log_errno(LOG_CFG, r, "%s", p);
out:
	if (f)
		fclose(f);
	free(p);
	free(dir);
	if (r < 0 && !was_pending)
		remove_copy(d);	/* a copy already there is still the way back */
	return r;
}

/* The deadline of a pending confirm, 0 if none. */
static time_t
read_deadline(const struct cgwd *d)
{
	char *p = confirm_path(d, "deadline");
	FILE *f = fopen(p, "re");
	long long t = 0;

	free(p);
	if (!f)
		return 0;
	if (fscanf(f, "%lld", &t) != 1)
		t = 0;
	fclose(f);
	return (time_t)t;
}

void
confirm_load(struct cgwd *d)
{
	time_t t = read_deadline(d);

	d->confirm_deadline = t;
	if (t)
		log_warn(LOG_CFG, "this configuration is not confirmed: "
		    "`cgwctl confirm` within %lld s, or the previous one comes back",
		    (long long)(t - time(NULL)));
}

int
confirm_accept(struct cgwd *d)
{
	if (!confirm_pending(d))
		return -ENOENT;
	remove_copy(d);
	log_info(LOG_CFG, "configuration confirmed");
	return 0;
}

/* Was path part of the configuration in the manifest? */
static bool
in_manifest(const char *manifest, const char *path)
{
	FILE *f = fopen(manifest, "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		line[strcspn(line, "\n")] = '\0';
		found = sp && strcmp(sp + 1, path) == 0;
	}
	fclose(f);
	return found;
}

/* The kept files back, over the unconfirmed ones (d->conf's); the copy
 * goes.  Returns 0, or <0 if something could not be restored. */
static int
restore_previous(struct cgwd *d)
{
	char *dir, *manifest, line[4096];
	FILE *f;
	int bad = 0;

	dir = confirm_path(d, NULL);
	manifest = confirm_path(d, "manifest");
	/* What the unconfirmed configuration added goes out of the way. */
	for (size_t i = 0; i < d->conf->n_files; i++)
		if (!in_manifest(manifest, d->conf->files[i])) {
			char *to = xasprintf("%s.unconfirmed", d->conf->files[i]);

			if (rename(d->conf->files[i], to) < 0)
				bad = log_errno(LOG_CFG, -errno, "moving %s away",
				    d->conf->files[i]);
			else
				log_warn(LOG_CFG, "%s was not in the previous "
				    "configuration: renamed %s", d->conf->files[i], to);
			free(to);
		}
	if ((f = fopen(manifest, "re"))) {
		for (unsigned int i = 0; fgets(line, sizeof(line), f); i++) {
			unsigned int mode = 0600;
			char *sp = strchr(line, ' '), *c;
			int r;

			line[strcspn(line, "\n")] = '\0';
			if (!sp || sscanf(line, "%o", &mode) != 1)
				continue;
			c = xasprintf("%s/%u", dir, i);
			r = copy_file(c, sp + 1, (mode_t)mode);
			if (r < 0)
				bad = log_errno(LOG_CFG, r, "restoring %s", sp + 1);
			free(c);
		}
		fclose(f);
	} else {
		bad = log_errno(LOG_CFG, -errno, "%s", manifest);
	}
	free(manifest);
	free(dir);
	remove_copy(d);
	if (bad)
		log_warn(LOG_CFG, "the previous configuration could not be "
		    "restored completely: staying with this one");
	return bad;
}

bool
confirm_expired_at_start(struct cgwd *d)
{
	time_t t = read_deadline(d);

	if (!t || time(NULL) < t)
		return false;
	log_warn(LOG_CFG, "a reload was not confirmed before its deadline, "
	    "%lld s ago, while cgwd was not running: going back to the "
	    "previous configuration", (long long)(time(NULL) - t));
	return restore_previous(d) == 0;
}

/* The deadline passed: the kept files back, then a reload of them. */
void
confirm_tick(struct cgwd *d)
{
	if (!confirm_pending(d) || time(NULL) < d->confirm_deadline)
		return;
	log_warn(LOG_CFG, "the reload was not confirmed in time: going back to "
	    "the previous configuration");
	if (restore_previous(d) < 0)
		return;
	d->reload_requested = true;
	d->quit = true;		/* the loop ends; run() re-executes */
}
