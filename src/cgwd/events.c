/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the event history, kept and told
 *
 * Each event goes three ways: into the ring (event_log.h) that cgwctl
 * show events reads, at once; then, at the settle, after what it records
 * was acted on, appended as one line to <statedir>/events (so a restarted
 * or reloaded cgwd still has what happened before) and to the journal
 * with structured fields (CGW_TUNNEL, CGW_EVENT, CGW_CAUSE: journalctl
 * CGW_TUNNEL=vpn-...-1) when stderr is the journal (not also as a log
 * line there: one record each), else as a log line.  The file is
 * rewritten from the ring when it holds twice the ring's records, so it
 * stays bounded.  A failure to write it is logged once, and show events
 * says so; the ring goes on.
 */
#include "cgwd/cgwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xalloc.h"

#define EVENTS_KEPT 2000		/* in the ring, and on disk after a rewrite */
#define EVENTS_FILE_MAX (1u << 20)	/* read back at most this much */

static char *
events_path(const struct cgwd *d)
{
	return xasprintf("%s/events", d->state_dir);
}

static uint64_t
now_unix_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The file as the ring has it (atomic: a crash leaves the old or the new). */
static int
rewrite_file(struct cgwd *d)
{
	char *path = events_path(d), *tmp = xasprintf("%s.new", path);
	char line[EVENT_LINE_MAX];
	FILE *f = fopen(tmp, "we");
	int r = 0;

	if (!f)
		r = -errno;
	for (size_t i = 0; f && i < d->events.n; i++) {
		size_t n = event_rec_line(event_log_at(&d->events, i), line);

		if (fwrite(line, 1, n, f) != n)
			r = -EIO;
	}
	if (f && fclose(f) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	else
		d->events_in_file = d->events.n;
	free(tmp);
	free(path);
	return r;
}

/* Appends one record; -errno on failure (a short write is taken back:
 * no half line for the next one to be joined to). */
static int
append_file(struct cgwd *d, const struct event_rec *rec)
{
	char line[EVENT_LINE_MAX], *path = events_path(d);
	size_t n = event_rec_line(rec, line);
	struct stat st;
	ssize_t w;
	int fd, r = 0;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	free(path);
	if (fd < 0 || fstat(fd, &st) < 0)
		r = -errno;
	else if ((w = write(fd, line, n)) != (ssize_t)n) {
		r = w < 0 ? -errno : -ENOSPC;
		if (ftruncate(fd, st.st_size) < 0)
			d->events_in_file = 2 * EVENTS_KEPT;	/* rewrite next */
	}
	if (fd >= 0)
		close(fd);
	if (!r)
		d->events_in_file++;
	return r;
}

/* Whether stderr is the journal (systemd's JOURNAL_STREAM names the
 * stream by device and inode; the variable alone may be inherited by a
 * shell started from a service, whose stderr is a terminal). */
static bool
stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
events_start(struct cgwd *d)
{
	char *path = events_path(d), *text = xcalloc(1, EVENTS_FILE_MAX);
	const char *p = text;
	ssize_t n = 0;
	off_t size = 0;
	size_t len, skipped;
	int fd;

	event_log_init(&d->events, EVENTS_KEPT);
	d->events_in_file = 0;
	d->events_journal = stderr_is_journal();
	if (mkdir(d->state_dir, 0700) < 0 && errno != EEXIST)
		log_errno(LOG_MAIN, -errno, "create %s", d->state_dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			log_errno(LOG_MAIN, -errno, "read %s", path);
		goto out;
	}
	/* the newest part only, from a line's start */
	size = lseek(fd, 0, SEEK_END);
	if (size < 0 || lseek(fd, size > (off_t)EVENTS_FILE_MAX ?
	    size - EVENTS_FILE_MAX : 0, SEEK_SET) < 0 ||
	    (n = read(fd, text, EVENTS_FILE_MAX)) < 0) {
		log_errno(LOG_MAIN, -errno, "read %s", path);
		n = 0;
	}
	close(fd);
	len = (size_t)n;
	if (size > (off_t)EVENTS_FILE_MAX) {
		const char *nl = memchr(p, '\n', len);

		len -= nl ? (size_t)(nl + 1 - p) : len;
		p = nl ? nl + 1 : p;
	}
	skipped = event_log_parse(&d->events, p, len);
	if (skipped)
		log_warn(LOG_MAIN, "%s: %zu unreadable line%s skipped", path,
		    skipped, skipped == 1 ? "" : "s");
	for (const char *c = p; (c = memchr(c, '\n', len - (size_t)(c - p))); c++)
		d->events_in_file++;
	/* rewritten at the next event: a file longer than what was read, or
	 * one whose last line was cut (the next would be joined to it) */
	if (size > (off_t)EVENTS_FILE_MAX || (len && p[len - 1] != '\n'))
		d->events_in_file = 2 * EVENTS_KEPT;
out:
	free(text);
	free(path);
}

void
events_stop(struct cgwd *d)
{
	events_flush(d);
	event_log_free(&d->events);
}

/* One record to the journal, or the log. */
static void
event_tell(struct cgwd *d, const struct event_rec *rec)
{
	/* journald refusing it: the event still goes out, as a log line */
	if (!d->events_journal || sd_journal_send("MESSAGE=%s: %s: %s",
	    rec->tunnel, rec->event, rec->cause, "PRIORITY=%d", 6,
	    "SYSLOG_IDENTIFIER=cgwd", "CGW_TUNNEL=%s", rec->tunnel,
	    "CGW_EVENT=%s", rec->event, "CGW_CAUSE=%s", rec->cause, NULL) < 0)
		log_info(LOG_MAIN, "event %s %s: %s", rec->tunnel, rec->event,
		    rec->cause);
}

/* The file: the new records appended, or, once it holds twice the ring,
 * the ring written afresh (which has the new records too: not also
 * appended). */
void
events_flush(struct cgwd *d)
{
	size_t first = d->events.n - d->events_unflushed;
	bool rewrite = d->events_in_file + d->events_unflushed >= 2 * EVENTS_KEPT;
	int r = 0;

	if (!d->events_unflushed)
		return;
	if (rewrite)
		r = rewrite_file(d);
	if (!rewrite || r < 0) {	/* a failed rewrite: append them at least */
		r = 0;
		for (size_t i = first; i < d->events.n; i++) {
			int e = append_file(d, event_log_at(&d->events, i));

			if (e < 0)
				r = e;
		}
	}
	if (r && !d->events_write_err)
		log_errno(LOG_MAIN, r, "event history %s/events: not kept across restarts",
		    d->state_dir);
	d->events_write_err = r;
	for (size_t i = first; i < d->events.n; i++)
		event_tell(d, event_log_at(&d->events, i));
	d->events_unflushed = 0;
}

/* Into the ring now (show events and the metrics have it at once); out to
 * the disk and the journal at the settle (events_flush), after what the
 * event called for is done: a slow disk or journald never delays a
 * failover. */
void
event_note(struct cgwd *d, const struct tunnel *t, const char *event,
    const char *fmt, ...)
{
	char cause[EVENT_CAUSE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, sizeof(cause), fmt, ap);
	va_end(ap);
	if (!d->events.recs)
		return;		/* not started (cgwd -n) */
	if (d->events_unflushed == d->events.cap)
		events_flush(d);	/* the oldest would go unwritten */
	event_log_add(&d->events, now_unix_ms(), t ? t->name : "-", event, cause);
	d->events_unflushed++;
}

int
events_send(struct cgwd *d, struct msgout *q, uint32_t seq,
    const struct cgw_msg_events_req *req)
{
	struct cgw_msg_event_rec m;
	size_t first = 0;

	/* the newest max records since since_ms, oldest first */
	if (req->max) {
		size_t after = 0;

		for (size_t i = d->events.n; i-- > 0; )
			if (event_log_at(&d->events, i)->at_ms >= req->since_ms &&
			    ++after == req->max) {
				first = i;
				break;
			}
	}
	for (size_t i = first; i < d->events.n; i++) {
		const struct event_rec *r = event_log_at(&d->events, i);

		if (r->at_ms < req->since_ms)
			continue;
		memset(&m, 0, sizeof(m));
		m.at_ms = r->at_ms;
		memcpy(m.tunnel, r->tunnel, sizeof(m.tunnel));
		memcpy(m.event, r->event, sizeof(m.event));
		memcpy(m.cause, r->cause, sizeof(m.cause));
		if (msgout_put(q, CGW_MSG_EVENT_REC, seq, &m, sizeof(m)) < 0)
			return -1;
	}
	if (d->events_write_err) {
		memset(&m, 0, sizeof(m));
		snprintf(m.tunnel, sizeof(m.tunnel), "-");
		snprintf(m.event, sizeof(m.event), "history");
		snprintf(m.cause, sizeof(m.cause), "%s/events cannot be written (%s): "
		    "these events are not kept across restarts", d->state_dir,
		    strerror(-d->events_write_err));
		m.at_ms = now_unix_ms();
		if (msgout_put(q, CGW_MSG_EVENT_REC, seq, &m, sizeof(m)) < 0)
			return -1;
	}
	return 0;
}

/* Appends " name" to a list in buf, "..." once it is full. */
static void
list_add(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf);

	if (n + strlen(name) + 5 < len)
		snprintf(buf + n, len - n, " %s", name);
	else if (n + 4 < len && (n < 3 || strcmp(buf + n - 3, "...") != 0))
		snprintf(buf + n, len - n, " ...");
}

/* The start, and after a reload or restart what the configuration
 * changed against the previous cgwd's (state.c's comparison). */
void
event_start_noted(struct cgwd *d)
{
	char changed[96] = "", added[96] = "", removed[96] = "";

	if (!d->restarted) {
		event_note(d, NULL, "start", "cgwd started: %zu tunnels", d->n_tunnels);
		return;
	}
	for (size_t i = 0; i < d->n_tunnels; i++) {
		if (d->tunnels[i].reset_on_load)
			list_add(changed, sizeof(changed), d->tunnels[i].name);
		if (d->tunnels[i].added_on_load)
			list_add(added, sizeof(added), d->tunnels[i].name);
	}
	for (size_t i = 0; i < d->n_stale; i++)
		list_add(removed, sizeof(removed), d->stale[i]);
	event_note(d, NULL, "start", "cgwd started again (reload or restart): "
	    "%zu tunnels; changed:%s; added:%s; removed:%s", d->n_tunnels,
	    changed[0] ? changed : " none", added[0] ? added : " none",
	    removed[0] ? removed : " none");
}
