/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: the event history
 *
 * What happened to the tunnels, in order: IKE and CHILD_SAs up, down and
 * rekeyed, IKE failures, BGP transitions, probe verdicts, failovers with
 * their detection time and outage, reloads.  Pure code: a bounded ring of
 * records, and the one-line text form they are kept in on disk (events.c
 * appends each record to a file in the state directory, so a restarted
 * cgwd still has last night's, and reads it back with event_log_parse).
 *
 * A line is "MS<TAB>TUNNEL<TAB>EVENT<TAB>CAUSE": unix time in
 * milliseconds, the tunnel's name ("-" for the box), a stable event key
 * (event_kinds below), free text.  Tabs and newlines in the text are
 * turned into spaces when the record is made, so a line always splits
 * back into the same four fields; a line that does not is skipped.
 */
#ifndef CGW_EVENT_LOG_H
#define CGW_EVENT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cgw_msg.h"

#define EVENT_KEY_MAX 24
#define EVENT_CAUSE_MAX CGW_TEXT_MAX

struct event_rec {
	uint64_t at_ms;			/* unix time, milliseconds */
	char tunnel[CGW_NAME_MAX];	/* "-": the box (start, reload) */
	char event[EVENT_KEY_MAX];	/* e.g. "child-up", "failover" */
	char cause[EVENT_CAUSE_MAX];
};

struct event_log {
	struct event_rec *recs;		/* ring of cap records */
	size_t cap, head, n;		/* oldest at head */
};

void event_log_init(struct event_log *l, size_t cap);
void event_log_free(struct event_log *l);
/* Adds one record (the oldest goes when full); the strings are cut to
 * fit and cleaned of tabs and newlines. */
const struct event_rec *event_log_add(struct event_log *l, uint64_t at_ms,
    const char *tunnel, const char *event, const char *cause);
/* The i-th record, oldest first (i < l->n). */
const struct event_rec *event_log_at(const struct event_log *l, size_t i);
/* The record as one line, "\n" included (a record always fits); returns
 * its length. */
#define EVENT_LINE_MAX (24 + CGW_NAME_MAX + EVENT_KEY_MAX + EVENT_CAUSE_MAX + 4)
size_t event_rec_line(const struct event_rec *r, char buf[EVENT_LINE_MAX]);
/* Adds every well-formed line of text to l, in order; returns how many
 * lines were skipped as malformed. */
size_t event_log_parse(struct event_log *l, const char *text, size_t len);
/* Whether event is one of the keys cgwd writes (docs/monitoring.md). */
bool event_key_known(const char *event);

#endif
