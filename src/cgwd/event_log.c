/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the event history's ring and its line format (see event_log.h)
 */
#include "cgwd/event_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"

static const char *const event_kinds[] = {
	"start", "reload", "stop", "charon",
	"ike-up", "ike-down", "ike-rekey", "ike-failed",
	"child-up", "child-down", "child-rekey", "rekey-failed",
	"tunnel-up", "tunnel-down",
	"bgp",
	"unusable", "holddown", "usable", "failover",
	NULL,
};

bool
event_key_known(const char *event)
{
	for (const char *const *k = event_kinds; *k; k++)
		if (strcmp(*k, event) == 0)
			return true;
	return false;
}

void
event_log_init(struct event_log *l, size_t cap)
{
	l->cap = cap ? cap : 1;
	l->recs = xcalloc(l->cap, sizeof(*l->recs));
	l->head = l->n = 0;
}

void
event_log_free(struct event_log *l)
{
	free(l->recs);
	l->recs = NULL;
	l->cap = l->head = l->n = 0;
}

/* Copies src into dst (size len), tabs and line ends made spaces. */
static void
copy_clean(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src && src[i] && i + 1 < len; i++)
		dst[i] = src[i] == '\t' || src[i] == '\n' || src[i] == '\r' ?
		    ' ' : src[i];
	dst[i] = '\0';
}

const struct event_rec *
event_log_add(struct event_log *l, uint64_t at_ms, const char *tunnel,
    const char *event, const char *cause)
{
	struct event_rec *r;

	if (l->n < l->cap)
		r = &l->recs[(l->head + l->n++) % l->cap];
	else {
		r = &l->recs[l->head];
		l->head = (l->head + 1) % l->cap;
	}
	r->at_ms = at_ms;
	copy_clean(r->tunnel, sizeof(r->tunnel), tunnel && *tunnel ? tunnel : "-");
	copy_clean(r->event, sizeof(r->event), event);
	copy_clean(r->cause, sizeof(r->cause), cause);
	return r;
}

const struct event_rec *
event_log_at(const struct event_log *l, size_t i)
{
	return i < l->n ? &l->recs[(l->head + i) % l->cap] : NULL;
}

size_t
event_rec_line(const struct event_rec *r, char buf[EVENT_LINE_MAX])
{
	/* each field is NUL-terminated within its array: it fits */
	int n = snprintf(buf, EVENT_LINE_MAX, "%llu\t%.*s\t%.*s\t%.*s\n",
	    (unsigned long long)r->at_ms, CGW_NAME_MAX - 1, r->tunnel,
	    EVENT_KEY_MAX - 1, r->event, EVENT_CAUSE_MAX - 1, r->cause);

	return n < 0 ? 0 : (size_t)n;
}

/* One line (no '\n'), split at its three tabs; false if malformed. */
static bool
parse_line(struct event_log *l, const char *p, size_t len)
{
	char line[EVENT_LINE_MAX];
	char *f[4], *end;
	unsigned long long ms;
	int n = 0;

	if (len == 0 || len >= sizeof(line) || memchr(p, '\0', len))
		return false;
	memcpy(line, p, len);
	line[len] = '\0';
	f[n++] = line;
	for (char *c = line; *c && n < 4; c++)
		if (*c == '\t') {
			*c = '\0';
			f[n++] = c + 1;
		}
	if (n != 4 || strchr(f[3], '\t') || f[0][0] < '0' || f[0][0] > '9')
		return false;
	ms = strtoull(f[0], &end, 10);
	if (*end || !f[1][0] || strlen(f[1]) >= CGW_NAME_MAX ||
	    !event_key_known(f[2]) || strlen(f[3]) >= EVENT_CAUSE_MAX)
		return false;
	event_log_add(l, ms, f[1], f[2], f[3]);
	return true;
}

size_t
event_log_parse(struct event_log *l, const char *text, size_t len)
{
	size_t skipped = 0;

	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;

		/* a last line without its '\n' was cut by a crash: not taken */
		if (!nl || !parse_line(l, text, n))
			skipped += n > 0 || !nl;
		if (!nl)
			break;
		text += n + 1;
		len -= n + 1;
	}
	return skipped;
}
